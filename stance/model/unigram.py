"""A SentencePiece Unigram fast tokenizer in a fraction of the memory, same ids and offsets.

``tokenizers`` keeps a Unigram vocabulary in a byte trie whose every node is a hash map: the
250k pieces of the e5 base's XLM-R vocabulary cost about 290 MB of resident memory that way,
a third of a ``stance label`` process (docs/research-log.md, "The tokenizer's memory"). Here
the segmentation runs in Python as the last pre-tokenisation step, over a dict of the pieces,
and the model is a ``WordLevel`` lookup of the pieces it cut: about 110 MB in all.

The search is the one of ``tokenizers``' ``Unigram::encode_optimized``: for each end position
the best total score, the first path found kept on ties (starts from left to right, shorter
pieces first); a character that no one-character piece covers is an unknown piece scored
``min(scores) - 10``; consecutive unknowns are fused into one. Normalisation, the other
pre-tokenisation steps, special tokens, truncation, overflowing windows, pairs, word ids and
offsets stay the fast tokenizer's own, so callers see an ordinary ``PreTrainedTokenizerFast``
(checked against the standard tokenizer in ``tests/model/test_unigram.py``).

For prediction only: a Python pre-tokenizer cannot be serialised, so ``save_pretrained`` and
pickling fail on it; exports and training read the standard tokenizer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from array import array
from pathlib import Path
from typing import Any

from stance.model.memory import trim

UNK_PENALTY = 10.0  # tokenizers' K_UNK_PENALTY: an unknown piece scores min(scores) - 10
CACHE_SIZE = 10_000  # words whose segmentation is remembered (tokenizers caches as many)


class UnigramSegmenter:
    """Cuts a pre-token into Unigram pieces; a ``tokenizers`` custom pre-tokenizer."""

    def __init__(self, pieces: list[str], scores: array[float]) -> None:
        self.ids = {piece: i for i, piece in enumerate(pieces)}
        self.scores = scores
        self.longest = max(len(p) for p in pieces)
        self.unk_score = min(scores) - UNK_PENALTY
        self._cache: dict[str, list[tuple[int, int]]] = {}

    def segment(self, text: str) -> list[tuple[int, int]]:
        """The best path's pieces as (start, end) character ranges of ``text``."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        n = len(text)
        best = [0.0] * (n + 1)
        start = [-1] * (n + 1)  # where the best piece ending here starts (-1: none yet)
        unknown = [False] * (n + 1)
        for i in range(n):
            covered = False
            for j in range(i + 1, min(n, i + self.longest) + 1):
                piece = self.ids.get(text[i:j])
                if piece is None:
                    continue
                covered = covered or j == i + 1
                score = self.scores[piece] + best[i]
                if start[j] < 0 or score > best[j]:
                    best[j], start[j], unknown[j] = score, i, False
            score = self.unk_score + best[i]
            if not covered and (start[i + 1] < 0 or score > best[i + 1]):
                best[i + 1], start[i + 1], unknown[i + 1] = score, i, True
        out = _backtrack(start, unknown, n)
        if len(self._cache) < CACHE_SIZE:
            self._cache[text] = out
        return out

    def split(self, _index: int, normalized: Any) -> list[Any]:
        return _cut(normalized, self.segment(str(normalized)), 0)

    def pre_tokenize(self, pretok: Any) -> None:
        pretok.split(self.split)


def _cut(normalized: Any, pieces: list[tuple[int, int]], offset: int) -> list[Any]:
    """``normalized`` (which starts at ``offset``) sliced into ``pieces``. A slice costs time in
    proportion to where it starts, so a long pre-token (150,000 characters of one word) is
    halved first: O(n log n) rather than O(n²)."""
    if len(pieces) <= 64:
        return [normalized[a - offset : b - offset] for a, b in pieces]
    mid = len(pieces) // 2
    cut = pieces[mid][0]
    left, right = normalized[: cut - offset], normalized[cut - offset :]
    return _cut(left, pieces[:mid], offset) + _cut(right, pieces[mid:], cut)


