"""Target consistency: the file reader, the metrics on hand-computed cases, the intervals, and
``stance evaluate --data-format consistency`` end to end on a fake pipeline."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from stance.doc import STANCES, DocStance, Document
from stance.evaluate import compare_reports, metrics
from stance.evaluate.consistency import (
    FLIP,
    VIEWS,
    consistency_scores,
    predict_views,
    read_consistency,
)
from stance.evaluate.harness import label_set

PROBE = Path(__file__).resolve().parents[2] / "data" / "probes" / "stance_targets.jsonl"
GOLD = ["favor", "against", "none", "favor"]
PRED = {
    "target": ["favor", "against", "favor", "favor"],
    "negated": ["against", "against", "none", "favor"],
    "unrelated": ["none", "favor", "none", "none"],
}


def _row(i: int, label: str, text: str) -> dict[str, Any]:
    return {
        "id": f"r{i}",
        "text": text,
        "target": "Il faut le faire",
        "label": label,
        "negated_target": "Il ne faut pas le faire",
        "unrelated_target": "Les chats sont meilleurs que les chiens",
        "kind": "comment",
    }


ROWS = [
    _row(0, "favor", "Je suis pour."),
    _row(1, "against", "Je suis contre."),
    _row(2, "none", "On verra bien."),
    _row(3, "favor", "Clairement pour, enfin."),
]


def _write(path: Path, rows: Iterable[dict[str, Any] | str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_probe_is_valid_and_balanced() -> None:
    rows = read_consistency(PROBE)
    counts = Counter(r.label for r in rows)
    assert len(rows) >= 60
    assert counts["favor"] >= 22 and counts["against"] >= 22 and counts["none"] >= 10
    assert len({r.kind for r in rows}) >= 4 and len({r.topic for r in rows}) >= 8
    raw = [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines()]
    for rec in raw:
        assert set(rec) >= {"id", "kind", "notes"}
        assert rec["unrelated_target"] not in (rec["target"], rec["negated_target"])


def test_label_set_and_tasks_of_the_format() -> None:
    assert label_set("consistency", "stance") == STANCES
    with pytest.raises(ValueError, match="no 'component' task"):
        label_set("consistency", "component")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "expected a JSON object"),
        (json.dumps({**_row(9, "favor", "x"), "negated_target": ""}), "'negated_target' must be"),
        (json.dumps({k: v for k, v in _row(9, "favor", "x").items() if k != "text"}), "'text'"),
        (json.dumps(_row(9, "FAVOUR", "x")), "label 'FAVOUR' is not one of"),
        (json.dumps({**_row(9, "none", "x"), "negated_target": "Il faut le faire"}), "itself"),
        (json.dumps(_row(0, "none", "x")), "id 'r0' already used on line 1"),
    ],
)
def test_a_malformed_row_is_reported_with_file_and_line(
    tmp_path: Path, line: str, message: str
) -> None:
    path = _write(tmp_path / "bad.jsonl", [ROWS[0], "", ROWS[1], line])
    with pytest.raises(ValueError, match=message) as info:
        read_consistency(path)
    assert str(info.value).startswith(f"{path}:4: ")  # the blank line 2 still counts


def test_bad_bytes_and_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(ROWS[0]).encode() + b"\n" + '{"text": "é"}'.encode("latin-1"))
    with pytest.raises(ValueError, match=f"{path}:2: not UTF-8"):
        read_consistency(path)
    with pytest.raises(ValueError, match="no rows"):
        read_consistency(_write(tmp_path / "empty.jsonl", [""]))


def test_rows_without_id_are_numbered_and_expectations_follow_the_view(tmp_path: Path) -> None:
    rows = read_consistency(_write(tmp_path / "a.jsonl", [{**ROWS[0], "id": None}, ROWS[1]]))
    assert [r.id for r in rows] == ["0", "r1"]
    assert [rows[0].expected(v) for v in VIEWS] == ["favor", "against", "none"]
    assert [rows[1].target_of(v) for v in VIEWS] == [
        "Il faut le faire",
        "Il ne faut pas le faire",
        "Les chats sont meilleurs que les chiens",
    ]
    assert FLIP == {"favor": "against", "against": "favor", "none": "none"}


def test_scores_on_a_hand_computed_example() -> None:
    rep = consistency_scores(GOLD, PRED, n_boot=200)
    assert rep["target_accuracy"]["value"] == 0.75
    assert rep["both_right"]["value"] == 0.25  # only row 0 is right on both
    assert rep["unrelated_none"]["value"] == 0.75
    assert rep["contradictions"]["value"] == 0.5  # rows 1 and 3: same polar label twice
    # pooled over 12 pairs: F1 favor 4/8, against 4/6, none 8/10
    assert rep["macro_f1_3views"]["value"] == pytest.approx((0.5 + 2 / 3 + 0.8) / 3)
    assert {v: rep["views"][v]["accuracy"] for v in VIEWS} == {
        "target": 0.75,
        "negated": 0.5,
        "unrelated": 0.75,
    }
    assert rep["views"]["unrelated"]["predicted"] == {"favor": 1, "against": 0, "none": 3}


def test_the_three_view_macro_f1_agrees_with_sklearn() -> None:
    from sklearn.metrics import f1_score

    gold3 = GOLD + [FLIP[g] for g in GOLD] + ["none"] * 4
    pred3 = [p for v in VIEWS for p in PRED[v]]
    expected = f1_score(gold3, pred3, labels=list(STANCES), average="macro", zero_division=0)
    assert consistency_scores(GOLD, PRED, n_boot=0)["macro_f1_3views"]["value"] == pytest.approx(
        expected
    )


def test_intervals_are_row_bootstrap_percentiles() -> None:
    rng = np.random.default_rng(1)
    n = 200
    gold = list(rng.choice(["favor", "against"], size=n))
    pred = {
        "target": list(gold),
        "negated": [FLIP[g] if i % 2 else g for i, g in enumerate(gold)],  # half right
        "unrelated": ["none"] * n,
    }
    rep = consistency_scores(gold, pred, n_boot=1000, seed=3)
    both = rep["both_right"]
    assert both["value"] == 0.5
    # by hand: the same replicates, the share of right rows in each, 2.5 % and 97.5 % quantiles
    hits = np.array([i % 2 for i in range(n)], dtype=float)
    shares = np.concatenate([w @ hits / n for w in metrics.resample_weights(n, 1000, 3)])
    assert (both["low"], both["high"]) == pytest.approx(tuple(np.quantile(shares, [0.025, 0.975])))
    assert 0.40 < both["low"] < 0.45 and 0.55 < both["high"] < 0.60  # ≈ 0.5 ± 1.96·0.035
    assert rep["target_accuracy"] == {"value": 1.0, "low": 1.0, "high": 1.0}
    mf1 = rep["macro_f1_3views"]
    assert mf1["low"] <= mf1["value"] <= mf1["high"]
    assert consistency_scores(gold, pred, n_boot=1000, seed=3) == rep  # reproducible


def test_no_replicates_no_interval() -> None:
    rep = consistency_scores(GOLD, PRED, n_boot=0)
    assert np.isnan(rep["both_right"]["low"]) and np.isnan(rep["macro_f1_3views"]["high"])
    with pytest.raises(ValueError, match="one prediction per row and view"):
        consistency_scores(GOLD, {**PRED, "negated": PRED["negated"][:3]})


def _text_only(text: str, target: str | None) -> str:
    """A model that never reads the target: the classic failure this report is for."""
    return "favor" if "pour" in text else "against" if "contre" in text else "none"


def _fake_nlp(rule: Callable[[str, str | None], str]) -> SimpleNamespace:
    def pipe(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            label = rule(doc.text, doc.target)
            scores = {k: 0.8 if k == label else 0.1 for k in STANCES}
            yield replace(doc, stance=DocStance(label, scores))

    return SimpleNamespace(
        pipe=pipe,
        stance_model=object(),
        directory=Path("fake"),
        part_paths={},
        config=SimpleNamespace(stance_threshold=0.0),
        runs_on={"backend": "torch", "quantize": None},
    )


def test_predict_views_scores_the_article_stance_of_each_view(tmp_path: Path) -> None:
    rows = read_consistency(_write(tmp_path / "rows.jsonl", ROWS))
    pred, probs = predict_views(_fake_nlp(_text_only), rows)  # type: ignore[arg-type]
    assert pred["target"] == pred["negated"] == pred["unrelated"]
    assert pred["target"] == ["favor", "against", "none", "favor"]
    assert probs.shape == (4, 3) and probs[1, STANCES.index("against")] == 0.8


def _evaluate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rule: Callable[[str, str | None], str]
) -> dict[str, Any]:
    import stance.evaluate.run as run

    data = _write(tmp_path / "probe.jsonl", ROWS)
    monkeypatch.setattr(run, "load", lambda model, **kw: _fake_nlp(rule))
    texts = ["tout à fait favorable", "totalement opposé", "oui, bravo", "non, hélas"] * 3
    train = (texts, ["favor", "against"] * 6)
    monkeypatch.setattr(run, "_baseline_data", lambda task: (*train, ["Il faut le faire"] * 12))
    return run.evaluate_model(None, "stance", data, "consistency", tmp_path / "out")


def test_a_text_only_model_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rep = _evaluate(tmp_path, monkeypatch, _text_only)
    out = tmp_path / "out"
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for key in ("n", "macro_f1", "per_class", "accuracy", "ci95", "confusion", "baselines"):
        assert key in data  # the target view keeps the usual contract
    block = data["consistency"]
    assert data["accuracy"] == block["target_accuracy"]["value"] == 1.0
    assert block["both_right"]["value"] == 0.25  # only the `none` row survives its negation
    assert block["unrelated_none"]["value"] == 0.25
    assert block["contradictions"]["value"] == 0.75
    assert set(block["baselines"]) == {"majority", "tfidf_lr"}
    assert block["baselines"]["majority"]["both_right"]["value"] == 0.0
    assert [e["id"] for e in block["inconsistent"]] == ["r0", "r1", "r3"]
    assert data["extra"]["data_format"] == "consistency" and rep["consistency"] == block
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Target consistency" in md and "right on target and negation" in md
    lines = (out / "consistency.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[1]) == {
        "id": "r1",
        "label": "against",
        "pred_target": "against",
        "pred_negated": "against",
        "pred_unrelated": "against",
    }


def test_a_model_that_reads_the_target_scores_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def reads(text: str, target: str | None) -> str:
        label = _text_only(text, None)
        if target and "chats" in target:
            return "none"
        return FLIP[label] if target and " ne " in target else label

    rep = _evaluate(tmp_path, monkeypatch, reads)
    for key in ("target_accuracy", "both_right", "unrelated_none", "macro_f1_3views"):
        assert rep["consistency"][key]["value"] == 1.0
    assert rep["consistency"]["inconsistent"] == []
    table = compare_reports([tmp_path / "out"])
    assert "both_right" in table and "unrelated_none" in table


def test_the_file_is_checked_before_the_model_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stance.evaluate.run as run

    def no_load(model: Any, **kw: Any) -> Any:
        raise AssertionError("the model loaded before the file was read")

    monkeypatch.setattr(run, "load", no_load)
    path = _write(tmp_path / "bad.jsonl", [ROWS[0], {**ROWS[1], "label": "pro"}])
    with pytest.raises(ValueError, match=f"{path}:2: label 'pro'"):
        run.evaluate_model(None, "stance", path, "consistency", tmp_path / "out")
    with pytest.raises(ValueError, match="no 'component' task"):
        run.evaluate_model(None, "component", path, "consistency", tmp_path / "out")
