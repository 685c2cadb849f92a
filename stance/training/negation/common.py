"""What the negation rules of every language share: which targets are tried at all, tokens."""

from __future__ import annotations

import re
from collections.abc import Callable

Rule = Callable[[str], str | None]  # a sentence (spaces normalised) -> its negation, or None
MAX_TOKENS = 40  # longer targets are refused: too many places for a second clause
MAX_SUBJECT = 8  # words; a longer subject is likely a clause
EDGE = '.,;:!?…"«»()¿¡'
_SENTENCES = re.compile(r"[.!?…]\s+\S")
_QUOTES = (";", ":", '"', "«", "»", "“", "”")


def words(text: str) -> frozenset[str]:
    """A word list written as one string: ``words("is are was")``."""
    return frozenset(text.split())


def usable(text: str) -> bool:
    """One sentence, not too long, no quotation or list: something a rule may try."""
    if not text or len(text.split()) > MAX_TOKENS or _SENTENCES.search(text):
        return False
    return not any(mark in text for mark in _QUOTES)


def word(token: str) -> str:
    """A token lowercased without the punctuation around it."""
    return token.strip(EDGE).lower()


def split_final(text: str) -> tuple[str, str]:
    """(sentence without its final mark, the mark): "X est Y." → ("X est Y", ".")."""
    body = text.rstrip(" .!?…")
    return body, text[len(body) :].strip()


def subject_ok(
    subject: list[str],
    stop: frozenset[str],
    determiners: frozenset[str],
    pronouns: frozenset[str] = frozenset(),
) -> bool:
    """A subject of 1-8 words, no comma, no clause word or quantifier, no final determiner
    (a lone pronoun that is also a determiner, "Ce", "Das", "This", is a subject)."""
    ws = [word(t) for t in subject]
    if len(ws) == 1 and ws[0] in pronouns:
        return True
    if not 1 <= len(ws) <= MAX_SUBJECT or any(t.endswith(",") for t in subject):
        return False
    return not (set(ws) & stop) and ws[-1] not in determiners


def second_clause(
    rest: list[str],
    connectors: frozenset[str],
    coordinators: frozenset[str] = frozenset(),
    verbs: frozenset[str] = frozenset(),
) -> bool:
    """Whether what follows the verb may hold another clause: a comma, a connector ("mais",
    "but"), or a coordinator ("et", "and") with a known finite verb after it ("X ist Y und
    wird Z": negating the first verb only would not negate the sentence)."""
    if any("," in t for t in rest) or {word(t) for t in rest} & connectors:
        return True
    lowered = [word(t) for t in rest]
    return any(w in coordinators and set(lowered[i + 1 :]) & verbs for i, w in enumerate(lowered))


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


Tokens = list[str]


def flip_statement(
    text: str,
    negated: Callable[[str], bool],
    negate: Callable[[Tokens], str | None],
    unnegate: Callable[[Tokens], str | None],
) -> str | None:
    """The frame every statement rule shares: keep the final mark, un-negate a sentence with
    one of its negations (``negated(word)``), else negate it; None when the rule refuses."""
    body, mark = split_final(text)
    tokens = body.split()
    if len(tokens) < 2:
        return None
    flipped = unnegate(tokens) if any(negated(word(t)) for t in tokens) else negate(tokens)
    return flipped + mark if flipped else None