def _backtrack(start: list[int], unknown: list[bool], n: int) -> list[tuple[int, int]]:
    """The pieces of the best path ending at ``n``, consecutive unknown pieces fused."""
    out: list[tuple[int, int]] = []
    end = n
    fused_end = -1  # end of the run of unknown pieces being walked back through
    while end > 0:
        begin = start[end]
        if unknown[end]:
            fused_end = end if fused_end < 0 else fused_end
        else:
            if fused_end >= 0:
                out.append((end, fused_end))
                fused_end = -1
            out.append((begin, end))
        end = begin
    if fused_end >= 0:
        out.append((0, fused_end))
    out.reverse()
    return out


def compact_tokenizer(directory: str | Path) -> Any | None:
    """The fast tokenizer of ``directory`` with its Unigram model made compact; ``None`` when its
    ``tokenizer.json`` is not a plain Unigram (other models, byte fallback, no unknown piece)."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    found = read_unigram(Path(directory) / "tokenizer.json")
    if found is None:
        return None
    spec, pieces, scores = found
    unk = pieces[spec["model"]["unk_id"]]
    spec["model"] = {"type": "WordLevel", "vocab": {unk: 0}, "unk_token": unk}
    backend = Tokenizer.from_str(json.dumps(spec))
    segmenter = UnigramSegmenter(pieces, scores)
    del pieces
    backend.model = models.WordLevel(segmenter.ids, unk_token=unk)
    steps = [backend.pre_tokenizer] if backend.pre_tokenizer is not None else []
    tokenizer = PreTrainedTokenizerFast.from_pretrained(str(directory), tokenizer_object=backend)
    del backend  # the wrapper holds a copy
    custom = pre_tokenizers.PreTokenizer.custom(segmenter)
    # set after wrapping: transformers deep-copies the object it wraps, which a custom step forbids
    tokenizer.backend_tokenizer.pre_tokenizer = pre_tokenizers.Sequence([*steps, custom])
    trim()  # what reading the file made goes back to the OS
    return tokenizer


def read_unigram(path: Path) -> tuple[dict[str, Any], list[str], array[float]] | None:
    """``tokenizer.json`` as (its spec without the vocabulary, pieces, scores); ``None`` if it is
    not a plain Unigram. The first read stores the three in the user cache, keyed by the file's
    hash: parsing 17 MB of JSON takes 0.5 s, reading the cached copy a tenth of that."""
    raw = path.read_bytes()
    cached = _cache_dir() / f"unigram-{hashlib.sha256(raw).hexdigest()[:20]}.json"
    try:
        saved = json.loads(cached.read_bytes())
        return (
            saved["spec"],
            saved["pieces"].split("\n"),
            array("d", base64.b64decode(saved["scores"])),
        )
    except (OSError, ValueError, KeyError):
        pass
    spec = json.loads(raw)
    model = spec["model"]
    if model.get("type") != "Unigram" or model.get("byte_fallback") or model.get("unk_id") is None:
        return None
    # fresh strings, so that none of the parsed JSON's objects outlive it and its memory is freed
    vocab = model.pop("vocab")
    pieces = [piece.encode().decode() for piece, _ in vocab]
    scores = array("d", (score for _, score in vocab))
    del vocab
    if not any("\n" in piece for piece in pieces):
        blob = {"spec": spec, "pieces": "\n".join(pieces)}
        _write_atomically(cached, {**blob, "scores": base64.b64encode(scores.tobytes()).decode()})
    return spec, pieces, scores


def _cache_dir() -> Path:
    from stance.model.e5 import cache_root

    return cache_root() / "tokenizers"


def _write_atomically(path: Path, data: dict[str, Any]) -> None:
    """Best effort: a cache that cannot be written is read from the source next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
