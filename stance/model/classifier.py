"""Run a part's network over text: pair classification with windows, token tagging, and the
argument tagger (roles and BIO tags in one pass).

See :mod:`stance.model.part` for how a part directory is found and opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from stance.doc import ROLES, Document
from stance.model.part import PartInfo
from stance.model.tasks import doc_words, sentences_span_roles
from stance.model.windows import Window, build_windows, pad_rows


def window_stride(max_length: int, stride: int = 32) -> int:
    """Overlap between windows; must stay well below the room left for the long side."""
    return max(1, min(stride, max_length // 4))


def short_side_budget(max_length: int) -> int:
    """Most tokens the short side of a pair (context, target) may take."""
    stride = window_stride(max_length)
    return max(4, max_length - 3 - stride - max(8, max_length // 8))


def cap_tokens(tokenizer: Any, texts: list[str], budget: int) -> list[str]:
    """Shorten texts over ``budget`` tokens to their head and tail (cut at token offsets).

    The windowed side of a pair needs room; the other side (context or target) is trimmed
    so that windows over the long side always fit.
    """
    if not texts:
        return []
    enc = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True)
    out = []
    for text, offsets in zip(texts, enc["offset_mapping"], strict=True):
        if len(offsets) <= budget:
            out.append(text)
            continue
        half = budget // 2
        head = text[: offsets[half - 1][1]]
        tail = text[offsets[len(offsets) - (budget - half - 1)][0] :]
        out.append(f"{head} … {tail}")
    return out


def _trim_padding(enc: dict[str, Any], side: str = "right") -> dict[str, Any]:
    """Drop columns that are padding in every row.

    With ``return_overflowing_tokens`` the tokenizer pads every row to ``max_length``; for
    short sentences that tripled the work. Outputs are unchanged (padding is masked).
    """
    if side != "right":
        return enc
    mask = enc["attention_mask"]
    width = int(mask.sum(dim=1).max()) if mask.numel() else 0
    return {k: (v[:, :width] if hasattr(v, "dim") and v.dim() == 2 else v) for k, v in enc.items()}


def longest_first(lengths: Sequence[int]) -> list[int]:
    """Indices of ``lengths``, longest first (ties keep their order). Every model here batches
    its rows in this order: a batch holds rows of nearly one length (little padding), and its
    buffers fit in the memory the batch before freed (shortest first, each batch asked for a
    little more and the heap grew by ~0.4 GB in one roles call)."""
    return sorted(range(len(lengths)), key=lambda i: -lengths[i])


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / max(temperature, 1e-6)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class PairClassifier:
    """Sentence or (first, second) pair → class logits, with overlapping windows when too long.

    ``long_side`` says which segment may be windowed: the sentence for roles (context is
    trimmed beforehand), the text for stance (the target is short).
    """

    def __init__(self, model: torch.nn.Module, tokenizer: Any, info: PartInfo) -> None:
        self.model, self.tokenizer, self.info = model, tokenizer, info

    @property
    def labels(self) -> tuple[str, ...]:
        return self.info.labels

    def logits(
        self,
        first: list[str],
        second: list[str] | None = None,
        *,
        long_side: str = "first",
        batch_size: int = 16,  # sentences per forward: faster than 32 on CPU (less padding)
    ) -> tuple[np.ndarray, list[bool]]:
        """Mean logits over each input's windows, and whether it needed more than one."""
        n = len(first)
        if n == 0:
            return np.zeros((0, len(self.labels)), dtype=np.float32), []
        max_len = self.info.max_length
        if second is not None:
            budget = short_side_budget(max_len)
            if long_side == "first":
                second = cap_tokens(self.tokenizer, second, budget)
            else:
                first = cap_tokens(self.tokenizer, first, budget)
        rows, owner = self._encode_rows(first, second, long_side)
        logits = self._forward_rows(rows, batch_size)
        sums = np.zeros((n, len(self.labels)), dtype=np.float32)
        np.add.at(sums, owner, logits)
        counts = np.bincount(owner, minlength=n).astype(np.float32)
        return sums / counts[:, None], [bool(c > 1) for c in counts]

    def _encode_rows(
        self, first: list[str], second: list[str] | None, long_side: str
    ) -> tuple[list[dict[str, list[int]]], np.ndarray]:
        """Every input tokenised in one call (windows of a long one are rows of their own),
        unpadded; and the input each row belongs to."""
        max_len = self.info.max_length
        if second is None:
            truncation: str | bool = True
        else:
            truncation = "only_first" if long_side == "first" else "only_second"
        enc = self.tokenizer(
            first,
            second,
            truncation=truncation,
            max_length=max_len,
            stride=window_stride(max_len),
            return_overflowing_tokens=True,
            padding=False,
        )
        owner = np.asarray(enc.pop("overflow_to_sample_mapping"), dtype=np.int64)
        keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
        rows = [{k: enc[k][r] for k in keys} for r in range(len(owner))]
        return rows, owner

    def _forward_rows(self, rows: list[dict[str, list[int]]], batch_size: int) -> np.ndarray:
        """Logits of each row: rows padded per batch, ``longest_first``."""
        out = np.zeros((len(rows), len(self.labels)), dtype=np.float32)
        order = longest_first([len(r["input_ids"]) for r in rows])
        for lo in range(0, len(order), batch_size):
            idx = order[lo : lo + batch_size]
            batch = pad_rows([rows[r] for r in idx], self.tokenizer.pad_token_id)
            with torch.inference_mode():
                out[idx] = self.model(**batch).logits.float().numpy()
        return out

    def proba(self, first: list[str], second: list[str] | None = None, **kw: Any) -> np.ndarray:
        logits, _ = self.logits(first, second, **kw)
        return softmax(logits, self.info.temperature)


