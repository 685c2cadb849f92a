"""How each task turns gold ``Document``s into model inputs, and model outputs back into labels.

Kept apart from the models (PyTorch-IE style): offsets and labels live here, tensors in
``model.py``. The same functions build training examples and inference inputs, so training and
prediction cannot drift apart.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stance.doc import ROLES, Document, Sentence, Span

CONTEXT_CHARS = 120  # default per side: keeps the sentence itself inside the model window
SPAN_TAGS_MERGED = ("O", "B-claim", "I-claim", "B-premise", "I-premise")
SPAN_TAGS_FULL = SPAN_TAGS_MERGED + ("B-majorclaim", "I-majorclaim")


@dataclass(frozen=True)
class PairExample:
    """One classification input: a first text, an optional second text, and its gold label."""

    first: str
    second: str | None
    label: str
    group: str = ""
    annotated: bool = True  # False: a pair built by rule (`none` pairs, statement/negation pairs)


def context_string(
    sentences: Sequence[Sentence], i: int, k: int, chars: int = CONTEXT_CHARS
) -> str | None:
    """The k sentences before and after sentence i (at most ``chars`` characters per side),
    with markers for paragraph edges.

    Position matters on essays (claims open and close paragraphs), so the edges are explicit.
    """
    if k <= 0:
        return None
    before = " ".join(s.text for s in sentences[max(0, i - k) : i])[-chars:]
    after = " ".join(s.text for s in sentences[i + 1 : i + 1 + k])[:chars]
    return f"{before or '[début]'} [phrase] {after or '[fin]'}"


def component_inputs(
    doc: Document, context: int, chars: int = CONTEXT_CHARS
) -> tuple[list[str], list[str] | None]:
    firsts = [s.text for s in doc.sentences]
    if context <= 0:
        return firsts, None
    seconds = [context_string(doc.sentences, i, context, chars) or "" for i in range(len(firsts))]
    return firsts, seconds


def component_examples(
    docs: Sequence[Document], context: int, chars: int = CONTEXT_CHARS
) -> list[PairExample]:
    out = []
    for doc in docs:
        firsts, seconds = component_inputs(doc, context, chars)
        for i, sent in enumerate(doc.sentences):
            if sent.role in ROLES:
                second = seconds[i] if seconds else None
                out.append(PairExample(firsts[i], second, sent.role, doc.id))
    return out


def span_tags(merge_majorclaim: bool) -> tuple[str, ...]:
    return SPAN_TAGS_MERGED if merge_majorclaim else SPAN_TAGS_FULL


def doc_words(doc: Document) -> list[tuple[int, int]]:
    """Word offsets of a document: the unit the span tagger labels."""
    from stance.segment import word_spans

    return word_spans(doc.text)


def word_tags(doc: Document, words: list[tuple[int, int]], merge_majorclaim: bool) -> list[str]:
    """Gold BIO tag of each word, from the document's character spans."""
    tags = ["O"] * len(words)
    for span in sorted(doc.spans, key=lambda s: s.start):
        label = "claim" if (merge_majorclaim and span.label == "majorclaim") else span.label
        inside = [i for i, (a, b) in enumerate(words) if a < span.end and b > span.start]
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + label
    return tags


def tags_to_spans(
    words: list[tuple[int, int]], tags: list[str], scores: list[float] | None = None
) -> list[Span]:
    """Decode BIO word tags into character spans (an I- without B- opens a span)."""
    spans: list[Span] = []
    cur: list[int] = []
    label = ""

    def close() -> None:
        if cur:
            conf = sum(scores[i] for i in cur) / len(cur) if scores else None
            spans.append(Span(words[cur[0]][0], words[cur[-1]][1], label, conf))

    for i, tag in enumerate(tags):
        prefix, _, lab = tag.partition("-")
        if prefix == "B" or (prefix == "I" and lab != label):
            close()
            cur, label = [i], lab
        elif prefix == "I":
            cur.append(i)
        else:
            close()
            cur, label = [], ""
    close()
    return spans


