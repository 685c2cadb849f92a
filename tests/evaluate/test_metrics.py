"""Metrics, span scores and baselines against values computed by hand on tiny fixtures."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from sklearn.metrics import f1_score

from stance.evaluate import metrics, spans
from stance.training import baselines

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


def test_ece_on_a_constructed_example() -> None:
    conf = [0.95, 0.95, 0.95, 0.95, 0.55, 0.55]
    correct = [True, True, True, False, True, False]
    # bin (0.9, 1]: 4 items, acc .75 vs conf .95; bin (0.5, 0.6]: 2 items, acc .5 vs .55
    expected = 4 / 6 * 0.2 + 2 / 6 * 0.05
    assert metrics.expected_calibration_error(conf, correct, n_bins=10) == pytest.approx(expected)
    bins = metrics.reliability_bins(conf, correct, n_bins=10)
    assert [b["count"] for b in bins] == [0, 0, 0, 0, 0, 2, 0, 0, 0, 4]


def test_ece_bin_edges_are_right_closed() -> None:
    bins = metrics.reliability_bins([0.6, 0.0, 1.0], [True, True, True], n_bins=10)
    assert (bins[5]["count"], bins[0]["count"], bins[9]["count"]) == (1, 1, 1)
    assert metrics.expected_calibration_error([1.0, 1.0], [True, True]) == 0.0


def test_partition_report() -> None:
    gold = ["favor", "against", "favor", "against"]
    pred = ["favor", "against", "against", "against"]
    rep = metrics.partition_report(gold, pred, XS, ["t1", "t1", "t2", "t2"])
    assert rep["t1"] == {"n": 2, "macro_f1": 1.0, "accuracy": 1.0}
    # t2: favor never predicted -> 0; against tp 1, predicted 2, support 1 -> 2/3
    assert rep["t2"]["macro_f1"] == pytest.approx(1 / 3)
    three_way = metrics.partition_report(gold, pred, ("favor", "against", "none"), ["t"] * 4)
    assert three_way["t"]["labels_absent"] == ["none"]


# ---- spans -------------------------------------------------------------------------------


def _f1(gold: list[spans.SpanTuple], pred: list[spans.SpanTuple], alpha: float) -> float:
    return float(spans.span_scores([gold], [pred], alpha, n_boot=0)["f1"])


def test_off_by_one_boundary_is_an_exact_miss_but_a_partial_hit() -> None:
    gold, pred = [(0, 10, "claim")], [(0, 11, "claim")]
    assert _f1(gold, pred, spans.EXACT) == 0.0
    assert _f1(gold, pred, spans.PARTIAL) == 1.0


def test_half_overlap_threshold_uses_the_longer_span() -> None:
    gold = [(0, 100, "premise")]
    assert _f1(gold, [(0, 50, "premise")], spans.PARTIAL) == 1.0  # 50 / 100
    assert _f1(gold, [(0, 49, "premise")], spans.PARTIAL) == 0.0  # 49 / 100
    assert _f1([(0, 50, "premise")], [(0, 100, "premise")], spans.PARTIAL) == 1.0
    assert _f1([(0, 49, "premise")], [(0, 100, "premise")], spans.PARTIAL) == 0.0


def test_type_mismatch_never_matches() -> None:
    res = spans.span_scores([[(0, 10, "claim")]], [[(0, 10, "premise")]], spans.PARTIAL, n_boot=0)
    assert (res["tp"], res["fp"], res["fn"], res["f1"]) == (0, 1, 1, 0.0)
    assert res["per_type"]["claim"]["support"] == 1
    assert res["per_type"]["premise"]["support"] == 0


def test_two_predictions_on_one_gold_count_once() -> None:
    res = spans.span_scores(
        [[(0, 10, "claim")]], [[(0, 5, "claim"), (5, 10, "claim")]], spans.PARTIAL, n_boot=0
    )
    assert (res["tp"], res["fp"], res["fn"]) == (1, 1, 0)
    assert res["f1"] == pytest.approx(2 / 3)


def test_matching_is_maximal_not_greedy() -> None:
    gold = [(0, 4, "claim"), (4, 8, "claim")]
    pred = [(2, 6, "claim"), (0, 2, "claim")]  # (2,6) fits either gold; (0,2) only the first
    assert spans.match_counts(gold, pred, spans.PARTIAL) == (2, 0, 0)


def test_majorclaim_counts_as_claim() -> None:
    assert _f1([(3, 9, "MajorClaim")], [(3, 9, "claim")], spans.EXACT) == 1.0


def test_span_ci_resamples_documents() -> None:
    gold = [[(0, 5, "claim")], [(0, 5, "premise")], [(0, 3, "claim")]] * 5
    pred = [[(0, 5, "claim")], [], [(0, 3, "premise")]] * 5
    res = spans.span_scores(gold, pred, spans.EXACT, n_boot=200, seed=1)
    assert res["f1"] == pytest.approx(2 * 5 / (2 * 5 + 5 + 10))
    assert res["ci95"]["low"] <= res["f1"] <= res["ci95"]["high"]
    assert res == spans.span_scores(gold, pred, spans.EXACT, n_boot=200, seed=1)


def test_bio_to_spans_reads_orphan_inside_tags_as_starts() -> None:
    tags = ["O", "I-claim", "I-claim", "O", "B-Premise", "I-premise", "I-claim", "B-MajorClaim"]
    assert spans.bio_to_spans(tags) == [
        (1, 3, "claim"),
        (4, 6, "premise"),
        (6, 7, "claim"),
        (7, 8, "claim"),
    ]
    assert spans.bio_to_spans(["B-claim", "B-claim", "I-claim"]) == [
        (0, 1, "claim"),
        (1, 3, "claim"),
    ]
    assert spans.bio_to_spans([]) == []


def test_token_report_counts_unknown_tags_as_wrong() -> None:
    gold = [["O", "B-Claim", "I-Claim"], ["B-premise"]]
    pred = [["O", "B-claim", "X"], ["B-premise"]]
    rep = spans.token_report(gold, pred)
    assert rep["per_class"]["B-claim"]["f1"] == 1.0
    assert rep["per_class"]["I-claim"]["recall"] == 0.0
    assert rep["confusion"]["pred"][-1] == "X"
    with pytest.raises(ValueError, match="document 0"):
        spans.token_report([["O"]], [["O", "O"]])


# ---- baselines and overlap ---------------------------------------------------------------


def test_majority_breaks_ties_by_label_order() -> None:
    assert baselines.majority_label(["a", "b", "b", "a"], ("b", "a")) == "b"
    assert baselines.majority_label(["a", "b", "b"], ("a", "b")) == "b"


def test_tfidf_baseline_learns_a_separable_toy_task() -> None:
    train = ["je suis pour", "tout à fait pour", "contre cela", "je suis contre"] * 5
    labels = ["favor", "favor", "against", "against"] * 5
    preds = baselines.fit_predict_baselines(train, labels, ["vraiment pour", "contre"], XS)
    assert preds["tfidf_lr"] == ["favor", "against"]
    assert preds["majority"] == ["favor", "favor"]
    assert baselines.pair_texts(["Q?"], ["oui"]) == ["Q? [SEP] oui"]


def test_token_baseline_predicts_one_tag_per_token() -> None:
    toks = [["je", "pense", "que", "oui", "."], ["car", "il", "pleut", "."]]
    tags = [["O", "O", "B-claim", "I-claim", "O"], ["B-premise", "I-premise", "I-premise", "O"]]
    out = baselines.token_lr_predict(toks * 3, tags * 3, [["car", "oui"], []])
    assert [len(x) for x in out] == [2, 0]


def _brute_force_near(train: list[str], test: list[str], t: float) -> int:
    sets = [baselines._shingles(baselines.normalise_text(x)) for x in train]
    exact = {baselines.normalise_text(x) for x in train}
    count = 0
    for x in test:
        norm = baselines.normalise_text(x)
        probe = baselines._shingles(norm)
        if norm not in exact and any(len(probe & s) / len(probe | s) >= t for s in sets):
            count += 1
    return count


def test_overlap_report_exact_and_near_duplicates() -> None:
    rng = random.Random(1)
    words = [f"mot{i}" for i in range(400)]
    train = [" ".join(rng.choice(words) for _ in range(25)) for _ in range(300)]
    test = [" ".join(rng.choice(words) for _ in range(25)) for _ in range(60)]
    test += ["  " + train[0].upper() + " ", train[1]]  # exact after case/space normalisation
    test += [train[2][:-4] + "zzzz", train[3][:-60] + "x" * 60]  # near (J~0.96) / far (J~0.6)
    rep = baselines.overlap_report(train, test)
    assert rep["exact"] == 2
    assert rep["near"] == 1 == _brute_force_near(train, test, 0.8)
    near = [e for e in rep["examples"] if e["kind"] == "near"][0]
    assert (near["test_index"], near["train_index"]) == (62, 2)
    assert 0.8 <= near["jaccard"] < 1


def test_overlap_report_is_fast_on_5k_by_1k() -> None:
    import time

    rng = random.Random(2)
    words = [f"w{i}" for i in range(5000)]
    train = [" ".join(rng.choice(words) for _ in range(30)) for _ in range(5000)]
    test = [" ".join(rng.choice(words) for _ in range(30)) for _ in range(1000)]
    start = time.perf_counter()
    rep = baselines.overlap_report(train, test)
    assert time.perf_counter() - start < 15  # ~2 s here; generous for shared CI machines
    assert rep["exact"] == rep["near"] == 0


def test_ece_is_not_nan_on_empty_input() -> None:
    assert metrics.expected_calibration_error([], []) == 0.0
    assert not math.isnan(metrics.percentile_interval(np.array([0.5]), 0.05)[0])