class TokenTagger:
    """Words → per-word BIO probabilities; long paragraphs are cut into overlapping windows."""

    def __init__(self, model: torch.nn.Module, tokenizer: Any, info: PartInfo) -> None:
        self.model, self.tokenizer, self.info = model, tokenizer, info

    @property
    def labels(self) -> tuple[str, ...]:
        return self.info.labels

    def word_proba(self, docs_words: list[list[str]], batch_size: int = 16) -> list[np.ndarray]:
        """For each document, a (n_words, n_tags) array averaged over the windows seeing it."""
        k = len(self.labels)
        sums = [np.zeros((len(w), k), dtype=np.float32) for w in docs_words]
        counts = [np.zeros(len(w), dtype=np.float32) for w in docs_words]
        todo = [i for i in longest_first([len(w) for w in docs_words]) if docs_words[i]]
        for lo in range(0, len(todo), batch_size):
            idx = todo[lo : lo + batch_size]
            enc = self.tokenizer(
                [docs_words[i] for i in idx],
                is_split_into_words=True,
                truncation=True,
                max_length=self.info.max_length,
                stride=window_stride(
                    self.info.max_length, self.info.extra.get("window_stride", 32)
                ),
                return_overflowing_tokens=True,
                padding=True,
                return_tensors="pt",
            )
            owner = enc["overflow_to_sample_mapping"].tolist()
            word_ids = [enc.word_ids(r) for r in range(len(owner))]
            inputs = {k_: enc[k_] for k_ in ("input_ids", "attention_mask")}
            inputs = _trim_padding(inputs, self.tokenizer.padding_side)
            probs = softmax(self._logits(inputs, batch_size), self.info.temperature)
            for row, j in enumerate(owner):
                doc = idx[j]
                seen: set[int] = set()
                for pos, wid in enumerate(word_ids[row]):
                    if wid is None or wid in seen:
                        continue
                    seen.add(wid)
                    sums[doc][wid] += probs[row, pos]
                    counts[doc][wid] += 1
        return [s / np.maximum(c, 1)[:, None] for s, c in zip(sums, counts, strict=True)]

    def _logits(self, inputs: dict[str, torch.Tensor], batch_size: int) -> np.ndarray:
        """At most ``batch_size`` windows per forward: 16 long documents cut into windows made
        forwards of 160 rows, whose activations took 0.6 GB (docs/benchmarks.md, "Scale")."""
        n = int(inputs["input_ids"].shape[0])
        out = []
        with torch.inference_mode():
            for lo in range(0, n, batch_size):
                rows = {k: v[lo : lo + batch_size] for k, v in inputs.items()}
                out.append(self.model(**rows).logits.float().numpy())
        return np.concatenate(out)


@dataclass(frozen=True)
class TaggedDocument:
    """The argument tagger's scores for one document (``ArgumentTagger.predict``)."""

    role_probs: np.ndarray  # sentences × role labels
    words: list[tuple[int, int]]  # the document's words (``tasks.doc_words``)
    word_probs: np.ndarray  # words × BIO tags; a word no window reads counts as sure "O"
    truncated: list[bool]  # per sentence: longer than a window, read in part


