"""CoNLL-style BIO files: one token per line, a blank line between sentences.

The same parsing serves three jobs — reading our own ``--format conll`` output back, and
converting the PE-FR and AbstRCT-FR research files (``stance.training.data``) — so the BIO
decoding and the "role of the span covering most of a sentence's tokens" rule live here, once.

Text rebuilt from tokens is the tokens joined by single spaces: BIO files do not keep the
original spacing, so offsets refer to that rebuilt text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from stance.doc import Document, Sentence, Span
from stance.model.tasks import tags_to_spans, word_tags

ROLE_OF_LABEL = {"majorclaim": "claim", "claim": "claim", "premise": "premise"}
_COMMENT = re.compile(r"^# (\w+) = (.*)$")
_TAG = re.compile(r"^(?:O|[BI]-\S+)$")

Token = tuple[str, str]  # (token, BIO label)
Words = list[tuple[int, int]]


@dataclass(frozen=True)
class BioText:
    """Tokens of one or more blocks laid out as text, with their spans and block ranges."""

    text: str
    words: Words
    spans: tuple[Span, ...]
    blocks: tuple[tuple[int, int], ...]  # character range of each input block (sentence)


def parse_token_line(line: str) -> Token | None:
    """``token<TAB>label`` or ``token<SPACE>label`` (the label is the last field).

    A line holding only a label has lost its token (seen in AbstRCT-FR dev): it is skipped.
    """
    line = line.rstrip("\r\n")
    if "\t" in line:
        token, _, label = line.rpartition("\t")
    elif " " in line.strip():
        token, _, label = line.strip().rpartition(" ")
    else:
        token, label = line.strip(), "O"
        if _TAG.match(token):
            return None
    token = token.strip()
    return (token, label.strip() or "O") if token else None


def iter_blocks(lines: Iterable[str]) -> Iterator[list[Token]]:
    """Blocks of token lines separated by blank lines (runs of blank lines count as one)."""
    block: list[Token] = []
    for line in lines:
        if not line.strip():
            if block:
                yield block
            block = []
            continue
        tok = parse_token_line(line)
        if tok is not None:
            block.append(tok)
    if block:
        yield block


def normalize_tag(tag: str) -> str:
    """``B-MajorClaim`` → ``B-majorclaim``; anything that is not B-/I- becomes ``O``."""
    prefix, sep, label = tag.partition("-")
    if not sep or prefix.upper() not in ("B", "I") or not label:
        return "O"
    return f"{prefix.upper()}-{label.lower()}"


def bio_text(blocks: Sequence[Sequence[Token]]) -> BioText:
    """Join all tokens with single spaces and decode the BIO labels into character spans."""
    parts: list[str] = []
    words: Words = []
    tags: list[str] = []
    ranges: list[tuple[int, int]] = []
    pos = 0
    for block in blocks:
        first = len(words)
        for token, label in block:
            if parts:
                pos += 1
            words.append((pos, pos + len(token)))
            parts.append(token)
            tags.append(normalize_tag(label))
            pos += len(token)
        if block:
            ranges.append((words[first][0], pos))
    spans = tags_to_spans(words, tags)
    return BioText(" ".join(parts), words, tuple(spans), tuple(ranges))


def sentence_role(start: int, end: int, words: Words, spans: Sequence[Span]) -> str:
    """Role of the span covering most of the sentence's tokens; ``none`` when no span does.

    This reproduces the sentence labels of the PE sentence table (Rücklé et al.) better than a
    plain majority vote with ``O`` tokens, which would call "Je pense que <claim>" ``none``.
    """
    inside = [w for w in words if start <= w[0] < end]
    best, best_count = "none", 0
    for span in spans:
        count = sum(1 for a, b in inside if a >= span.start and b <= span.end)
        if count > best_count:
            best, best_count = ROLE_OF_LABEL.get(span.label, "none"), count
    return best


def role_sentences(
    text: str, ranges: Iterable[tuple[int, int]], words: Words, spans: Sequence[Span]
) -> tuple[Sentence, ...]:
    """Sentences over ``ranges`` with their gold role taken from ``spans``."""
    return tuple(
        Sentence(i, a, b, text[a:b], role=sentence_role(a, b, words, spans))
        for i, (a, b) in enumerate(ranges)
    )


def conll_block(doc: Document) -> str:
    """One document as CoNLL text: ``# doc_id`` comment, then ``token<TAB>tag`` lines.

    Tags come from ``doc.spans``; without spans, from the sentence roles (each claim/premise
    sentence becomes one span), so role-only predictions still export.
    """
    from stance.segment import word_spans

    head = [f"# doc_id = {_one_line(doc.id)}"]
    if doc.target:
        head.append(f"# target = {_one_line(doc.target)}")
    if doc.error:
        head.append(f"# error = {doc.error.get('type')}: {_one_line(doc.error.get('message', ''))}")
    words = word_spans(doc.text)
    tagged = doc if doc.spans else replace(doc, spans=_role_spans(doc))
    tags = word_tags(tagged, words, merge_majorclaim=False)
    lines = "\n".join(head) + "\n"
    for group in _group_by_sentence(doc, len(words), words):
        lines += "".join(f"{doc.text[words[i][0] : words[i][1]]}\t{tags[i]}\n" for i in group)
        lines += "\n"
    return lines if words else lines + "\n"


def read_conll(path: str | Path) -> list[Document]:
    """Documents from a CoNLL file written by ``conll_block`` (or any token/label file).

    ``# doc_id = …`` starts a new document; without such comments the whole file is one.
    """
    path = Path(path)
    docs: list[Document] = []
    meta: dict[str, str] = {}
    blocks: list[list[Token]] = [[]]
    for line in path.read_text(encoding="utf-8").split("\n"):
        match = _COMMENT.match(line.rstrip("\r"))
        if match and match[1] == "doc_id":
            _flush(docs, meta, blocks, path)
            meta, blocks = {}, [[]]
        if match:
            meta[match[1]] = match[2]
        elif not line.strip():
            blocks.append([])
        elif (tok := parse_token_line(line)) is not None:
            blocks[-1].append(tok)
    _flush(docs, meta, blocks, path)
    return docs


def _flush(
    docs: list[Document], meta: dict[str, str], blocks: list[list[Token]], path: Path
) -> None:
    blocks = [b for b in blocks if b]
    if not blocks and "doc_id" not in meta:
        return
    bt = bio_text(blocks)
    docs.append(
        Document(
            id=meta.get("doc_id", f"{path.stem}:{len(docs)}"),
            text=bt.text,
            source=str(path),
            target=meta.get("target"),
            sentences=role_sentences(bt.text, bt.blocks, bt.words, bt.spans),
            spans=bt.spans,
        )
    )


def _role_spans(doc: Document) -> tuple[Span, ...]:
    return tuple(
        Span(s.start, s.end, s.role) for s in doc.sentences if s.role in ("claim", "premise")
    )


def _group_by_sentence(doc: Document, n: int, words: Words) -> list[list[int]]:
    """Word indices per sentence; words outside every sentence join the previous group."""
    if not doc.sentences:
        return [list(range(n))] if n else []
    starts = [s.start for s in doc.sentences]
    groups: list[list[int]] = [[] for _ in starts]
    k = 0
    for i, (a, _) in enumerate(words):
        while k + 1 < len(starts) and starts[k + 1] <= a:
            k += 1
        groups[k].append(i)
    return [g for g in groups if g]


def _one_line(value: str) -> str:
    return " ".join(value.split())
