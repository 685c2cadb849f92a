"""Reports rendered from their dict: JSON without NaN, Markdown sections, plots, comparisons."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stance.evaluate import metrics
from stance.evaluate.harness import evaluate_predictions
from stance.evaluate.report import (
    _fmt,
    compare_reports,
    jsonable,
    render_markdown,
    save_plots,
    write_json,
)

XS = ("favor", "against")
GOLD = ["favor", "against", "favor", "against", "favor", "against"]
PRED = ["favor", "against", "against", "none", "favor", "against"]
PROBS = np.array([[0.9, 0.1], [0.2, 0.8], [0.05, 0.95], [0.6, 0.4], [0.7, 0.3], [0.4, 0.6]])


@pytest.fixture
def report(tmp_path: Path) -> dict[str, Any]:
    """A real stance report (no baselines) to render in different ways."""
    return evaluate_predictions(
        "stance", GOLD, PRED, PROBS, XS, out_dir=tmp_path / "rep", n_boot=20, extra={"model": "m"}
    )


def test_jsonable_gives_plain_json_types() -> None:
    data = {
        "a": np.float32(0.5),
        "b": np.array([[1, 2]]),
        "c": (float("nan"), math.inf, 1.0),
        "d": Path("x/y"),
        "e": [np.int64(3), {"f": -math.inf}],
    }
    out = jsonable(data)
    assert out == {
        "a": 0.5,
        "b": [[1, 2]],
        "c": [None, None, 1.0],
        "d": "x/y",
        "e": [3, {"f": None}],
    }
    json.dumps(out, allow_nan=False)


def test_write_json_is_strict_json(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    write_json({"macro_f1": float("nan"), "label": "été"}, path)
    text = path.read_text(encoding="utf-8")
    assert "NaN" not in text and "été" in text
    assert json.loads(text) == {"macro_f1": None, "label": "été"}


def test_table_cells() -> None:
    assert _fmt(0.123456) == "0.123" and _fmt(0.5, digits=1) == "0.5"
    assert _fmt(None) == "–" and _fmt(float("nan")) == "–"
    assert _fmt("a|b\nc") == "a\\|b c"  # a pipe would split the Markdown cell
    assert _fmt(list(range(100))) == "(list of 100)"
    assert _fmt(7) == "7"


def test_markdown_has_the_sections_the_report_holds(report: dict[str, Any]) -> None:
    md = render_markdown(report)
    assert md.startswith("# Evaluation report: stance\n")
    assert "- **model**: m" in md
    for section in ("## Main metrics", "## Per class", "## Confusion matrix", "## Calibration"):
        assert section in md
    for absent in ("## Model vs baselines", "## Argument components", "## Partitions", "Warning"):
        assert absent not in md
    macro = next(line for line in md.splitlines() if line.startswith("| macro-F1 |"))
    assert f"{report['macro_f1']:.3f}" in macro
    confusion = md[md.index("## Confusion matrix") :].splitlines()
    assert "| gold \\ pred | favor | against | none |" in confusion
    assert "| favor | 2 | 1 | 0 |" in confusion


def test_markdown_warns_about_overlap_and_shows_partitions(report: dict[str, Any]) -> None:
    report = {
        **report,
        "overlap": {"exact": 2, "near": 1, "n_test": 6, "examples": []},
        "partitions": {"topic": {"t1": {"n": 3, "macro_f1": 0.5, "accuracy": 0.66666}}},
    }
    md = render_markdown(report)
    assert "2 exact and 1 near-duplicate test texts (of 6)" in md
    assert "### topic" in md and "| t1 | 3 | 0.500 | 0.667 |" in md
    quiet = render_markdown({**report, "overlap": {"exact": 0, "near": 0, "n_test": 6}})
    assert "Warning" not in quiet


def test_plots_follow_the_report(report: dict[str, Any], tmp_path: Path) -> None:
    assert save_plots(report, tmp_path) == ["confusion_matrix.png", "reliability.png"]
    assert (tmp_path / "reliability.png").read_bytes()[:4] == b"\x89PNG"
    other = tmp_path / "no_probs"
    other.mkdir()
    assert save_plots({**report, "calibration": None}, other) == ["confusion_matrix.png"]
    assert not (other / "reliability.png").exists()


def test_compare_reports_shows_deltas(tmp_path: Path) -> None:
    gold, pred, probs = GOLD, PRED, PROBS
    evaluate_predictions("stance", gold, pred, probs, XS, out_dir=tmp_path / "a", n_boot=20)
    evaluate_predictions("stance", gold, gold, probs, XS, out_dir=tmp_path / "b", n_boot=20)
    table = compare_reports([tmp_path / "a", tmp_path / "b" / "report.json"])
    delta = 1.0 - metrics.macro_f1(gold, pred, XS)
    macro_row = next(line for line in table.splitlines() if line.startswith("| macro_f1 "))
    assert f"+{delta:.3f}" in macro_row
    assert "| F1 favor " in table and "| ece " in table and "Δ b" in table


def test_compare_runs_paired_tests_on_saved_predictions(tmp_path: Path) -> None:
    gold = ["favor", "against"] * 20
    good = list(gold)
    bad = ["favor"] * 40
    labels = ("favor", "against")
    evaluate_predictions("stance", gold, good, None, labels, out_dir=tmp_path / "a", n_boot=50)
    evaluate_predictions("stance", gold, bad, None, labels, out_dir=tmp_path / "b", n_boot=50)
    text = compare_reports([tmp_path / "a", tmp_path / "b"])
    assert "paired bootstrap p" in text and "McNemar p = 0.0000" in text


def test_compare_without_reports_or_predictions(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one"):
        compare_reports([])
    evaluate_predictions("stance", GOLD, PRED, None, XS, out_dir=tmp_path / "a", n_boot=10)
    evaluate_predictions("stance", GOLD[:4], GOLD[:4], None, XS, out_dir=tmp_path / "b", n_boot=10)
    text = compare_reports([tmp_path / "a", tmp_path / "b"])
    assert "- b: no paired test (predictions missing or on different data)" in text
