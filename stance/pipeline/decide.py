"""Scores → labels, in one place: temperature scaling, abstention, calibration error.

Temperature scaling: one scalar per task, fitted on dev, so that scores mean probabilities.

Fine-tuned transformers are over-confident; dividing logits by a temperature fitted to minimise
dev negative log-likelihood (Guo et al., 2017) fixes most of it without changing any argmax.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from stance.model.classifier import softmax


def nll(logits: np.ndarray, gold: np.ndarray, temperature: float) -> float:
    probs = softmax(logits, temperature)
    return float(-np.mean(np.log(probs[np.arange(len(gold)), gold] + 1e-12)))


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """Golden-section search of the NLL-minimising temperature in [0.05, 20] (log scale)."""
    if len(gold) == 0:
        return 1.0
    lo, hi = np.log(0.05), np.log(20.0)
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(60):
        a = hi - ratio * (hi - lo)
        b = lo + ratio * (hi - lo)
        if nll(logits, gold, float(np.exp(a))) < nll(logits, gold, float(np.exp(b))):
            hi = b
        else:
            lo = a
    return float(np.exp((lo + hi) / 2))


def abstain(probs: np.ndarray, labels: tuple[str, ...], threshold: float) -> list[str]:
    """Argmax labels, replaced by ``none`` when the winning probability is below threshold."""
    out = []
    for row in probs:
        best = int(row.argmax())
        label = labels[best]
        out.append("none" if (row[best] < threshold and "none" in labels) else label)
    return out


def reliability_bins(
    confidences: npt.ArrayLike, correct: npt.ArrayLike, n_bins: int = 15
) -> list[dict[str, float]]:
    """Equal-width confidence bins (lo, hi]; the first bin also takes confidence 0."""
    conf = np.asarray(confidences, dtype=np.float64)
    ok = np.asarray(correct, dtype=np.float64)
    if conf.shape != ok.shape:
        raise ValueError("confidences and correct must have the same length")
    # the tolerance keeps 0.6 * 10 = 6.000000000000001 in the (0.5, 0.6] bin
    which = np.clip(np.ceil(conf * n_bins - 1e-9).astype(np.int64) - 1, 0, n_bins - 1)
    bins = []
    for i in range(n_bins):
        mask = which == i
        count = int(mask.sum())
        bins.append(
            {
                "lo": i / n_bins,
                "hi": (i + 1) / n_bins,
                "count": count,
                "accuracy": float(ok[mask].mean()) if count else 0.0,
                "confidence": float(conf[mask].mean()) if count else 0.0,
            }
        )
    return bins


def expected_calibration_error(
    confidences: npt.ArrayLike, correct: npt.ArrayLike, n_bins: int = 15
) -> float:
    """ECE (Guo et al. 2017): bin-weighted mean gap between accuracy and confidence."""
    bins = reliability_bins(confidences, correct, n_bins)
    total = sum(b["count"] for b in bins)
    if total == 0:
        return 0.0
    return float(sum(b["count"] * abs(b["accuracy"] - b["confidence"]) for b in bins) / total)


THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(9))  # 0.3 … 0.7, besides 0


def pick_threshold(
    probs: np.ndarray,
    gold: np.ndarray,
    labels: tuple[str, ...],
    grid: tuple[float, ...] = THRESHOLDS,
) -> tuple[float, float]:
    """The abstention threshold with the best dev macro-F1, and that F1.

    ``gold`` holds label indices. 0 (plain argmax) is always a candidate; ties go to the lower
    threshold, so a rule that does not help is not adopted.
    """
    from sklearn.metrics import f1_score

    def score(threshold: float) -> float:
        guess = [labels.index(x) for x in abstain(probs, labels, threshold)]
        return float(f1_score(gold, guess, average="macro", zero_division=0))

    best = (0.0, score(0.0))
    for threshold in grid:
        f1 = score(threshold)
        if f1 > best[1] + 1e-9:
            best = (threshold, f1)
    return best
