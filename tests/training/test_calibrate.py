"""Calibration on dev: one temperature per head (the tagger: roles and BIO tags), ECE, threshold."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from stance.pipeline.decide import fit_temperature
from stance.training.calibrate import calibrate, fit

RNG = np.random.default_rng(0)


class _Trainer:
    def __init__(self, predictions: Any, label_ids: Any) -> None:
        self.out = SimpleNamespace(predictions=predictions, label_ids=label_ids)

    def predict(self, dataset: Any) -> Any:
        return self.out


def _overconfident(n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    gold = RNG.integers(0, k, n)
    logits = RNG.normal(size=(n, k))
    logits[np.arange(n), gold] += 1.0
    return logits * 6.0, gold  # sharp logits: the fitted temperature is above 1


def test_one_head_ignores_padding() -> None:
    logits, gold = _overconfident(200, 3)
    padded = np.concatenate([logits, np.full((5, 3), -100.0)])
    with_pad = np.concatenate([gold, np.full(5, -100)])
    temperature, calib = calibrate(_Trainer(padded, with_pad), None)
    assert temperature == pytest.approx(fit_temperature(logits, gold)) and temperature > 1
    assert calib["ece_after"] < calib["ece_before"]
    assert "none_threshold" in fit(logits, gold, ("favor", "against", "none"))[1]


def test_the_tagger_gets_a_temperature_per_head() -> None:
    tags, tag_gold = _overconfident(300, 5)
    roles, role_gold = _overconfident(120, 3)
    roles = roles / 4.0  # another sharpness: another temperature
    token_logits, token_gold = tags.reshape(30, 10, 5), tag_gold.reshape(30, 10)
    role_logits, gold_roles = roles.reshape(40, 3, 3), role_gold.reshape(40, 3)
    gold_roles[0, 2] = -100  # a padded sentence slot
    pred = (token_logits, role_logits)
    temperature, calib = calibrate(_Trainer(pred, (token_gold, gold_roles)), None)
    keep = gold_roles.reshape(-1) != -100
    assert temperature == pytest.approx(fit_temperature(roles[keep], role_gold[keep]))
    assert calib["span_temperature"] == pytest.approx(fit_temperature(tags, tag_gold), abs=1e-4)
    assert calib["span_temperature"] != pytest.approx(calib["temperature"], abs=0.05)