def span_roles(
    words: list[tuple[int, int]], probs: np.ndarray, tags: Sequence[str], start: int, end: int
) -> np.ndarray | None:
    """The roles (``ROLES`` order) the span tagger reads in the sentence ``[start, end)``: the
    mean probability mass of each type over its words (claim = B/I-claim and majorclaim,
    none = O); None when no word lies inside.

    Why: the tagger reads the whole paragraph with a label per word; roles read this way score
    0.769 on the PE-FR essays' dev sentences against 0.749 for the roles part, and 0.786 on
    the training ones, so they are no copy of the gold labels (docs/research-log.md).
    """
    return sentences_span_roles(words, probs, tags, [(start, end)])[0]


def sentences_span_roles(
    words: list[tuple[int, int]],
    probs: np.ndarray,
    tags: Sequence[str],
    bounds: Sequence[tuple[int, int]],
) -> list[np.ndarray | None]:
    """``span_roles`` of each sentence ``(start, end)`` of one document, in one pass over its
    words (``words``: sorted, non-overlapping, as ``doc_words`` gives them)."""
    to_role = np.zeros((len(tags), len(ROLES)), dtype=np.float32)
    for j, tag in enumerate(tags):
        kind = tag.partition("-")[2].replace("majorclaim", "claim") or "none"
        to_role[j, ROLES.index(kind)] = 1.0
    mass = probs @ to_role if len(words) else np.zeros((0, len(ROLES)), dtype=np.float32)
    starts, ends = [a for a, _ in words], [b for _, b in words]
    out: list[np.ndarray | None] = []
    for start, end in bounds:
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_right(ends, end)
        mean = mass[lo:hi].mean(0) if hi > lo else None
        out.append(None if mean is None else mean / mean.sum())
    return out


MIN_SPAN_WORDS = 3
"""Shorter predicted components are dropped: all but one of the 6,566 PE-FR and AbstRCT-FR
training components have 3 words or more, so such runs are tagger noise (docs/research-log.md)."""
MAX_GAP_WORDS = 2
"""An O gap of at most this many words inside a run, with no sentence-ending mark in it, is
closed: the tagger drops single words in the middle of long components (docs/research-log.md)."""
_SENTENCE_END = frozenset(".!?;:")


def decode_spans(
    text: str, words: list[tuple[int, int]], tags: list[str], scores: list[float] | None = None
) -> list[Span]:
    """Predicted spans: maximal runs of non-O words, labelled by their majority type.

    The tagger's B-/I- boundaries and type switches inside a component are noisy; on PE-FR dev
    treating each run as one component lifts exact span F1 from 0.085 to 0.214 (partial
    0.272 → 0.438). Closing short O gaps inside a sentence first and dropping runs shorter than
    ``MIN_SPAN_WORDS`` lifts it again, 0.372 → 0.477 (AbstRCT-FR 0.582 → 0.673). Gold BIO is
    still decoded strictly by ``tags_to_spans``.
    """
    marks = [text[a:b] in _SENTENCE_END for a, b in words]
    inside = _close_gaps([tag != "O" for tag in tags], marks)
    runs: list[list[int]] = []
    for i, flag in enumerate(inside):
        if not flag:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    spans = []
    for run in (r for r in runs if len(r) >= MIN_SPAN_WORDS):
        tagged = [i for i in run if tags[i] != "O"]  # the closed gap words carry no type
        types = [tags[i].partition("-")[2] for i in tagged]
        label = max(dict.fromkeys(types), key=types.count)
        conf = sum(scores[i] for i in tagged) / len(tagged) if scores else None
        spans.append(Span(words[run[0]][0], words[run[-1]][1], label, conf))
    return spans


def _close_gaps(inside: list[bool], marks: list[bool]) -> list[bool]:
    """Mark as inside each O gap of ≤ ``MAX_GAP_WORDS`` words between two inside words, unless
    the gap holds a sentence-ending mark (a component never runs across one)."""
    out = list(inside)
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and not inside[j]:
            j += 1
        if 0 < i < j < len(out) and j - i <= MAX_GAP_WORDS and not any(marks[i:j]):
            out[i:j] = [True] * (j - i)
        i = max(j, i + 1)
    return out
