"""Classification metrics over a label set fixed in advance, with uncertainty.

The label set comes from the data format, never from the predictions: a label the model never
predicts still counts (F1 0) in the macro average, and a predicted label outside the set (``none``
on X-Stance) is simply wrong. Confidence intervals and significance tests resample *units*
(examples, or whole documents for token tasks) so that correlated items are not counted as
independent evidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

BOOT_CHUNK = 100  # bootstrap replicates built at once: bounds memory on long token lists


def _encode(
    gold: Sequence[str],
    pred: Sequence[str],
    labels: Sequence[str],
    other_pred: Sequence[str] = (),
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Integer codes for gold (rows) and pred (columns = labels, then extra predicted labels).

    ``other_pred`` adds its extra labels to the columns, so two systems share one layout.
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}")
    if len(set(labels)) != len(labels) or not labels:
        raise ValueError(f"labels must be a non-empty list of distinct labels, got {labels!r}")
    unknown = sorted(set(gold) - set(labels))
    if unknown:
        raise ValueError(f"gold labels {unknown} are outside the fixed label set {list(labels)}")
    columns = list(labels) + sorted((set(pred) | set(other_pred)) - set(labels))
    index = {lab: i for i, lab in enumerate(columns)}
    g = np.fromiter((index[x] for x in gold), dtype=np.int64, count=len(gold))
    p = np.fromiter((index[x] for x in pred), dtype=np.int64, count=len(pred))
    return g, p, columns


def _unit_counts(
    g: np.ndarray, p: np.ndarray, n_rows: int, n_cols: int, groups: Sequence[Any] | None
) -> np.ndarray:
    """Flattened confusion counts per resampling unit (one example, or one group of them)."""
    cell = g * n_cols + p
    if groups is None:
        counts = np.zeros((len(cell), n_rows * n_cols), dtype=np.float64)
        counts[np.arange(len(cell)), cell] = 1.0
        return counts
    _, unit = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    counts = np.zeros((int(unit.max()) + 1 if len(unit) else 0, n_rows * n_cols))
    np.add.at(counts, (unit, cell), 1.0)
    return counts


def _f1_parts(conf: np.ndarray, n_labels: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall, F1 per label from confusion matrices of shape (..., K, K + extras)."""
    idx = np.arange(n_labels)
    tp = conf[..., idx, idx]
    predicted = conf.sum(axis=-2)[..., :n_labels]
    support = conf.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = np.where(support > 0, tp / support, 0.0)
        f1 = np.where(predicted + support > 0, 2 * tp / (predicted + support), 0.0)
    return precision, recall, f1


def _macro_f1_from_flat(flat: np.ndarray, n_rows: int, n_cols: int) -> np.ndarray:
    conf = flat.reshape(*flat.shape[:-1], n_rows, n_cols)
    return _f1_parts(conf, n_rows)[2].mean(axis=-1)


def classification_report(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]
) -> dict[str, Any]:
    """Macro-F1 over ``labels``, per-class scores, accuracy and the confusion matrix."""
    g, p, columns = _encode(gold, pred, labels)
    k = len(labels)
    conf = np.zeros((k, len(columns)), dtype=np.int64)
    np.add.at(conf, (g, p), 1)
    precision, recall, f1 = _f1_parts(conf.astype(np.float64), k)
    per_class = {
        lab: {
            "precision": float(precision[i]),
            "recall": float(recall[i]),
            "f1": float(f1[i]),
            "support": int(conf[i].sum()),
        }
        for i, lab in enumerate(labels)
    }
    return {
        "n": len(gold),
        "macro_f1": float(f1.mean()),
        "accuracy": float((g == p).mean()) if len(g) else 0.0,
        "per_class": per_class,
        "confusion": {"gold": list(labels), "pred": columns, "matrix": conf.tolist()},
    }


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    return float(classification_report(gold, pred, labels)["macro_f1"])


def resample_weights(n_units: int, n: int, seed: int) -> Iterator[np.ndarray]:
    """Bootstrap replicates as multiplicity weights (chunks of shape (b, n_units)).

    One generator for every test so that a seed gives the same replicates everywhere, and
    paired tests resample both systems with the very same draws.
    """
    rng = np.random.default_rng(seed)
    for start in range(0, n, BOOT_CHUNK):
        b = min(BOOT_CHUNK, n - start)
        draws = rng.integers(0, n_units, size=(b, n_units))
        offsets = draws + np.arange(b)[:, None] * n_units
        yield np.bincount(offsets.ravel(), minlength=b * n_units).reshape(b, n_units)


def bootstrap_stat(
    unit_counts: np.ndarray, stat: Callable[[np.ndarray], np.ndarray], n: int, seed: int
) -> np.ndarray:
    """``stat`` (vectorised over rows of summed counts) on ``n`` bootstrap replicates."""
    if len(unit_counts) == 0 or n <= 0:
        return np.zeros(0)
    out = [stat(w @ unit_counts) for w in resample_weights(len(unit_counts), n, seed)]
    return np.concatenate(out)


