"""Rule-based French sentence segmentation and word tokenisation with exact character offsets.

Everything downstream (sentence roles, BIO spans, CoNLL export) needs offsets into the original
text, so nothing here normalises or rewrites the input: we only decide where to cut. The rules
are a handful of regexes plus abbreviation lists; each step is a single linear pass (lookbacks
are capped), so a megabyte of text takes well under a second and adversarial input (200 000
characters without punctuation, thousands of dots) cannot make it quadratic.

Cuts come from two sources that are simply merged:

* line structure: a blank line, a bullet item, a Markdown heading, or a line without final
  punctuation followed by a line that starts like a sentence (a title, a byline);
* punctuation: ``. ! ? …`` (with closing quotes/brackets glued on, e.g. ``?".`` or ``! »``)
  followed by whitespace and something that can start a sentence, unless the word before the
  period is an abbreviation, an initial, or a list number.

See ``docs/segmentation.md`` for the rules, the test set and a comparison with pysbd/sentencex.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stance.doc import Sentence


def _words(words: str) -> frozenset[str]:
    """A word list written as one string, for compact tables."""
    return frozenset(words.split())


# --- abbreviations -------------------------------------------------------------------------------
# Lower-cased, without the final period. Never followed by a sentence break: titles before a
# name, and words that always introduce something ("cf.", "p. ex.", "av. J.-C.").
_NEVER_FINAL = _words(
    "m mm mme mmes mlle mlles mr mrs ms dr drs pr pp me mes mgr st ste sts stes gén lt cdt cne "
    "sgt vve p n no nº s v t ch cf c.-à-d c-à-d c.à.d i.e e.g vs n.b n.-b p.-s av apr boul fg "
    "env éd dir trad coll"
)
# Followed by a number or a numeral letter ("art. 49.3", "vol. II"), otherwise ordinary words
# ("de l'art. Le musée…", "le vol. Les passagers…").
_BEFORE_NUMBER = _words("art vol chap fig tab réf sect ann al ex éq app ca")
# May end a sentence: a break is made only before a capital letter ("… etc. Le reste …").
_MAY_END = _words(
    "etc al cie ibid id sq sqq suiv ex janv févr fév avr juil sept oct nov déc hab min max "
    "op.cit op cit"
)
# Every abbreviation keeps its period as one token in ``word_spans``.
ABBREVIATIONS: frozenset[str] = _NEVER_FINAL | _BEFORE_NUMBER | _MAY_END

_UPPER = "A-ZÀ-ÖØ-ÞŒŸ"
_INITIALS = re.compile(rf"[{_UPPER}](?:\.-?[{_UPPER}])*")
# Words after which a line break is a soft wrap, never the end of a heading.
_CONTINUATION_WORDS = _words(
    "de du des d' l' le la les un une et ou à au aux par sur sous dans avec sans que qu' qui "
    "dont ce cet cette ces son sa ses leur leurs mon ma mes ton ta tes notre nos votre vos mais "
    "donc car ni entre vers chez selon est sont a ont ne se très plus"
)

# Capitalised words that start sentences but are not surnames: after a lone capital letter
# they tell "vitamine C. Les médecins…" from "J. Dupuis" (Le/La/De are kept out: "J. Le Pen").
_SENTENCE_STARTERS = _words(
    "il ils elle elles on je tu nous vous c ce cet cette ces cela ça ceci les un une l d j qu s "
    "n mais et or donc puis ensuite enfin pourtant cependant alors ainsi aussi pour par selon "
    "dans en depuis après avant si quand comme qui que quoi pourquoi comment oui non mon ma mes "
    "son sa ses leur leurs notre nos votre vos"
)

# --- character classes ---------------------------------------------------------------------------
_TERMINAL = ".!?…"
_CLOSERS = "»”’)]}\"'"
_NOT_STARTERS = frozenset(",;:)]}»”’.!?%…/")
_LINE_OPENERS = frozenset('«"“‘([¿¡—–')
_CONTINUATION_END = frozenset(",;:(«[{-–—/&+=“")
# What str.splitlines() splits on; ``_PARAGRAPH`` ones always end a sentence.
_LINE_BREAK = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_PARAGRAPH = frozenset("\x0c\x1c\x1d\x1e\u2029")

_CLUSTER = re.compile(r"[.!?…]+(?:(?:[ \u00a0\u202f\u2009]*[»”’)\]}]|[\"'](?![^\W_]))+[.!?…]*)?")
_SPACE_RUN = re.compile(r"\s*")
_LINE = re.compile(rf"([^{_LINE_BREAK}]*)(\r\n|[{_LINE_BREAK}])?")
_BULLET = re.compile(r"(?:[-–—•*·▪►‣◦∙●○■□➢➤✓✔]|\d{1,3}[.)]|[a-zA-Z]\)|\(\d{1,3}\))\s")
_LIST_NUMBER = re.compile(r"\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4}")
_NUMERAL = re.compile(r"\d|(?:[IVXLC]{1,6}|[A-Z])(?=[\s.,;)]|$)")
_LETTERS = re.compile(r"[^\W\d_]+")
_TOKEN_LOOKBACK = 64


def segment(text: str) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets: ordered, non-overlapping, trimmed of whitespace.

    Every non-whitespace character of ``text`` lies in exactly one sentence.
    """
    cuts = set(_line_cuts(text))
    cuts.update(_punctuation_cuts(text))
    return _trimmed_spans(text, sorted(cuts))


