"""Scores → labels: temperature fitting, abstention, calibration error, on constructed inputs."""

from __future__ import annotations

import numpy as np
import pytest

from stance.pipeline.decide import (
    abstain,
    expected_calibration_error,
    fit_temperature,
    nll,
    reliability_bins,
)


def test_temperature_recovers_overconfidence() -> None:
    rng = np.random.default_rng(0)
    true_logits = rng.normal(size=(4000, 3)) * 1.5
    probs = np.exp(true_logits) / np.exp(true_logits).sum(1, keepdims=True)
    gold = np.array([rng.choice(3, p=p) for p in probs])
    overconfident = true_logits * 3.0  # a model 3x too sharp
    t = fit_temperature(overconfident, gold)
    assert t == pytest.approx(3.0, rel=0.15)
    assert nll(overconfident, gold, t) < nll(overconfident, gold, 1.0)


def test_abstain_below_threshold() -> None:
    probs = np.array([[0.5, 0.3, 0.2], [0.9, 0.05, 0.05]])
    labels = ("favor", "against", "none")
    assert abstain(probs, labels, 0.6) == ["none", "favor"]
    assert abstain(probs, labels, 0.0) == ["favor", "favor"]


def test_nll_by_hand() -> None:
    logits = np.log(np.array([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1]]))
    assert nll(logits, np.array([0, 1]), 1.0) == pytest.approx(-(np.log(0.5) + np.log(0.8)) / 2)
    # at temperature 2 the probabilities are the normalised square roots
    p = np.sqrt([0.5, 0.25, 0.25])
    assert nll(logits[:1], np.array([0]), 2.0) == pytest.approx(-np.log(p[0] / p.sum()))


def test_temperature_sharpens_an_underconfident_model() -> None:
    rng = np.random.default_rng(1)
    true_logits = rng.normal(size=(4000, 3)) * 2.0
    probs = np.exp(true_logits) / np.exp(true_logits).sum(1, keepdims=True)
    gold = np.array([rng.choice(3, p=p) for p in probs])
    assert fit_temperature(true_logits / 2.0, gold) == pytest.approx(0.5, rel=0.15)


def test_temperature_stays_in_its_range() -> None:
    assert fit_temperature(np.zeros((0, 3)), np.zeros(0, dtype=int)) == 1.0  # no dev data
    separable = np.array([[5.0, 0.0], [0.0, 5.0]] * 10)
    gold = np.array([0, 1] * 10)
    sharp = fit_temperature(separable, gold)  # always right: sharpened until the loss is ~0
    assert 0.05 <= sharp < 0.5 and nll(separable, gold, sharp) < 1e-6
    wrong = fit_temperature(separable, 1 - gold)  # always confidently wrong: as flat as allowed
    assert wrong == pytest.approx(20.0, rel=0.01)


def test_abstain_needs_a_none_label() -> None:
    probs = np.array([[0.55, 0.45], [0.3, 0.7]])
    assert abstain(probs, ("favor", "against"), 0.9) == ["favor", "against"]
    assert abstain(np.zeros((0, 3)), ("favor", "against", "none"), 0.5) == []


def test_ece_on_a_constructed_example() -> None:
    conf = [0.95, 0.95, 0.95, 0.95, 0.55, 0.55]
    correct = [True, True, True, False, True, False]
    # bin (0.9, 1]: 4 items, acc .75 vs conf .95; bin (0.5, 0.6]: 2 items, acc .5 vs .55
    expected = 4 / 6 * 0.2 + 2 / 6 * 0.05
    assert expected_calibration_error(conf, correct, n_bins=10) == pytest.approx(expected)
    bins = reliability_bins(conf, correct, n_bins=10)
    assert [b["count"] for b in bins] == [0, 0, 0, 0, 0, 2, 0, 0, 0, 4]
    assert bins[9]["accuracy"] == pytest.approx(0.75) and bins[9]["confidence"] == 0.95


def test_ece_bin_edges_are_right_closed() -> None:
    bins = reliability_bins([0.6, 0.0, 1.0], [True, True, True], n_bins=10)
    assert (bins[5]["count"], bins[0]["count"], bins[9]["count"]) == (1, 1, 1)
    assert expected_calibration_error([1.0, 1.0], [True, True]) == 0.0


def test_ece_empty_input_and_mismatched_lengths() -> None:
    assert expected_calibration_error([], []) == 0.0
    with pytest.raises(ValueError, match="same length"):
        reliability_bins([0.5, 0.6], [True])


def test_pick_threshold_abstains_only_when_it_helps() -> None:
    from stance.pipeline.decide import pick_threshold

    labels = ("favor", "against", "none")
    # hesitant rows are gold none: abstaining under 0.5 gets them right
    probs = np.array([[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.45, 0.35, 0.2], [0.3, 0.45, 0.25]])
    threshold, f1 = pick_threshold(probs, np.array([0, 1, 2, 2]), labels)
    assert 0.45 < threshold <= 0.9 and f1 == 1.0
    # when the hesitant rows are right as they are, no threshold is adopted
    threshold, f1 = pick_threshold(probs, np.array([0, 1, 0, 1]), labels)
    assert threshold == 0.0 and f1 == 1.0
