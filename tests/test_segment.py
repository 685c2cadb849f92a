"""Tests for ``stance.segment``: the hand-written French cases, offset invariants, properties."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.doc import Sentence
from stance.segment import _TLD, _TWO_LETTERS, has_words, segment, split_sentences, word_spans
from tests.segment_cases import CASES

CONTRACT = (
    "Le client décide-t-il vraiment ?\n\nIl serait naïf de croire que le consommateur décide à "
    "la place de l'entreprise. L'entreprise n'est pas une organisation philanthrope : elle vend "
    "ses produits. M. Dupont, cité par « Le Monde », affirme pourtant le contraire ! Selon lui, "
    "60 % des clients influencent les choix... Rien n'est moins sûr."
)

# Characters that trigger the rules, so that random texts hit abbreviations, quotes, lists…
FRENCH_BITS = st.sampled_from(
    [
        "a", "é", "Le", "M", "etc", "J", "-", "P", "1", "42", "art", " ", "  ", "\n", "\n\n",
        "\r\n", "\u00a0", "\u202f", "\t", ".", "?", "!", "…", "...", "«", "»", '"', "'", "’",
        "(", ")", "[", "•", "#", ":", ",", "www", "@", "/", "\x00", "\u2029", "\x1c", "🇫🇷",
    ]
)  # fmt: skip
FRENCHISH = st.lists(FRENCH_BITS, max_size=60).map("".join)
ANY_TEXT = st.text(max_size=300)  # hypothesis' default alphabet excludes surrogates, has NUL


def check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    """Ordered, non-overlapping, trimmed, in bounds, and covering every non-space character."""
    covered = [False] * len(text)
    prev_end = 0
    for start, end in spans:
        assert prev_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip() and piece
        covered[start:end] = [True] * (end - start)
        prev_end = end
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))


def check_tokens(text: str, tokens: list[tuple[int, int]], lo: int, hi: int) -> None:
    """Tokens lie in ``[lo, hi)``, are ordered, hold no whitespace, and cover all other text."""
    covered: set[int] = set()
    prev_end = lo
    for start, end in tokens:
        assert prev_end <= start < end <= hi
        assert not any(ch.isspace() for ch in text[start:end])
        covered.update(range(start, end))
        prev_end = end
    assert all(i in covered or text[i].isspace() for i in range(lo, hi))


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(text: str, expected: list[str]) -> None:
    spans = segment(text)
    assert [text[s:e] for s, e in spans] == expected
    check_spans(text, spans)


def test_case_set_is_large_and_exact() -> None:
    assert len(CASES) >= 70
    for text, expected in CASES:
        assert all(sentence in text and sentence == sentence.strip() for sentence in expected)


def test_contract_example_has_title_plus_five() -> None:
    sentences = [CONTRACT[s:e] for s, e in segment(CONTRACT)]
    assert len(sentences) == 6
    assert sentences[0] == "Le client décide-t-il vraiment ?"
    assert sentences[3].startswith("M. Dupont")


def test_split_sentences_builds_sentence_objects() -> None:
    sentences = split_sentences(CONTRACT)
    assert all(isinstance(s, Sentence) for s in sentences)
    assert [s.index for s in sentences] == list(range(6))
    assert all(CONTRACT[s.start : s.end] == s.text for s in sentences)
    assert all(s.role is None and s.stance is None for s in sentences)


@pytest.mark.parametrize("text", ["", " ", "\n\n\t", "\u00a0\u202f"])
def test_blank_text_has_no_sentence(text: str) -> None:
    assert segment(text) == []
    assert split_sentences(text) == []
    assert word_spans(text) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("***", False),
        ("— 1. (3)", False),
        ("12/03/2024 14:05", False),
        ("https://exemple.fr/a-lire-aussi", False),
        ("contact@exemple.fr www.lemonde.fr lemonde.fr", False),
        ("A.", False),
        ("€ 3,50", False),
        ("Oui !", True),
        ("Publié le 12/03/2024", True),
        ("Lire : https://exemple.fr/x", True),
        ("Ça ?", True),
    ],
)
def test_has_words_reads_lines_without_words(text: str, words: bool) -> None:
    assert has_words(text) is words


# The pattern has_words drops before it looks for a word, without the look-behinds that keep it
# linear on one very long word: the answers must be the same.
UNANCHORED = re.compile(
    rf"(?:https?|ftp)://\S*|www\.\S*|\S+@\S+|[\w.-]+\.{_TLD}(?![\w-])", re.IGNORECASE
)
LINK_BITS = st.sampled_from(
    ["a", "é", "ab", "1", "-", "_", ".", "..", "@", "fr", "com", "gouv.fr", "co.uk", "www", " ",
     "\n", "https://", "ftp://", "/", "«", "'", "Le"]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(LINK_BITS, max_size=30).map("".join))
def test_has_words_is_the_unanchored_pattern(text: str) -> None:
    reference = _TWO_LETTERS.search(UNANCHORED.sub(" ", text)) is not None
    assert has_words(text) is reference


def test_unpunctuated_text_is_one_sentence() -> None:
    text = "  un texte sans ponctuation ni majuscule  "
    assert segment(text) == [(2, len(text) - 2)]


@pytest.mark.parametrize(
    "text",
    [
        "a" * 400_000,
        "mot " * 100_000,
        ". " * 200_000,
        "a." * 200_000,
        "M. " * 130_000,
        "\n" * 400_000,
        "A\n" * 200_000,
        "? » " * 100_000,
        "x." + " " * 400_000 + "y",
        "- item\n" * 60_000,
    ],
    ids=["letters", "words", "dot-space", "a-dot", "titles", "newlines", "lines", "quotes",
         "spaces", "bullets"],
)  # fmt: skip
def test_adversarial_input_is_linear(text: str) -> None:
    """400 000 characters take well under a second; a quadratic pass would take minutes."""
    t0 = time.perf_counter()
    spans = segment(text)
    tokens = word_spans(text)
    assert time.perf_counter() - t0 < 10.0
    assert spans or not text.strip()
    assert tokens or not text.strip()


def test_throughput_above_one_megabyte_per_second() -> None:
    text = "\n\n".join(t for t, _ in CASES) * 30
    t0 = time.perf_counter()
    segment(text)
    elapsed = time.perf_counter() - t0
    assert len(text) / elapsed > 1_000_000


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY_TEXT, FRENCHISH))
def test_segment_offsets_roundtrip(text: str) -> None:
    spans = segment(text)
    check_spans(text, spans)
    assert [s.text for s in split_sentences(text)] == [text[s:e] for s, e in spans]


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY_TEXT, FRENCHISH))
def test_word_spans_roundtrip(text: str) -> None:
    check_tokens(text, word_spans(text), 0, len(text))
    for start, end in segment(text):
        check_tokens(text, word_spans(text, start, end), start, end)


def test_word_spans_on_every_case_sentence() -> None:
    for text, _ in CASES:
        for start, end in segment(text):
            check_tokens(text, word_spans(text, start, end), start, end)


def words(text: str) -> list[str]:
    return [text[s:e] for s, e in word_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l'entreprise qu'il aime", ["l'", "entreprise", "qu'", "il", "aime"]),
        ("J’ai dit jusqu’à demain", ["J’", "ai", "dit", "jusqu’", "à", "demain"]),
        ("aujourd'hui, peut-être", ["aujourd'hui", ",", "peut-être"]),
        ("décide-t-il ?", ["décide-t-il", "?"]),
        ("J.-P. Sartre", ["J.-P.", "Sartre"]),
        ("M. Dupont, etc. Fin", ["M.", "Dupont", ",", "etc.", "Fin"]),
        ("p. ex. cf. art. 3", ["p.", "ex.", "cf.", "art.", "3"]),
        ("3.5 % à 12:00pm", ["3.5", "%", "à", "12:00", "pm"]),
        ("le 24/02/2010", ["le", "24/02/2010"]),
        ("1 000 votants", ["1", "000", "votants"]),
        ("sur www.exemple.com.", ["sur", "www.exemple.com", "."]),
        ("(https://ex.org/a.pdf?v=2).", ["(", "https://ex.org/a.pdf?v=2", ")", "."]),
        ("à jean.dupont@mail.fr,", ["à", "jean.dupont@mail.fr", ","]),
        ("lu sur lemonde.fr.", ["lu", "sur", "lemonde.fr", "."]),
        ("« Non ! »...", ["«", "Non", "!", "»", "..."]),
        ("électeur·rice·s", ["électeur·rice·s"]),
        ("vraiment ?!", ["vraiment", "?", "!"]),
    ],
)
def test_word_spans_examples(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_word_spans_sentence_final_abbreviation_gives_up_its_period() -> None:
    text = "On trouve des livres, etc. Les prix baissent."
    first_start, first_end = segment(text)[0]
    tokens = [text[s:e] for s, e in word_spans(text, first_start, first_end)]
    assert tokens[-2:] == ["etc", "."]
    assert "etc." in [text[s:e] for s, e in word_spans(text)]  # mid-document: kept whole


def test_word_spans_offsets_are_document_offsets() -> None:
    text = "Titre\n\nLe vote a eu lieu."
    start, end = segment(text)[1]
    spans = word_spans(text, start, end)
    assert spans[0] == (start, start + 2)
    assert text[spans[-1][0] : spans[-1][1]] == "."