def split_sentences(text: str) -> list[Sentence]:
    """``segment`` as the project's ``Sentence`` objects (no role/stance yet)."""
    return [
        Sentence(index=i, start=s, end=e, text=text[s:e]) for i, (s, e) in enumerate(segment(text))
    ]


def _trimmed_spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Turn cut positions into whitespace-trimmed spans, dropping empty pieces."""
    spans: list[tuple[int, int]] = []
    prev = 0
    for cut in [*cuts, len(text)]:
        piece = text[prev:cut]
        stripped = piece.strip()
        if stripped:
            start = prev + len(piece) - len(piece.lstrip())
            spans.append((start, start + len(stripped)))
        prev = cut
    return spans


# --- line structure ------------------------------------------------------------------------------


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, line_break)`` for each line; the break is '' on the last line."""
    pos, n = 0, len(text)
    while pos < n:
        m = _LINE.match(text, pos)
        assert m is not None  # the pattern can match the empty string
        yield m.start(1), m.end(1), m.group(2) or ""
        pos = m.end()


def _line_cuts(text: str) -> Iterator[int]:
    """Cut before a line when the layout says a new sentence starts there."""
    prev: tuple[int, int] | None = None  # content bounds of the previous non-blank line
    paragraph = False  # a blank line or a paragraph separator since ``prev``
    for start, end, brk in _lines(text):
        line = text[start:end]
        content = line.strip()
        if content:
            lstart = start + len(line) - len(line.lstrip())
            if prev is not None and (
                paragraph or _breaks_between(text[prev[0] : prev[1]], content)
            ):
                yield lstart
            prev, paragraph = (lstart, lstart + len(content)), False
        elif prev is not None:
            paragraph = True
        if brk and brk in _PARAGRAPH:
            paragraph = True


def _breaks_between(prev_line: str, line: str) -> bool:
    """Whether a single line break between two non-blank lines ends a sentence."""
    if _BULLET.match(line) or line.startswith("#") or prev_line.startswith("#"):
        return True
    if _ends_with_terminal(prev_line) or _ends_with_continuation(prev_line):
        return False  # punctuation rules decide, or the line is soft-wrapped
    return line[0].isupper() or line[0] in _LINE_OPENERS


def _ends_with_terminal(line: str) -> bool:
    body = line.rstrip(_CLOSERS + " \u00a0\u202f\u2009")
    return bool(body) and body[-1] in _TERMINAL