def percentile_interval(values: np.ndarray, alpha: float) -> tuple[float, float]:
    if len(values) == 0:  # no replicates asked for: no interval (JSON has no NaN)
        return (float("nan"), float("nan"))
    low, high = np.quantile(values, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def bootstrap_ci(
    gold: Sequence[str],
    pred: Sequence[str],
    labels: Sequence[str],
    n: int = 1000,
    seed: int = 0,
    alpha: float = 0.05,
    groups: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """Percentile bootstrap interval for macro-F1; ``groups`` resamples whole groups (docs)."""
    g, p, columns = _encode(gold, pred, labels)
    k, m = len(labels), len(columns)
    counts = _unit_counts(g, p, k, m, groups)
    values = bootstrap_stat(counts, lambda c: _macro_f1_from_flat(c, k, m), n, seed)
    low, high = percentile_interval(values, alpha)
    point = float(_macro_f1_from_flat(counts.sum(axis=0), k, m)) if len(counts) else 0.0
    return {"macro_f1": point, "low": low, "high": high, "n_boot": n, "alpha": alpha}


def paired_bootstrap(
    gold: Sequence[str],
    pred_a: Sequence[str],
    pred_b: Sequence[str],
    labels: Sequence[str],
    n: int = 1000,
    seed: int = 0,
    groups: Sequence[Any] | None = None,
) -> float:
    """Two-sided p-value that systems A and B have the same macro-F1.

    The replicate differences are centred on the observed one (the null shift of
    Berg-Kirkpatrick et al. 2012); add-one smoothing keeps p > 0 for finite ``n``.
    """
    ga, pa, columns = _encode(gold, pred_a, labels, other_pred=pred_b)
    _, pb, _ = _encode(gold, pred_b, labels, other_pred=pred_a)
    k, m = len(labels), len(columns)
    width = k * m
    joint = np.concatenate(
        [_unit_counts(ga, pa, k, m, groups), _unit_counts(ga, pb, k, m, groups)], axis=1
    )

    def delta(c: np.ndarray) -> np.ndarray:
        fa = _macro_f1_from_flat(c[..., :width], k, m)
        return np.asarray(fa - _macro_f1_from_flat(c[..., width:], k, m))

    observed = float(delta(joint.sum(axis=0)))
    deltas = bootstrap_stat(joint, delta, n, seed)
    extreme = int(np.sum(np.abs(deltas - observed) >= abs(observed) - 1e-12))
    return (extreme + 1) / (len(deltas) + 1)


def mcnemar(
    gold: Sequence[str], pred_a: Sequence[str], pred_b: Sequence[str], exact_below: int = 25
) -> dict[str, Any]:
    """McNemar's test on the discordant pairs: exact binomial when they are few."""
    if not len(gold) == len(pred_a) == len(pred_b):
        raise ValueError("gold, pred_a and pred_b must have the same length")
    a_ok = np.asarray(pred_a, dtype=object) == np.asarray(gold, dtype=object)
    b_ok = np.asarray(pred_b, dtype=object) == np.asarray(gold, dtype=object)
    b = int(np.sum(a_ok & ~b_ok))
    c = int(np.sum(~a_ok & b_ok))
    if b + c < exact_below:
        tail = sum(math.comb(b + c, i) for i in range(min(b, c) + 1)) / 2 ** (b + c)
        stat, p_value, method = float(min(b, c)), min(1.0, 2 * tail), "exact"
    else:
        stat = (abs(b - c) - 1) ** 2 / (b + c)
        p_value, method = math.erfc(math.sqrt(stat / 2)), "chi2-corrected"
    return {"statistic": stat, "p_value": p_value, "b": b, "c": c, "method": method}


def partition_report(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str], values: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Macro-F1 (same fixed label set) and accuracy for each value of a meta key.

    A label with no gold example in a partition still counts, with F1 0 (as in the whole set);
    ``labels_absent`` names such labels so that a low partition score can be read correctly.
    """
    if len(values) != len(gold):
        raise ValueError(f"partition has {len(values)} values for {len(gold)} examples")
    out: dict[str, dict[str, Any]] = {}
    for value in sorted({str(v) for v in values}):
        idx = [i for i, v in enumerate(values) if str(v) == value]
        rep = classification_report([gold[i] for i in idx], [pred[i] for i in idx], labels)
        absent = [lab for lab, v in rep["per_class"].items() if v["support"] == 0]
        out[value] = {"n": rep["n"], "macro_f1": rep["macro_f1"], "accuracy": rep["accuracy"]}
        if absent:  # they still count (F1 0) in this partition's macro-F1: say so
            out[value]["labels_absent"] = absent
    return out