class ArgumentTagger:
    """Documents → sentence role and word BIO probabilities, one encoder pass per window of
    consecutive sentences (``stance/model/windows.py``, ``stance/model/tagger.py``).

    Roles are scaled by the part's ``temperature``, tags by ``extra["span_temperature"]``.
    """

    def __init__(self, model: torch.nn.Module, tokenizer: Any, info: PartInfo) -> None:
        self.model, self.tokenizer, self.info = model, tokenizer, info

    @property
    def labels(self) -> tuple[str, ...]:
        """The BIO tags."""
        return self.info.labels

    @property
    def role_labels(self) -> tuple[str, ...]:
        return tuple(self.info.extra.get("role_labels") or ROLES)

    def logits(
        self,
        docs: Sequence[Document],
        batch_size: int = 16,
        words: list[list[tuple[int, int]]] | None = None,
    ) -> tuple[list[np.ndarray], list[np.ndarray], list[Window]]:
        """Per document: role logits (sentences × roles) and word logits (words × tags; NaN
        rows for words no window reads), and the windows that were read, sorted by length
        across documents and batched (``words``: each document's ``doc_words``)."""
        words = words if words is not None else [doc_words(d) for d in docs]
        windows = build_windows(docs, self.tokenizer, self.info.max_length, words)
        n_roles, n_tags = len(self.role_labels), len(self.labels)
        roles = [np.zeros((len(d.sentences), n_roles), dtype=np.float32) for d in docs]
        tags = [np.full((len(w), n_tags), np.nan, dtype=np.float32) for w in words]
        order = longest_first([len(w.input_ids) for w in windows])
        for lo in range(0, len(order), batch_size):
            batch = [windows[i] for i in order[lo : lo + batch_size]]
            enc = pad_rows([w.inputs() for w in batch], self.tokenizer.pad_token_id)
            with torch.inference_mode():
                out = self.model(**enc)
            token_logits = out.logits.float().numpy()
            role_logits = out.role_logits.float().numpy()
            for row, window in enumerate(batch):
                for j, sentence in enumerate(window.sentences):
                    roles[window.doc][sentence] = role_logits[row, j]
                for word, pos in window.words:
                    tags[window.doc][word] = token_logits[row, pos]
        return roles, tags, windows

    def predict(self, docs: Sequence[Document], batch_size: int = 16) -> list[TaggedDocument]:
        """Scores only: labels are written by the pipeline."""
        words = [doc_words(d) for d in docs]
        return self.scores(docs, words, *self.logits(docs, batch_size, words))

    def scores(
        self,
        docs: Sequence[Document],
        words: list[list[tuple[int, int]]],
        roles: list[np.ndarray],
        tags: list[np.ndarray],
        windows: list[Window],
    ) -> list[TaggedDocument]:
        """``logits``' output as probabilities (temperatures, the role mix): no model work, so
        the same logits can be read under another ``span_role_weight``."""
        truncated = [[False] * len(d.sentences) for d in docs]
        in_context: list[list[int]] = [[] for _ in docs]  # sentences read beside others
        for window in windows:
            for sentence, cut in zip(window.sentences, window.truncated, strict=True):
                truncated[window.doc][sentence] = cut
            if len(window.sentences) > 1:
                in_context[window.doc] += window.sentences
        outside = np.zeros(len(self.labels), dtype=np.float32)
        outside[self.labels.index("O") if "O" in self.labels else 0] = 1.0
        span_t = float(self.info.extra.get("span_temperature", 1.0))
        out = []
        for d, doc in enumerate(docs):
            probs = softmax(np.nan_to_num(tags[d]), span_t)
            probs[np.isnan(tags[d]).any(-1)] = outside
            role_probs = softmax(roles[d], self.info.temperature)
            self._with_span_roles(role_probs, doc, in_context[d], words[d], probs)
            out.append(TaggedDocument(role_probs, words[d], probs, truncated[d]))
        return out

    def _with_span_roles(
        self,
        role_probs: np.ndarray,
        doc: Document,
        sentences: list[int],
        words: list[tuple[int, int]],
        word_probs: np.ndarray,
    ) -> None:
        """In place: the roles of ``sentences`` (those read in a window with others) mixed with
        the roles their words' BIO tags give (``tasks.sentences_span_roles``), by the part's
        ``extra["span_role_weight"]`` (0: the role head alone). A sentence read alone keeps
        the role head's answer, so a one-sentence document gets what the exported sequence
        classifier gives (``stance export hf --task component``)."""
        weight = float(self.info.extra.get("span_role_weight", 0.0))
        if not weight or not sentences:
            return
        bounds = [(doc.sentences[j].start, doc.sentences[j].end) for j in sentences]
        order = [ROLES.index(r) for r in self.role_labels]
        read = sentences_span_roles(words, word_probs, self.labels, bounds)
        for j, from_tags in zip(sentences, read, strict=True):
            if from_tags is not None:
                role_probs[j] = (1.0 - weight) * role_probs[j] + weight * from_tags[order]