def _ends_with_continuation(line: str) -> bool:
    """A line ending in a comma, an opening quote or a function word is soft-wrapped."""
    if line[-1] in _CONTINUATION_END:
        return True
    words = line[-40:].split()
    if not words or (len(words) == 1 and len(line) > 40):
        return False  # the last word is longer than the window: not a function word
    return words[-1].lower().replace("’", "'") in _CONTINUATION_WORDS


def _starts_sentence(char: str) -> bool:
    """A character that can open a sentence: anything but lower case or trailing punctuation."""
    return not char.islower() and char not in _NOT_STARTERS


# --- punctuation ---------------------------------------------------------------------------------


def _punctuation_cuts(text: str) -> Iterator[int]:
    """Cut after a final-punctuation cluster that is followed by a sentence start."""
    for m in _CLUSTER.finditer(text):
        end = m.end()
        space = _SPACE_RUN.match(text, end)
        nxt = space.end() if space else end
        if nxt >= len(text) or (nxt == end and not _glued_sentence(text, m.start(), end)):
            continue  # end of text, or "3.5", "www.exemple.com"
        if _is_boundary(text, m.start(), m.group(), text[nxt], nxt):
            yield end


def _glued_sentence(text: str, start: int, end: int) -> bool:
    """A missing space after the period: "dit le gouvernement.Les chiffres…", "en 1991.Elle"."""
    if text[start:end] not in (".", "!", "?") or not text[end + 1 : end + 2].islower():
        return False
    word = _token_before(text, start)[0]
    plain_word = word.isalpha() and word[1:].islower() and word.lower() != "www"
    return text[end].isupper() and len(word) > 1 and (plain_word or word.isdigit())


def _is_boundary(text: str, start: int, cluster: str, nxt: str, nxt_pos: int) -> bool:
    """Decide whether the punctuation ``cluster`` at ``start`` ends a sentence."""
    if not _starts_sentence(nxt):
        return False
    if start > 0 and text[start - 1] in "([":
        return False  # "(…)", "[...]", "(!)": an editorial mark, not a sentence end
    if cluster[0] != "." or cluster[1:2] == ".":
        return True  # "?", "!", an ellipsis
    token, token_start = _token_before(text, start)
    if not token:
        return True
    return _period_ends_sentence(text, token, token_start, nxt, nxt_pos)


def _token_before(text: str, end: int) -> tuple[str, int]:
    """The word before a period, without opening punctuation or an elided article."""
    lo = max(0, end - _TOKEN_LOOKBACK)
    i = end
    while i > lo and not text[i - 1].isspace():
        i -= 1
    token = text[i:end]
    core = token.rstrip(_CLOSERS)
    core_end = end - (len(token) - len(core))
    core = core.lstrip("(«\"“‘[{'’")
    for quote in "'’":
        head, sep, tail = core.partition(quote)
        if sep and tail and head.isalpha() and len(head) <= 7:
            core = tail  # "l'art" -> "art"
    return core, core_end - len(core)


def _period_ends_sentence(text: str, token: str, token_start: int, nxt: str, nxt_pos: int) -> bool:
    """The abbreviation/initial/list-number logic for a single period."""
    low = token.lower()
    capital_next = nxt.isupper() or nxt in '«"“'
    if low in _NEVER_FINAL:
        return False
    if low in _BEFORE_NUMBER and _numeral_follows(text, nxt_pos):
        return False
    if low in _MAY_END:
        return capital_next
    if _LIST_NUMBER.fullmatch(token) and _starts_item(text, token_start):
        return False  # "1. Le prix", "A. Les causes" at the start of a line
    if _INITIALS.fullmatch(token):
        return _initials_end_sentence(text, token, token_start, nxt_pos) and capital_next
    return True


def _initials_end_sentence(text: str, token: str, token_start: int, nxt_pos: int) -> bool:
    """Initials: "av. J.-C." and "O.N.U." may end a sentence, "J.-P." never, "C." before "Les"."""
    if token in ("J.-C", "J.C") and _word_before(text, token_start) in ("av.", "apr."):
        return True
    if "-" in token:
        return False
    if "." in token:
        return True
    word = _LETTERS.match(text, nxt_pos)
    return word is not None and word.group().lower() in _SENTENCE_STARTERS


