"""Bytes → text: BOMs, UTF-16 without BOM, UTF-8, French legacy encodings, binary data."""

from __future__ import annotations

import codecs

import pytest

from stance.io.decode import BinaryInputError, decode_bytes, sniff_encoding

FRENCH = "L'été dernier, la forêt a brûlé. Ça suffit : agissons « maintenant » !\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF32_LE + FRENCH.encode("utf-32-le"), "utf-32"),  # not read as UTF-16 LE
        (codecs.BOM_UTF32_BE + FRENCH.encode("utf-32-be"), "utf-32"),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "utf-16"),
        (FRENCH.encode("utf-16-le"), "utf-16-le"),
        (FRENCH.encode("utf-16-be"), "utf-16-be"),
        (FRENCH.encode("utf-8"), "utf-8"),
        (FRENCH.encode("cp1252"), "cp1252"),
        (b"plain ascii", "utf-8"),
    ],
)
def test_every_encoding_gives_back_the_text(data: bytes, encoding: str) -> None:
    text, used = decode_bytes(data)
    assert used == encoding
    assert text == (FRENCH if used != "utf-8" or data != b"plain ascii" else "plain ascii")


def test_cyrillic_legacy_text_is_not_read_as_cp1252() -> None:
    text = "Привет! Это длинный русский текст о климате и о налогах на керосин. " * 3
    decoded, encoding = decode_bytes(text.encode("cp1251"))
    assert decoded == text and encoding != "cp1252"


def test_utf8_with_a_few_bad_bytes_is_utf8_not_mojibake() -> None:
    data = FRENCH.encode("utf-8") + b"\xff" + "déjà".encode()
    assert sniff_encoding(data) == "utf-8"
    with pytest.raises(UnicodeDecodeError):
        decode_bytes(data)
    text, encoding = decode_bytes(data, "replace")
    assert encoding == "utf-8" and text == FRENCH + "\ufffddéjà"
    assert "Ã" not in text


def test_a_utf8_sequence_cut_at_the_end_of_a_stream_prefix() -> None:
    head = b"plain ascii text caf" + "é".encode()[:1]  # a prefix cut inside "é"
    assert sniff_encoding(head, partial=True) == "utf-8"
    assert sniff_encoding(head) != "utf-8"  # a whole file ending so is not UTF-8


@pytest.mark.parametrize("text", ["Café", "garçon", "Ça", "à"])
def test_short_legacy_french_is_cp1252(text: str) -> None:
    assert decode_bytes(text.encode("cp1252")) == (text, "cp1252")


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03binary\x00\x00\x00\xff\xfe\x10",  # NUL bytes, not UTF-16
        bytes(range(1, 32)) * 20 + b"text",  # control bytes without NUL
        b"\x00A\x00",  # NUL pattern of UTF-16 BE, odd length: not decodable
    ],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryInputError):
        decode_bytes(data)


def test_text_with_tabs_and_form_feeds_is_text() -> None:
    data = b"col1\tcol2\r\n\fpage 2\vfin"
    assert decode_bytes(data) == (data.decode(), "utf-8")


def test_decode_replace_instead_of_error() -> None:
    bad = b"\xff\xfe\x00\xd8a\x00"
    with pytest.raises(UnicodeDecodeError):
        decode_bytes(bad)
    text, _ = decode_bytes(bad, "replace")
    assert "\ufffd" in text
