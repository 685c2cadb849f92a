"""Rendering of evaluation reports: Markdown tables, PNG plots, and a cross-report comparison.

Kept apart from the scoring so that the numbers in ``report.json`` are computed once and every
view (Markdown, plots, comparisons) reads them back rather than recomputing them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

Row = Sequence[Any]


def jsonable(obj: Any) -> Any:
    """Plain JSON types; NaN/inf become null (JSON has no NaN and strict readers reject it)."""
    if isinstance(obj, np.ndarray | np.generic):
        obj = obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    return obj


def _fmt(value: Any, digits: int = 3) -> str:
    value = jsonable(value)
    if isinstance(value, list | dict) and len(str(value)) > 80:
        return f"({type(value).__name__} of {len(value)})"
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _p(value: float | None) -> str:
    """p-values: three decimals, or an upper bound when smaller than that shows."""
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _table(header: Row, rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(_fmt(h) for h in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(_fmt(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _ci(ci: dict[str, Any] | None) -> str:
    if not ci or ci.get("low") is None:
        return "–"
    return f"[{_fmt(ci['low'])}, {_fmt(ci['high'])}]"


def _main_section(rep: dict[str, Any]) -> str:
    cal = rep.get("calibration") or {}
    rows: list[Row] = [
        ["n", rep.get("n")],
        ["macro-F1", rep.get("macro_f1")],
        ["95% CI (bootstrap)", _ci(rep.get("ci95"))],
        ["accuracy", rep.get("accuracy")],
    ]
    if "span_f1_exact" in rep:
        rows.insert(0, ["documents", rep.get("n_docs")])
        rows += [
            ["span F1 exact", rep["span_f1_exact"]],
            ["span F1 partial (50%)", rep["span_f1_partial"]],
        ]
    if cal:
        rows += [["ECE (15 bins)", cal.get("ece")], ["ECE after calibration", cal.get("ece_after")]]
    return "## Main metrics\n\n" + _table(["metric", "value"], rows)


def _systems_section(rep: dict[str, Any]) -> str:
    if not rep.get("baselines"):
        return ""
    labels = list(rep["per_class"])
    spans = "span_f1_exact" in rep
    header = ["system", "macro-F1", "95% CI", "accuracy", *[f"F1 {lab}" for lab in labels]]
    header += ["span F1 exact", "span F1 partial"] if spans else ["p (paired boot.)", "McNemar p"]
    model = {**rep, "per_class_f1": {k: v["f1"] for k, v in rep["per_class"].items()}}
    rows = []
    for name, sys in [("**model**", model), *rep["baselines"].items()]:
        row = [name, sys["macro_f1"], _ci(sys.get("ci95")), sys["accuracy"]]
        row += [sys["per_class_f1"].get(lab) for lab in labels]
        if spans:
            row += [sys.get("span_f1_exact"), sys.get("span_f1_partial")]
        else:
            mcnemar = (sys.get("mcnemar_vs_model") or {}).get("p_value")
            row += [_p(sys.get("p_value_vs_model")), _p(mcnemar)]
        rows.append(row)
    return "## Model vs baselines\n\n" + _table(header, rows)


CONSISTENCY_ROWS: tuple[tuple[str, str], ...] = (
    ("target_accuracy", "accuracy on the target"),
    ("both_right", "right on target and negation"),
    ("unrelated_none", "none on the unrelated target"),
    ("macro_f1_3views", "macro-F1, three views"),
    ("contradictions", "same favor/against on target and negation"),
)


CONSISTENCY_KEYS = tuple(key for key, _ in CONSISTENCY_ROWS)


def _consistency_section(rep: dict[str, Any]) -> str:
    """Target consistency (``stance.evaluate.consistency``): model and baselines, with CIs."""
    block = rep.get("consistency")
    if not block:
        return ""
    systems = [("**model**", block), *(block.get("baselines") or {}).items()]
    header = ["metric", *[h for name, _ in systems for h in (name, "95% CI")]]
    rows = [
        [label, *[c for _, sys in systems for c in (sys[key]["value"], _ci(sys[key]))]]
        for key, label in CONSISTENCY_ROWS
    ]
    labels = list(dict.fromkeys(k for v in block["views"].values() for k in v["predicted"]))
    views = [
        [view, v["accuracy"], *[v["predicted"].get(k, 0) for k in labels]]
        for view, v in block["views"].items()
    ]
    wrong = block.get("inconsistent") or []
    cols = [c for c in ("id", "label", "target", "negated", "unrelated", "text") if wrong]
    parts = [
        f"## Target consistency ({block['n_rows']} texts × target, negation, unrelated)",
        _table(header, rows),
        _table(["view", "accuracy", *[f"pred {k}" for k in labels]], views),
    ]
    if wrong:
        parts += [
            "Rows with a view wrong (file order):",
            _table(cols, [[e[c] for c in cols] for e in wrong]),
        ]
    return "\n\n".join(parts)


def _per_class_section(rep: dict[str, Any]) -> str:
    rows = [
        [lab, v["precision"], v["recall"], v["f1"], v["support"]]
        for lab, v in rep["per_class"].items()
    ]
    return "## Per class\n\n" + _table(["label", "precision", "recall", "F1", "support"], rows)


def _span_section(rep: dict[str, Any]) -> str:
    if "spans" not in rep:
        return ""
    rows = []
    for match, block in rep["spans"].items():
        rows.append(
            [
                match,
                "all",
                block["precision"],
                block["recall"],
                block["f1"],
                _ci(block.get("ci95")),
                block["tp"] + block["fn"],
            ]
        )
        for typ, v in block["per_type"].items():
            rows.append([match, typ, v["precision"], v["recall"], v["f1"], "", v["support"]])
    header = ["match", "type", "precision", "recall", "F1", "95% CI (docs)", "gold spans"]
    return "## Argument components\n\n" + _table(header, rows)


def _confusion_section(rep: dict[str, Any]) -> str:
    conf = rep["confusion"]
    rows = [[g, *counts] for g, counts in zip(conf["gold"], conf["matrix"], strict=True)]
    return "## Confusion matrix (rows gold, columns predicted)\n\n" + _table(
        ["gold \\ pred", *conf["pred"]], rows
    )


def _partition_section(rep: dict[str, Any]) -> str:
    parts = []
    for key, values in (rep.get("partitions") or {}).items():
        cols = [c for c in dict.fromkeys(k for v in values.values() for k in v) if c != "n"]
        rows = [[value, v["n"], *[v.get(c) for c in cols]] for value, v in values.items()]
        parts.append(f"### {key}\n\n" + _table([key, "n", *cols], rows))
    return "## Partitions\n\n" + "\n\n".join(parts) if parts else ""


def _calibration_section(rep: dict[str, Any]) -> str:
    cal = rep.get("calibration")
    if not cal:
        return ""
    rows = [
        [f"({b['lo']:.2f}, {b['hi']:.2f}]", b["count"], b["accuracy"], b["confidence"]]
        for b in cal["bins"]
        if b["count"]
    ]
    text = f"ECE {_fmt(cal['ece'])}; after calibration {_fmt(cal.get('ece_after'))}.\n\n"
    return "## Calibration\n\n" + text + _table(["bin", "n", "accuracy", "confidence"], rows)


def _errors_section(rep: dict[str, Any]) -> str:
    errors = rep.get("worst_errors") or []
    if not errors:
        return ""
    cols = [
        c
        for c in ("index", "gold", "pred", "confidence", "fp", "fn", "target", "text")
        if any(c in e for e in errors)
    ]
    rows = [[e.get(c) for c in cols] for e in errors]
    return "## Worst errors (most confident first)\n\n" + _table(cols, rows)


def _overlap_line(rep: dict[str, Any]) -> str:
    ov = rep.get("overlap")
    if not ov or not (ov["exact"] or ov["near"]):
        return ""
    return (
        f"> **Warning: train/test overlap.** {ov['exact']} exact and {ov['near']} near-duplicate "
        f"test texts (of {ov['n_test']}) also occur in the training data."
    )


def render_markdown(rep: dict[str, Any]) -> str:
    """The human-readable report: every table reads from the report dict, nothing recomputed."""
    head = [f"# Evaluation report: {rep['task']}"]
    head += [f"- **{k}**: {_fmt(v)}" for k, v in (rep.get("extra") or {}).items()]
    sections = [
        "\n".join(head),
        _overlap_line(rep),
        _main_section(rep),
        _consistency_section(rep),
        _systems_section(rep),
        _per_class_section(rep),
        _span_section(rep),
        _confusion_section(rep),
        _partition_section(rep),
        _calibration_section(rep),
        "\n".join(f"![{p}]({p})" for p in rep.get("plots") or []),
        _errors_section(rep),
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def _plot_confusion(conf: dict[str, Any], path: Path) -> None:
    from matplotlib.figure import Figure  # lazy: matplotlib is slow to import

    matrix = conf["matrix"]
    fig = Figure(figsize=(1.2 * len(conf["pred"]) + 2, 1.0 * len(conf["gold"]) + 1.5))
    ax = fig.add_subplot()
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(conf["pred"])), conf["pred"], rotation=45, ha="right")
    ax.set_yticks(range(len(conf["gold"])), conf["gold"])
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    top = max((max(r) for r in matrix if r), default=0)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            color = "white" if top and count > top / 2 else "black"
            ax.text(j, i, str(count), ha="center", va="center", color=color)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def _plot_reliability(cal: dict[str, Any], path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 5))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    for key, name in (("bins", "model"), ("bins_after", "after calibration")):
        bins = [b for b in cal.get(key) or [] if b["count"]]
        if bins:
            ece = cal["ece"] if key == "bins" else cal["ece_after"]
            xs = [b["confidence"] for b in bins]
            ax.plot(xs, [b["accuracy"] for b in bins], marker="o", label=f"{name} (ECE {ece:.3f})")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def save_plots(rep: dict[str, Any], out_dir: Path) -> list[str]:
    """confusion_matrix.png always; reliability.png when probabilities were given."""
    names = ["confusion_matrix.png"]
    _plot_confusion(rep["confusion"], out_dir / names[0])
    if rep.get("calibration"):
        names.append("reliability.png")
        _plot_reliability(rep["calibration"], out_dir / names[1])
    return names


def write_json(rep: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(jsonable(rep), ensure_ascii=False, indent=2), encoding="utf-8")


def _load(path: Path) -> dict[str, Any]:
    path = Path(path)
    file = path / "report.json" if path.is_dir() else path
    data: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    return data


def _metric_rows(reports: list[dict[str, Any]]) -> list[tuple[str, list[float | None]]]:
    """(name, value per report) for the headline numbers and each label's F1."""

    def pick(rep: dict[str, Any], key: str) -> float | None:
        if key == "ece":
            return (rep.get("calibration") or {}).get("ece")
        if key in CONSISTENCY_KEYS:
            return ((rep.get("consistency") or {}).get(key) or {}).get("value")
        if key.startswith("F1 "):
            return (rep.get("per_class", {}).get(key[3:]) or {}).get("f1")
        value = rep.get(key)
        return float(value) if isinstance(value, int | float) else None

    keys = ["macro_f1", "accuracy", "span_f1_exact", "span_f1_partial", "ece", *CONSISTENCY_KEYS]
    labels = list(dict.fromkeys(lab for rep in reports for lab in rep.get("per_class", {})))
    rows = [(k, [pick(r, k) for r in reports]) for k in keys + [f"F1 {lab}" for lab in labels]]
    return [(k, vals) for k, vals in rows if any(v is not None for v in vals)]


