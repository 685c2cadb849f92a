"""Temperature scaling: one scalar per task, fitted on dev, so that scores mean probabilities.

Fine-tuned transformers are over-confident; dividing logits by a temperature fitted to minimise
dev negative log-likelihood (Guo et al., 2017) fixes most of it without changing any argmax.
"""

from __future__ import annotations

import numpy as np

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
