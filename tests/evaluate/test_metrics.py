"""Metrics against values computed by hand on tiny fixtures (span scores: test_spans.py;
baselines: tests/training/test_baselines.py; calibration: tests/pipeline/test_decide.py)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from sklearn.metrics import f1_score

from stance.evaluate import metrics

XS = ("favor", "against")


def test_macro_f1_counts_a_label_never_predicted() -> None:
    # a: tp 2, predicted 3, support 2 -> F1 4/5; b: tp 1 of 2/2 -> 1/2; c never predicted -> 0
    rep = metrics.classification_report(list("aabbc"), list("aabab"), ("a", "b", "c"))
    assert rep["per_class"]["a"] == pytest.approx(
        {"precision": 2 / 3, "recall": 1.0, "f1": 0.8, "support": 2}
    )
    assert rep["per_class"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert rep["macro_f1"] == pytest.approx((0.8 + 0.5 + 0.0) / 3)
    assert rep["accuracy"] == pytest.approx(3 / 5)
    assert rep["confusion"]["matrix"] == [[2, 0, 0], [1, 1, 0], [0, 1, 0]]


def test_predicted_label_outside_the_set_is_wrong_not_averaged() -> None:
    gold = ["favor", "favor", "against", "against"]
    pred = ["favor", "none", "against", "favor"]
    rep = metrics.classification_report(gold, pred, XS)
    # favor: tp 1, predicted 2, support 2 -> 1/2; against: tp 1, predicted 1, support 2 -> 2/3
    assert rep["macro_f1"] == pytest.approx((0.5 + 2 / 3) / 2)
    assert set(rep["per_class"]) == set(XS)
    assert rep["confusion"] == {
        "gold": ["favor", "against"],
        "pred": ["favor", "against", "none"],
        "matrix": [[1, 0, 1], [1, 1, 0]],
    }


def test_macro_f1_agrees_with_sklearn_on_random_data() -> None:
    rng = random.Random(3)
    labels = ("claim", "premise", "none")
    gold = [rng.choice(labels) for _ in range(300)]
    pred = [rng.choice(labels + ("other",)) for _ in range(300)]
    ours = metrics.macro_f1(gold, pred, labels)
    assert ours == pytest.approx(f1_score(gold, pred, labels=list(labels), average="macro"))


def test_gold_label_outside_the_set_is_an_error() -> None:
    with pytest.raises(ValueError, match="outside the fixed label set"):
        metrics.classification_report(["favor", "none"], ["favor", "none"], XS)


def test_bootstrap_is_deterministic_for_a_seed() -> None:
    rng = random.Random(0)
    gold = [rng.choice(XS) for _ in range(200)]
    pred = [g if rng.random() < 0.7 else rng.choice(XS) for g in gold]
    a = metrics.bootstrap_ci(gold, pred, XS, n=300, seed=5)
    b = metrics.bootstrap_ci(gold, pred, XS, n=300, seed=5)
    c = metrics.bootstrap_ci(gold, pred, XS, n=300, seed=6)
    assert a == b
    assert a != c
    assert a["low"] < a["macro_f1"] < a["high"]
    assert a["macro_f1"] == pytest.approx(metrics.macro_f1(gold, pred, XS))


def test_bootstrap_over_one_group_has_no_spread() -> None:
    gold, pred = ["favor", "against", "favor"], ["favor", "favor", "favor"]
    ci = metrics.bootstrap_ci(gold, pred, XS, n=50, groups=["doc"] * 3)
    assert ci["low"] == ci["high"] == pytest.approx(ci["macro_f1"])


def _table(b: int, c: int, both_right: int = 5) -> tuple[list[str], list[str], list[str]]:
    """Gold and two systems with b (A right, B wrong) and c (A wrong, B right) discordant pairs."""
    gold = ["favor"] * (b + c + both_right)
    pred_a = ["favor"] * b + ["against"] * c + ["favor"] * both_right
    pred_b = ["against"] * b + ["favor"] * c + ["favor"] * both_right
    return gold, pred_a, pred_b


def test_mcnemar_exact_on_a_small_table() -> None:
    res = metrics.mcnemar(*_table(10, 2))
    # two-sided exact binomial: 2 * P(X <= 2 | n=12, p=1/2) = 2 * (1 + 12 + 66) / 4096
    assert res["method"] == "exact"
    assert (res["b"], res["c"], res["statistic"]) == (10, 2, 2.0)
    assert res["p_value"] == pytest.approx(2 * 79 / 4096)


def test_mcnemar_chi2_with_continuity_correction() -> None:
    res = metrics.mcnemar(*_table(30, 10))
    assert res["method"] == "chi2-corrected"
    assert res["statistic"] == pytest.approx((20 - 1) ** 2 / 40)
    assert res["p_value"] == pytest.approx(0.0026631, abs=1e-6)  # scipy chi2.sf(9.025, 1)


def test_mcnemar_without_discordant_pairs() -> None:
    assert metrics.mcnemar(*_table(0, 0))["p_value"] == 1.0


def test_paired_bootstrap_same_and_very_different_systems() -> None:
    gold = ["favor", "against"] * 100
    noisy = ["favor"] * 200
    assert metrics.paired_bootstrap(gold, noisy, noisy, XS, n=200) == 1.0
    p = metrics.paired_bootstrap(gold, gold, noisy, XS, n=200, seed=1)
    assert p == pytest.approx(1 / 201)
    assert p == metrics.paired_bootstrap(gold, gold, noisy, XS, n=200, seed=1)


def test_partition_report() -> None:
    gold = ["favor", "against", "favor", "against"]
    pred = ["favor", "against", "against", "against"]
    rep = metrics.partition_report(gold, pred, XS, ["t1", "t1", "t2", "t2"])
    assert rep["t1"] == {"n": 2, "macro_f1": 1.0, "accuracy": 1.0}
    # t2: favor never predicted -> 0; against tp 1, predicted 2, support 1 -> 2/3
    assert rep["t2"]["macro_f1"] == pytest.approx(1 / 3)
    three_way = metrics.partition_report(gold, pred, ("favor", "against", "none"), ["t"] * 4)
    assert three_way["t"]["labels_absent"] == ["none"]


def test_percentile_interval_is_not_nan_on_one_value() -> None:
    assert not math.isnan(metrics.percentile_interval(np.array([0.5]), 0.05)[0])