def compare_reports(paths: Sequence[Path]) -> str:
    """Markdown table of several reports side by side, with deltas against the first one."""
    if not paths:
        raise ValueError("compare_reports needs at least one report")
    reports = [_load(p) for p in paths]
    names = [Path(p).name if Path(p).is_dir() else Path(p).parent.name or str(p) for p in paths]
    header = ["metric", names[0]]
    for name in names[1:]:
        header += [name, f"Δ {name}"]
    rows = []
    for key, values in _metric_rows(reports):
        row: list[Any] = [key, values[0]]
        for v in values[1:]:
            delta = None if v is None or values[0] is None else v - values[0]
            row += [v, None if delta is None else f"{delta:+.3f}"]
        rows.append(row)
    return _table(header, rows) + "\n" + _significance(paths, names, reports)


def _significance(paths: Sequence[Path], names: list[str], reports: list[dict[str, Any]]) -> str:
    """Paired tests of each report against the first, when both saved their predictions."""
    from stance.evaluate.metrics import mcnemar, paired_bootstrap

    def preds(path: Path) -> list[dict[str, str]] | None:
        file = (Path(path) if Path(path).is_dir() else Path(path).parent) / "predictions.jsonl"
        if not file.exists():
            return None
        return [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line]

    first = preds(paths[0])
    lines = []
    for path, name, rep in zip(paths[1:], names[1:], reports[1:], strict=True):
        other = preds(path)
        if (
            first is None
            or other is None
            or [r["gold"] for r in first] != [r["gold"] for r in other]
        ):
            lines.append(f"- {name}: no paired test (predictions missing or on different data)")
            continue
        gold = [r["gold"] for r in first]
        a, b = [r["pred"] for r in first], [r["pred"] for r in other]
        p_boot = paired_bootstrap(gold, a, b, rep.get("labels") or sorted(set(gold)))
        p_mc = mcnemar(gold, a, b)["p_value"]
        lines.append(
            f"- {name} vs {names[0]}: paired bootstrap p = {p_boot:.4f}, McNemar p = {p_mc:.4f}"
        )
    return ("\nSignificance (same items):\n\n" + "\n".join(lines) + "\n") if lines else ""
