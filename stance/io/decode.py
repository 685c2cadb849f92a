"""Bytes → text: BOMs, UTF-8, UTF-16 without BOM, and legacy encodings biased to French."""

from __future__ import annotations

import codecs

SNIFF_BYTES = 1 << 16  # bytes read to guess an encoding before streaming

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class BinaryInputError(ValueError):
    """The bytes are not text (NUL bytes outside UTF-16/32)."""


def decode_bytes(data: bytes, errors: str = "strict") -> tuple[str, str]:
    """(text, encoding): BOM, else UTF-8, else a legacy encoding biased to French (cp1252).

    Raises ``BinaryInputError`` for binary data and ``UnicodeDecodeError`` when nothing fits
    under ``errors="strict"``; other ``errors`` values decode with that handler instead.
    """
    encoding = sniff_encoding(data)
    if not encoding.startswith(("utf-16", "utf-32")) and _mostly_control(data):
        raise BinaryInputError("control characters: this is not a text file")
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as err:
        if encoding.startswith("utf-16-"):  # guessed from NUL bytes: it was binary after all
            raise BinaryInputError("NUL bytes: this is not a text file") from err
        if errors == "strict":
            raise
        return data.decode(encoding, errors), encoding


def sniff_encoding(head: bytes, *, partial: bool = False) -> str:
    """Encoding for data starting with ``head``: a BOM, UTF-16 without BOM, UTF-8, or legacy.

    With ``partial`` (a prefix of a stream), a UTF-8 sequence cut at the very end is fine.
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if b"\x00" in head:
        wide = _utf16_without_bom(head)
        if wide is None:
            raise BinaryInputError("NUL bytes: this is not a text file")
        return wide
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        if not (partial and err.start >= len(head) - 3) and not _mostly_utf8(head):
            return _legacy_encoding(head) or "utf-8"
    return "utf-8"


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few bad bytes (a corrupted or cut file), not a legacy encoding.

    Decoding such a file as cp1252 would turn every accent into mojibake ("Ã©") without any
    error; as UTF-8 it is a ``decode_error`` (or U+FFFD with ``errors="replace"``) instead.
    Legacy French text almost never forms valid multi-byte UTF-8 sequences.
    """
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())  # minus real U+FFFD
    good = sum(1 for c in text if c > "\x7f" and c != "\ufffd")
    return good > 0 and good >= bad


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r")


def _mostly_control(data: bytes) -> bool:
    """More than 5 % control bytes: binary data that happens to hold no NUL byte."""
    head = data[:SNIFF_BYTES]
    return len(head) > 0 and len(head.translate(None, _CONTROL_BYTES)) < 0.95 * len(head)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without BOM has NUL high bytes in every other position for Latin text."""
    even, odd = data[0::2], data[1::2]
    if not even or not odd:
        return None
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.3 and zeros_even < 0.02:
        return "utf-16-le"
    if zeros_even > 0.3 and zeros_odd < 0.02:
        return "utf-16-be"
    return None


# Below this many non-ASCII bytes charset-normalizer's guess is noise ("Café" came out as
# Big5 or UTF-16): such short legacy text is read as cp1252, the common French case.
MIN_HIGH_BYTES_TO_GUESS = 16


def _legacy_encoding(data: bytes) -> str | None:
    """cp1252 (Windows French) unless charset-normalizer sees a clearly non-Latin script."""
    from charset_normalizer import from_bytes

    high = len(data) - len(data.translate(None, bytes(range(128))))
    best = from_bytes(data).best() if high >= MIN_HIGH_BYTES_TO_GUESS else None
    if best is not None and _mostly_non_latin(str(best)):
        return str(best.encoding)
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return str(best.encoding) if best is not None else None


def _mostly_non_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(ord(c) > 0x24F for c in letters) > len(letters) / 2
