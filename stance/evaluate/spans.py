"""Argument-component (span) scores: exact and partial match F1, BIO decoding, token F1.

Definitions follow Persing & Ng (2016) and Eger et al. (2017), with one documented choice of
our own (see ``docs/evaluation.md``): a prediction and a gold component match at level ``alpha``
when they have the same type and ``|G ∩ P| / max(|G|, |P|) >= alpha``; each gold and each
predicted component takes part in at most one match (maximum one-to-one matching), so two
halves of one gold component cannot both count as hits. Spans are half-open ``(start, end,
label)`` intervals in token indices or character offsets alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from stance.doc import SPAN_LABELS
from stance.evaluate.metrics import bootstrap_stat, classification_report, percentile_interval

SpanTuple = tuple[int, int, str]
BIO_TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{lab}" for lab in SPAN_LABELS for p in "BI")
EXACT, PARTIAL = 1.0, 0.5
_EPS = 1e-9


def normalise_label(label: str) -> str:
    """Lowercase type, ``MajorClaim`` counted as ``claim``, ``Claim:For`` stance suffix dropped."""
    base = label.split(":", 1)[0].strip().lower()
    return "claim" if base == "majorclaim" else base


def normalise_tag(tag: str) -> str:
    """``B-MajorClaim`` → ``B-claim``; anything that is not B-/I- is ``O``."""
    if len(tag) > 2 and tag[1] == "-" and tag[0].upper() in "BI":
        return f"{tag[0].upper()}-{normalise_label(tag[2:])}"
    return "O"


def bio_to_spans(tags: Sequence[str]) -> list[SpanTuple]:
    """Decode BIO tags into (start, end, label) token spans, end exclusive.

    Malformed input is read as conlleval does: an ``I-X`` after ``O`` or after another type
    opens a new component, so a model that forgets the ``B-`` is not punished twice.
    """
    spans: list[SpanTuple] = []
    start, current = -1, ""
    for i, raw in enumerate(tags):
        tag = normalise_tag(raw)
        prefix, typ = (tag[0], tag[2:]) if tag != "O" else ("O", "")
        if current and (prefix != "I" or typ != current):
            spans.append((start, i, current))
            current = ""
        if prefix != "O" and not current:
            start, current = i, typ
    if current:
        spans.append((start, len(tags), current))
    return spans


def overlap_ratio(a: tuple[int, int], b: tuple[int, int]) -> float:
    """|A ∩ B| / max(|A|, |B|) for half-open intervals (0 when either is empty)."""
    longest = max(a[1] - a[0], b[1] - b[0])
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(inter, 0) / longest if longest > 0 else 0.0


def _max_matching(edges: list[list[int]], n_right: int) -> int:
    """Size of a maximum bipartite matching (Kuhn's augmenting paths; graphs here are tiny)."""
    owner = [-1] * n_right

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges[left]:
            if right in seen:
                continue
            seen.add(right)
            if owner[right] < 0 or augment(owner[right], seen):
                owner[right] = left
                return True
        return False

    return sum(augment(left, set()) for left in range(len(edges)))


def match_counts(
    gold: Sequence[SpanTuple], pred: Sequence[SpanTuple], alpha: float
) -> tuple[int, int, int]:
    """(tp, fp, fn) for one document at match level ``alpha`` (1.0 = exact)."""
    edges = [
        [
            j
            for j, p in enumerate(pred)
            if p[2] == g[2] and overlap_ratio(g[:2], p[:2]) >= alpha - _EPS
        ]
        for g in gold
    ]
    tp = _max_matching(edges, len(pred))
    return tp, len(pred) - tp, len(gold) - tp


def _prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    tp, fp, fn = float(tp), float(fp), float(fn)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _clean(spans: Sequence[SpanTuple], types: Sequence[str]) -> list[SpanTuple]:
    norm = [(int(s), int(e), normalise_label(lab)) for s, e, lab in spans]
    return [sp for sp in norm if sp[2] in types]


def doc_counts(
    gold_docs: Sequence[Sequence[SpanTuple]],
    pred_docs: Sequence[Sequence[SpanTuple]],
    alpha: float,
    types: Sequence[str] = SPAN_LABELS,
) -> np.ndarray:
    """Per-document (tp, fp, fn) per type: shape (docs, types, 3); the unit of resampling."""
    if len(gold_docs) != len(pred_docs):
        raise ValueError(f"{len(gold_docs)} gold documents but {len(pred_docs)} predicted")
    out = np.zeros((len(gold_docs), len(types), 3))
    for d, (gold, pred) in enumerate(zip(gold_docs, pred_docs, strict=True)):
        g, p = _clean(gold, types), _clean(pred, types)
        for t, typ in enumerate(types):
            gt = [s for s in g if s[2] == typ]
            pt = [s for s in p if s[2] == typ]
            out[d, t] = match_counts(gt, pt, alpha)
    return out


def _micro_f1(flat: np.ndarray) -> np.ndarray:
    counts = flat.reshape(*flat.shape[:-1], -1, 3).sum(axis=-2)
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    denom = 2 * tp + fp + fn
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, 2 * tp / denom, 0.0)


def span_scores(
    gold_docs: Sequence[Sequence[SpanTuple]],
    pred_docs: Sequence[Sequence[SpanTuple]],
    alpha: float,
    types: Sequence[str] = SPAN_LABELS,
    n_boot: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Micro P/R/F1 over all components, per type, and a document-level bootstrap CI."""
    counts = doc_counts(gold_docs, pred_docs, alpha, types)
    total = counts.sum(axis=0)
    per_type = {
        typ: {**_prf(*total[t]), "support": int(total[t, 0] + total[t, 2])}
        for t, typ in enumerate(types)
    }
    flat = counts.reshape(len(counts), -1)
    low, high = percentile_interval(bootstrap_stat(flat, _micro_f1, n_boot, seed), 0.05)
    tp, fp, fn = total.sum(axis=0)
    return {
        **_prf(tp, fp, fn),
        "tp": int(tp),
        "fp": int(fp),
        "fn": int(fn),
        "alpha": alpha,
        "ci95": {"low": low, "high": high},
        "per_type": per_type,
    }


def token_report(
    gold_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]
) -> dict[str, Any]:
    """Token-level classification report over the merged BIO tag set."""
    gold, pred = flatten_tags(gold_tags, pred_tags)
    return classification_report(gold, pred, BIO_TAGS)


def flatten_tags(
    gold_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]
) -> tuple[list[str], list[str]]:
    """Normalised, concatenated tag lists; documents must have equal lengths."""
    gold: list[str] = []
    pred: list[str] = []
    for d, (g, p) in enumerate(zip(gold_tags, pred_tags, strict=True)):
        if len(g) != len(p):
            raise ValueError(f"document {d}: {len(g)} gold tags but {len(p)} predicted")
        gold.extend(normalise_tag(t) for t in g)
        pred.extend(_keep(t) for t in p)
    return gold, pred


def _keep(tag: str) -> str:
    """Predicted tags: normalise the spelling, but keep unknown tags so they count as wrong."""
    norm = normalise_tag(tag)
    return norm if norm != "O" or tag == "O" else tag
