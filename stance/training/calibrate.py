"""Calibration of a trained part on its dev set: the softmax temperature, ECE before and after,
and for a stance part the abstention threshold (``trainer.py`` and ``recipes/heal.py`` call it).

The argument tagger has two heads: the roles' temperature is the part's ``temperature``, the
BIO tags' is ``span_temperature`` (``PartInfo.extra``).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def calibrate(
    trainer: Any, dev_ds: Any, labels: tuple[str, ...] = ()
) -> tuple[float, dict[str, float]]:
    """Fit the temperature on dev logits; report ECE before and after.

    Given the labels of a stance part, also choose its abstention threshold on the same dev
    (``none_threshold``: under it a stance is ``none``; ``scripts/build_default.py`` ships it).
    """
    pred = trainer.predict(dev_ds)
    if isinstance(pred.predictions, tuple):  # the tagger: BIO tags, then roles (`temperature`)
        span_temperature, _ = fit(pred.predictions[0], pred.label_ids[0])
        temperature, calib = fit(pred.predictions[1], pred.label_ids[1])
        return temperature, {**calib, "span_temperature": round(span_temperature, 4)}
    return fit(pred.predictions, pred.label_ids, labels)


def fit(
    predictions: np.ndarray, label_ids: np.ndarray, labels: tuple[str, ...] = ()
) -> tuple[float, dict[str, float]]:
    """The temperature of one head's logits, fitted on the positions with a gold label."""
    from stance.model.classifier import softmax
    from stance.pipeline.decide import expected_calibration_error, fit_temperature, pick_threshold

    logits = predictions.reshape(-1, predictions.shape[-1])
    gold = label_ids.reshape(-1)
    keep = gold != -100
    logits, gold = logits[keep], gold[keep]
    temperature = fit_temperature(logits, gold)
    ece = {}
    for name, t in (("ece_before", 1.0), ("ece_after", temperature)):
        probs = softmax(logits, t)
        ece[name] = float(expected_calibration_error(probs.max(1), probs.argmax(1) == gold))
    if "none" in labels:
        threshold, f1 = pick_threshold(softmax(logits, temperature), gold, labels)
        ece |= {"none_threshold": threshold, "dev_macro_f1_at_threshold": round(f1, 4)}
    return temperature, {"temperature": round(temperature, 4), **ece}
