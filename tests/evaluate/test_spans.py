"""Span scores: exact and partial matching, one-to-one matching, BIO decoding, token F1."""

from __future__ import annotations

import numpy as np
import pytest

from stance.evaluate import spans


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


@pytest.mark.parametrize(
    ("raw", "label"),
    [("MajorClaim", "claim"), ("Claim:For", "claim"), (" Premise ", "premise"), ("claim", "claim")],
)
def test_normalise_label(raw: str, label: str) -> None:
    assert spans.normalise_label(raw) == label


def test_normalise_tag() -> None:
    assert spans.normalise_tag("b-MajorClaim") == "B-claim"
    assert spans.normalise_tag("I-Premise:Against") == "I-premise"
    assert [spans.normalise_tag(t) for t in ("O", "X-claim", "B", "", "Bclaim")] == ["O"] * 5


def test_overlap_ratio() -> None:
    assert spans.overlap_ratio((0, 10), (5, 15)) == 0.5
    assert spans.overlap_ratio((0, 10), (2, 4)) == 0.2  # over the longer one
    assert spans.overlap_ratio((0, 4), (4, 8)) == 0.0  # half-open: touching is no overlap
    assert spans.overlap_ratio((3, 3), (3, 3)) == 0.0


def test_doc_counts_per_document_and_type_and_unknown_types_dropped() -> None:
    gold = [[(0, 5, "claim"), (6, 9, "premise")], [(0, 3, "Premise"), (4, 8, "other")]]
    pred = [[(0, 5, "claim")], [(0, 3, "premise"), (4, 8, "other"), (9, 12, "claim")]]
    counts = spans.doc_counts(gold, pred, spans.EXACT)
    assert counts.shape == (2, 2, 3)  # documents, (claim, premise), (tp, fp, fn)
    np.testing.assert_array_equal(counts[0], [[1, 0, 0], [0, 0, 1]])
    np.testing.assert_array_equal(counts[1], [[0, 1, 0], [1, 0, 0]])
    with pytest.raises(ValueError, match="2 gold documents but 1 predicted"):
        spans.doc_counts(gold, pred[:1], spans.EXACT)


def test_no_components_at_all_scores_zero_not_nan() -> None:
    res = spans.span_scores([[]], [[]], spans.EXACT, n_boot=10)
    assert (res["tp"], res["fp"], res["fn"], res["f1"]) == (0, 0, 0, 0.0)
    assert res["per_type"]["claim"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}


def test_flatten_tags_normalises_gold_and_keeps_unknown_predictions() -> None:
    gold, pred = spans.flatten_tags(
        [["B-MajorClaim", "x"], ["I-premise"]], [["B-claim", "?"], ["O"]]
    )
    assert gold == ["B-claim", "O", "I-premise"]
    assert pred == ["B-claim", "?", "O"]
