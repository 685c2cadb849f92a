"""The harness end to end on tiny fixtures: files written, numbers consistent, warnings raised."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stance.doc import ROLES, STANCES
from stance.evaluate import evaluate_predictions, evaluate_spans, metrics
from stance.evaluate.harness import LABEL_SETS, label_set
from stance.evaluate.spans import BIO_TAGS

XS = ("favor", "against")
TRAIN = [
    "je suis tout à fait pour cette mesure",
    "oui, clairement pour",
    "je suis contre, c'est une erreur",
    "non, totalement contre",
] * 5
TRAIN_LABELS = ["favor", "favor", "against", "against"] * 5


def _strict_json(path: Path) -> dict[str, Any]:
    def no_nan(token: str) -> None:
        raise AssertionError(f"non-standard JSON constant {token}")

    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_constant=no_nan)
    return data


def test_label_sets_are_fixed_per_format() -> None:
    assert label_set("xstance", "stance") == XS == LABEL_SETS["xstance"]
    assert label_set("efra", "stance") == STANCES
    assert label_set("fewshot", "stance", "fewshot/32/xstance-fr_train_32_1.json") == XS
    assert label_set("fewshot", "stance", "fewshot/32/e-fra_train_32.json") == STANCES
    assert label_set("pe-fr-sentences", "component") == ROLES
    assert label_set("abstrct", "component") == ROLES
    assert label_set("jsonl", "component") == ROLES
    assert label_set("pe-fr-bio", "span") == BIO_TAGS
    with pytest.raises(ValueError, match="no 'component' task"):
        label_set("xstance", "component")
    with pytest.raises(ValueError, match="unknown task"):
        label_set("jsonl", "topic")


def _stance_fixture() -> tuple[list[str], list[str], np.ndarray, list[str]]:
    gold = ["favor", "against", "favor", "against", "favor", "against"]
    pred = ["favor", "against", "against", "none", "favor", "against"]
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.05, 0.95], [0.6, 0.4], [0.7, 0.3], [0.4, 0.6]])
    texts = ["pour", "contre", "je suis pour", "bof", "oui pour", "non contre"]
    return gold, pred, probs, texts


def test_evaluate_predictions_writes_a_complete_report(tmp_path: Path) -> None:
    gold, pred, probs, texts = _stance_fixture()
    calibrated = np.full_like(probs, 0.5) + np.array([0.01, -0.01])
    rep = evaluate_predictions(
        "stance",
        gold,
        pred,
        probs,
        XS,
        texts=texts,
        partitions={"topic": ["a", "a", "a", "b", "b", "b"]},
        train_texts=TRAIN,
        train_labels=TRAIN_LABELS,
        probs_calibrated=calibrated,
        out_dir=tmp_path,
        extra={"model": "toy", "probs": np.zeros((2, 2))},
        n_boot=100,
    )
    data = _strict_json(tmp_path / "report.json")
    for key in ("task", "n", "macro_f1", "per_class", "accuracy", "ci95", "confusion"):
        assert key in data
    assert data["macro_f1"] == pytest.approx(metrics.macro_f1(gold, pred, XS))
    assert data["confusion"]["pred"] == ["favor", "against", "none"]
    assert set(data["per_class"]["favor"]) == {"precision", "recall", "f1", "support"}
    assert set(data["baselines"]) == {"majority", "tfidf_lr"}
    assert "ci95" in data["baselines"]["tfidf_lr"] and "macro_f1" in data["baselines"]["majority"]
    assert set(data["partitions"]["topic"]) == {"a", "b"}
    assert data["calibration"]["ece"] > 0 and data["calibration"]["ece_after"] is not None
    assert data["extra"]["probs"] == [[0.0, 0.0], [0.0, 0.0]]
    assert rep["macro_f1"] == data["macro_f1"]
    for name in ("report.md", "confusion_matrix.png", "reliability.png"):
        assert (tmp_path / name).stat().st_size > 0
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Model vs baselines" in md and "tfidf_lr" in md and "![reliability.png]" in md


def test_worst_errors_are_wrong_and_most_confident_first(tmp_path: Path) -> None:
    gold, pred, probs, texts = _stance_fixture()
    rep = evaluate_predictions("stance", gold, pred, probs, XS, texts=texts, out_dir=tmp_path)
    worst = rep["worst_errors"]
    # index 2: "against" at 0.95; index 3: "none" is no probability column -> row max 0.6
    assert [(w["index"], w["confidence"]) for w in worst] == [(2, 0.95), (3, 0.6)]
    assert worst[0]["text"] == "je suis pour"
    assert rep["baselines"] == {} and rep["overlap"] is None


def test_overlap_is_reported_and_warned(tmp_path: Path) -> None:
    gold, pred, _, _ = _stance_fixture()
    texts = [TRAIN[0].upper(), "a", "b", "c", "d", "e"]
    with pytest.warns(UserWarning, match="1 test texts also in training"):
        rep = evaluate_predictions(
            "stance",
            gold,
            pred,
            None,
            XS,
            texts=texts,
            train_texts=TRAIN,
            train_labels=TRAIN_LABELS,
            out_dir=tmp_path,
            n_boot=50,
        )
    assert rep["overlap"]["exact"] == 1
    assert "Warning: train/test overlap" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert not (tmp_path / "reliability.png").exists()


def test_stance_baselines_see_target_and_text(tmp_path: Path) -> None:
    gold = ["favor", "against"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rep = evaluate_predictions(
            "stance",
            gold,
            gold,
            None,
            XS,
            texts=["pour", "contre"],
            targets=["Q?", "Q?"],
            train_texts=TRAIN,
            train_labels=TRAIN_LABELS,
            train_targets=["Q?"] * len(TRAIN),
            out_dir=tmp_path,
            n_boot=50,
        )
    assert rep["baselines"]["tfidf_lr"]["macro_f1"] == 1.0
    assert rep["baselines"]["majority"]["p_value_vs_model"] <= 1.0


def test_evaluate_spans_reports_exact_and_partial(tmp_path: Path) -> None:
    gold_tags = [["B-claim", "I-claim", "I-claim", "O"], ["B-MajorClaim", "I-MajorClaim", "O"]]
    pred_tags = [["B-claim", "I-claim", "O", "O"], ["B-claim", "I-claim", "O"]]
    train_tokens = [["je", "pense", "que", "oui"], ["car", "il", "pleut"]] * 3
    train_tags = [["O", "O", "B-claim", "I-claim"], ["B-premise", "I-premise", "I-premise"]] * 3
    rep = evaluate_spans(
        None,
        None,
        gold_tags,
        pred_tags,
        texts=["a b c d", "e f g"],
        partitions={"subset": ["x", "y"]},
        train_tokens=train_tokens,
        train_tags=train_tags,
        test_tokens=[["a", "b", "c", "d"], ["e", "f", "g"]],
        out_dir=tmp_path,
        n_boot=50,
    )
    data = _strict_json(tmp_path / "report.json")
    # doc 0: (0,3) vs (0,2) -> exact miss, partial hit (2/3); doc 1: majorclaim == claim
    assert data["span_f1_exact"] == pytest.approx(0.5) == rep["span_f1_exact"]
    assert data["span_f1_partial"] == 1.0
    assert data["spans"]["partial"]["per_type"]["claim"]["support"] == 2
    assert data["n"] == 7 and data["n_docs"] == 2
    assert set(data["per_class"]) == set(BIO_TAGS)
    assert data["partitions"]["subset"]["x"]["span_f1_exact"] == 0.0
    assert data["baselines"]["majority"]["span_f1_exact"] == 0.0
    assert "token_lr" in data["baselines"]
    assert (tmp_path / "confusion_matrix.png").exists()
    assert "## Argument components" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_span_task_is_refused_by_the_sentence_entry_point(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="component/stance"):
        evaluate_predictions("span", ["O"], ["O"], None, BIO_TAGS, out_dir=tmp_path)
