"""Documents → the argument tagger's windows; one place for training and prediction.

A window is consecutive sentences of one document, each opened by a marker (the tokenizer's
CLS token), then the closing SEP: ``<s> s1 <s> s2 … </s>``; a window of one sentence is
exactly ``tokenizer(sentence)``. Sentences are never split between windows: a window takes
the next sentence while it fits in ``max_length`` tokens and no blank line (a paragraph
break) comes first; a sentence longer than a window alone is truncated (and flagged).

Each sentence is tokenised as written (offsets, no word pre-splitting, so a window of one is
what a sequence classifier reads), and each word (``tasks.doc_words``) is read at the first
token that overlaps it: its first sub-token, as the span part's encoding labels it. PyTorch-IE
style: a ``Window`` holds token ids and where each sentence and word is read, never tensors;
``pad_rows`` makes the tensors of a batch (prediction and the training collator alike).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from stance.doc import Document, Sentence
from stance.model.tasks import doc_words

PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")  # a blank line between two sentences
PADDING = {  # the value each column is padded with (input_ids: the tokenizer's pad id)
    "attention_mask": 0,
    "token_type_ids": 0,
    "labels": -100,
    "role_positions": -1,
    "role_labels": -100,
}
Words = list[tuple[int, int]]


@dataclass(frozen=True)
class Window:
    """One encoder input: consecutive sentences of document ``doc`` (its index in the list)."""

    doc: int
    sentences: tuple[int, ...]  # indices into the document's sentences
    input_ids: tuple[int, ...]
    markers: tuple[int, ...]  # token position of each sentence's marker (the first is 0)
    words: tuple[tuple[int, int], ...]  # (word index in the document, token position read)
    truncated: tuple[bool, ...]  # per sentence: longer than a window, cut

    def inputs(self) -> dict[str, list[int]]:
        """The model inputs of this window, as lists (``pad_rows`` batches them)."""
        ids = list(self.input_ids)
        return {
            "input_ids": ids,
            "attention_mask": [1] * len(ids),
            "role_positions": list(self.markers),
        }


@dataclass(frozen=True)
class _Piece:
    """One sentence's tokens before windows are made; word positions count from its start."""

    sentence: int
    ids: list[int]
    words: list[tuple[int, int]]
    truncated: bool


def build_windows(
    docs: Sequence[Document],
    tokenizer: Any,
    max_length: int,
    words: Sequence[Words] | None = None,
) -> list[Window]:
    """The windows of every document's sentences (``words``: each document's word offsets,
    ``doc_words`` when not given). Documents without sentences give none."""
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    if cls is None or sep is None:
        raise ValueError("the argument tagger needs a tokenizer with CLS and SEP tokens")
    words = list(words) if words is not None else [doc_words(d) for d in docs]
    texts = [s.text for d in docs for s in d.sentences]
    enc = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True) if texts else {}
    budget = max(1, max_length - 2)
    out: list[Window] = []
    k = 0
    for d, doc in enumerate(docs):
        pieces = []
        starts = [a for a, _ in words[d]]
        for j, sentence in enumerate(doc.sentences):
            ids, offsets = enc["input_ids"][k][:budget], enc["offset_mapping"][k][:budget]
            first = bisect.bisect_left(starts, sentence.start)
            aligned = _align(sentence, offsets, words[d], first)
            pieces.append(_Piece(j, ids, aligned, len(enc["input_ids"][k]) > budget))
            k += 1
        out += [_window(d, group, cls, sep) for group in _groups(doc, pieces, max_length)]
    return out


def _align(
    sentence: Sentence, offsets: list[tuple[int, int]], words: Words, first: int
) -> list[tuple[int, int]]:
    """(word index, token index in the sentence) for the sentence's words, from ``first`` on:
    the first token that overlaps each word. Words past the last token (truncated) are left out."""
    aligned = []
    t = 0
    for w in range(first, len(words)):
        if words[w][1] > sentence.end:
            break
        a, b = words[w][0] - sentence.start, words[w][1] - sentence.start
        while t < len(offsets) and offsets[t][1] <= a:
            t += 1
        if t == len(offsets):
            break
        if offsets[t][0] < b:
            aligned.append((w, t))
    return aligned


def _groups(doc: Document, pieces: list[_Piece], max_length: int) -> list[list[_Piece]]:
    """Consecutive sentences, greedily, while the window (markers and SEP included) fits and
    no paragraph break comes between them."""
    groups: list[list[_Piece]] = []
    size = 0
    for p in pieces:
        cost = len(p.ids) + 1  # the sentence and its marker
        new_paragraph = p.sentence > 0 and bool(
            PARAGRAPH_BREAK.search(
                doc.text[doc.sentences[p.sentence - 1].end : doc.sentences[p.sentence].start]
            )
        )
        if not groups or new_paragraph or size + cost + 1 > max_length:
            groups.append([p])
            size = cost
        else:
            groups[-1].append(p)
            size += cost
    return groups


def _window(doc: int, group: list[_Piece], cls: int, sep: int) -> Window:
    ids: list[int] = []
    markers, words = [], []
    for p in group:
        markers.append(len(ids))
        ids.append(cls)
        words += [(w, len(ids) + t) for w, t in p.words]
        ids += p.ids
    ids.append(sep)
    return Window(
        doc=doc,
        sentences=tuple(p.sentence for p in group),
        input_ids=tuple(ids),
        markers=tuple(markers),
        words=tuple(words),
        truncated=tuple(p.truncated for p in group),
    )


def pad_rows(rows: Sequence[Mapping[str, Any]], pad_id: int) -> dict[str, torch.Tensor]:
    """A batch of window rows as tensors: tokens padded with ``pad_id`` (mask 0, BIO -100),
    sentence slots with -1 (marker), -100 (role) and all-zero ``role_allowed`` rows."""
    out = {}
    for key in rows[0]:
        seqs = [list(row[key]) for row in rows]
        width = max(len(s) for s in seqs)
        if key == "role_allowed":  # sentences × roles
            blank = [0] * len(next(r for s in seqs for r in s))
            padded = [s + [blank] * (width - len(s)) for s in seqs]
        else:
            fill = pad_id if key == "input_ids" else PADDING[key]
            padded = [s + [fill] * (width - len(s)) for s in seqs]
        out[key] = torch.tensor(padded, dtype=torch.long)
    return out