def _numeral_follows(text: str, pos: int) -> bool:
    """A number, a Roman numeral or a single capital ("art. L. 1234", "vol. II") follows."""
    return bool(_NUMERAL.match(text, pos))


def _word_before(text: str, pos: int) -> str:
    """The whitespace-delimited word ending just before ``pos`` (and its spaces), lower-cased."""
    lo = max(0, pos - _TOKEN_LOOKBACK)
    words = text[lo:pos].split()
    return words[-1].lower() if words else ""


def _starts_item(text: str, pos: int) -> bool:
    """Whether a short number or letter at ``pos`` opens a line, like "1. Le prix"."""
    before = text[max(0, pos - _TOKEN_LOOKBACK) : pos].rstrip(" \t\u00a0\u202f")
    return not before or before[-1] in _LINE_BREAK


# --- words ---------------------------------------------------------------------------------------

_WORD = r"[\w\u0300-\u036f]"
_URL_END = r"[^\s<>\"«».,;:!?)\]'’]"
_TLD = r"(?:com|fr|org|net|eu|be|ch|lu|io|info|gouv\.fr|co\.uk)"
_ABBR_ALT = "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
_WORD_TOKEN = re.compile(  # "\s*+" skips spaces in C; it cannot backtrack (Python >= 3.11)
    r"\s*+(?P<tok>"
    + "|".join(
        [
            rf"(?:https?|ftp)://[^\s<>\"«»]*{_URL_END}|www\.[^\s<>\"«»]*{_URL_END}",
            r"\w[\w.+-]{0,63}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}",
            rf"(?<![\w.])[\w-]{{1,63}}(?:\.[\w-]{{1,63}}){{0,4}}\.{_TLD}(?![\w-])",
            rf"(?<![\w.])[{_UPPER}]\.(?:-?[{_UPPER}]\.)*(?=\s*\S)",
            rf"(?i:(?<![\w-])(?:{_ABBR_ALT})\.)(?=\s*\S)",
            r"(?i:(?<!\w)(?:aujourd['’]hui|prud['’]hom\w*))",
            r"(?i:(?<!\w)(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|quelqu|presqu)['’])(?=[^\W\d_])",
            r"\d+(?:[.,:/]\d+)+",
            rf"{_WORD}+(?:[-‐‑·]{_WORD}+)*",
            r"\.{2,}",
            r"\S",
        ]
    )
    + ")"
)


# URLs, e-mail addresses and domain names: no words to read. A match may only start where its
# run of characters starts (the look-behinds): the leftmost match is there anyway, and without
# them one 150,000-letter word costs minutes (each start position re-scans the rest of the run).
_NO_WORD_TOKEN = re.compile(
    rf"(?:https?|ftp)://\S*|www\.\S*|(?<!\S)\S+@\S+|(?<![\w.-])[\w.-]+\.{_TLD}(?![\w-])",
    re.IGNORECASE,
)
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")


def has_words(text: str) -> bool:
    """Whether ``text`` holds a word of two letters or more once URLs and e-mails are left out.

    A line without one ("***", "—", "1.", "12/03/2024", a bare link) is no argument and has no
    stance: the pipeline labels it ``none`` without model work (flag ``no_words``).
    """
    return _TWO_LETTERS.search(_NO_WORD_TOKEN.sub(" ", text)) is not None


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Word tokens of ``text[start:end]`` as document offsets; no token contains whitespace.

    French-aware: elisions keep their apostrophe ("l'", "qu'"), hyphenated words and
    initials stay whole ("peut-être", "J.-P."), abbreviations keep their period ("M.",
    "etc."), URLs, e-mails and decimals ("3.5", "12:00") are one token, and every other
    punctuation mark is its own token. Every non-space character is in exactly one token.
    """
    piece = text[start:end].rstrip()  # an abbreviation ending the range gives up its period
    return [(start + m.start(1), start + m.end(1)) for m in _WORD_TOKEN.finditer(piece)]
