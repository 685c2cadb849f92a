"""One call from predictions to a report: metrics, CIs, baselines, partitions, calibration.

Model-agnostic on purpose: callers pass gold and predicted labels (and probabilities when they
have them); the harness decides nothing about models, only about how they are scored. The label
set is fixed per data format (``LABEL_SETS``) so that scores stay comparable across models.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from stance.doc import ROLES, STANCES
from stance.evaluate import metrics, report, spans
from stance.evaluate.spans import BIO_TAGS, SpanTuple
from stance.pipeline import decide
from stance.training.baselines import (
    fit_predict_baselines,
    majority_label,
    overlap_report,
    pair_texts,
    token_lr_predict,
)

log = logging.getLogger(__name__)

XSTANCE_LABELS: tuple[str, ...] = ("favor", "against")
LABEL_SETS: dict[str, tuple[str, ...]] = {
    "pe-fr-bio": ROLES,
    "pe-fr-sentences": ROLES,
    "abstrct": ROLES,
    "xstance": XSTANCE_LABELS,  # official metric: macro-F1 over favor/against only
    "efra": STANCES,
    "fewshot": STANCES,  # e-fra files; xstance-fr files use FEWSHOT_LABEL_SETS
    "consistency": STANCES,  # target / negated / unrelated views (stance.evaluate.consistency)
}
FEWSHOT_LABEL_SETS: dict[str, tuple[str, ...]] = {"xstance-fr": XSTANCE_LABELS, "e-fra": STANCES}
TASK_LABELS: dict[str, tuple[str, ...]] = {"component": ROLES, "stance": STANCES, "span": BIO_TAGS}
FORMAT_TASKS: dict[str, tuple[str, ...]] = {
    "pe-fr-bio": ("component", "span"),
    "pe-fr-sentences": ("component",),
    "abstrct": ("component", "span"),
    "xstance": ("stance",),
    "efra": ("stance",),
    "fewshot": ("stance",),
    "consistency": ("stance",),
}
N_WORST = 20
TEXT_CHARS = 400


def label_set(data_format: str, task: str, path: str | Path | None = None) -> tuple[str, ...]:
    """The fixed gold label set for a data format and task (span task: merged BIO tags)."""
    if task not in TASK_LABELS:
        raise ValueError(f"unknown task {task!r}; expected one of {sorted(TASK_LABELS)}")
    allowed = FORMAT_TASKS.get(data_format)
    if allowed is not None and task not in allowed:
        raise ValueError(f"data format {data_format!r} has no {task!r} task (has {allowed})")
    if task == "span":
        return BIO_TAGS
    if data_format == "fewshot" and path is not None:
        name = Path(path).name
        for prefix, labels in FEWSHOT_LABEL_SETS.items():
            if name.startswith(prefix):
                return labels
    return LABEL_SETS.get(data_format, TASK_LABELS[task])


def _confidences(pred: Sequence[str], probs: np.ndarray, prob_labels: Sequence[str]) -> np.ndarray:
    """Probability of the predicted label (row max when it is not a probability column)."""
    if probs.shape != (len(pred), len(prob_labels)):
        raise ValueError(f"probs shape {probs.shape} != ({len(pred)}, {len(prob_labels)})")
    col = {lab: i for i, lab in enumerate(prob_labels)}
    return np.array([probs[i, col[p]] if p in col else probs[i].max() for i, p in enumerate(pred)])


def _calibration(
    gold: Sequence[str],
    pred: Sequence[str],
    probs: np.ndarray,
    prob_labels: Sequence[str],
    calibrated: np.ndarray | None,
) -> dict[str, Any]:
    correct = [g == p for g, p in zip(gold, pred, strict=True)]
    conf = _confidences(pred, probs, prob_labels)
    out: dict[str, Any] = {
        "n_bins": 15,
        "ece": decide.expected_calibration_error(conf, correct),
        "bins": decide.reliability_bins(conf, correct),
        "ece_after": None,
    }
    if calibrated is not None:
        after_pred = [prob_labels[j] for j in np.asarray(calibrated).argmax(axis=1)]
        after_ok = [g == p for g, p in zip(gold, after_pred, strict=True)]
        after_conf = _confidences(after_pred, np.asarray(calibrated), prob_labels)
        out["ece_after"] = decide.expected_calibration_error(after_conf, after_ok)
        out["bins_after"] = decide.reliability_bins(after_conf, after_ok)
    return out


def _worst_errors(
    gold: Sequence[str],
    pred: Sequence[str],
    conf: np.ndarray | None,
    texts: Sequence[str] | None,
    targets: Sequence[str] | None,
) -> list[dict[str, Any]]:
    """The most confident mistakes first: where a model is wrong *and* sure is what to read."""
    wrong = [i for i, (g, p) in enumerate(zip(gold, pred, strict=True)) if g != p]
    if conf is not None:
        wrong.sort(key=lambda i: -float(conf[i]))
    rows = []
    for i in wrong[:N_WORST]:
        row: dict[str, Any] = {"index": i, "gold": gold[i], "pred": pred[i]}
        row["confidence"] = None if conf is None else round(float(conf[i]), 4)
        if targets is not None:
            row["target"] = targets[i]
        if texts is not None:
            row["text"] = texts[i][:TEXT_CHARS]
        rows.append(row)
    return rows


def check_overlap(train_texts: Sequence[str], texts: Sequence[str]) -> dict[str, Any]:
    """Overlap report, shouted (warning + log) when test texts also appear in training."""
    rep = overlap_report(train_texts, texts)
    if rep["exact"] or rep["near"]:
        msg = (
            f"{rep['exact']} test texts also in training (exact) and {rep['near']} near "
            f"duplicates (char 5-gram Jaccard >= 0.8) out of {rep['n_test']}: scores are inflated"
        )
        log.warning(msg)
        warnings.warn(msg, stacklevel=3)
    return rep


def _score_system(
    gold: Sequence[str],
    pred: Sequence[str],
    model_pred: Sequence[str],
    labels: Sequence[str],
    n_boot: int,
    seed: int,
) -> dict[str, Any]:
    rep = metrics.classification_report(gold, pred, labels)
    ci = metrics.bootstrap_ci(gold, pred, labels, n=n_boot, seed=seed)
    return {
        "macro_f1": rep["macro_f1"],
        "accuracy": rep["accuracy"],
        "ci95": {"low": ci["low"], "high": ci["high"]},
        "per_class_f1": {lab: v["f1"] for lab, v in rep["per_class"].items()},
        "p_value_vs_model": metrics.paired_bootstrap(
            gold, model_pred, pred, labels, n=n_boot, seed=seed
        ),
        "mcnemar_vs_model": metrics.mcnemar(gold, model_pred, pred),
    }


def _partitions(
    gold: Sequence[str],
    pred: Sequence[str],
    labels: Sequence[str],
    partitions: dict[str, list[str]] | None,
) -> dict[str, Any]:
    return {
        key: metrics.partition_report(gold, pred, labels, values)
        for key, values in (partitions or {}).items()
    }


def evaluate_predictions(
    task: str,
    gold_labels: Sequence[str],
    pred_labels: Sequence[str],
    pred_probs: Any | None,
    labels: Sequence[str],
    *,
    out_dir: Path,
    texts: Sequence[str] | None = None,
    targets: Sequence[str] | None = None,
    partitions: dict[str, list[str]] | None = None,
    train_texts: Sequence[str] | None = None,
    train_labels: Sequence[str] | None = None,
    train_targets: Sequence[str] | None = None,
    prob_labels: Sequence[str] | None = None,
    probs_calibrated: Any | None = None,
    extra: dict[str, Any] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Score a sentence-level task (component or stance) and write report.json/.md + plots.

    ``pred_probs`` is n × k in ``prob_labels`` order (default: ``labels``). For stance, pass
    ``targets``/``train_targets`` so that baselines see "target [SEP] text".
    """
    if task not in ("component", "stance"):
        raise ValueError(f"evaluate_predictions scores component/stance, not {task!r}")
    main = metrics.classification_report(gold_labels, pred_labels, labels)
    ci = metrics.bootstrap_ci(gold_labels, pred_labels, labels, n=n_boot, seed=seed)
    rep: dict[str, Any] = {"task": task, "labels": list(labels), **main}
    rep["ci95"] = {"low": ci["low"], "high": ci["high"], "n_boot": n_boot, "alpha": 0.05}
    conf = None
    rep["calibration"] = None
    if pred_probs is not None:
        probs, cols = np.asarray(pred_probs, dtype=np.float64), list(prob_labels or labels)
        cal = probs_calibrated if probs_calibrated is None else np.asarray(probs_calibrated)
        rep["calibration"] = _calibration(gold_labels, pred_labels, probs, cols, cal)
        conf = _confidences(pred_labels, probs, cols)
    rep["baselines"] = {}
    if train_texts is not None and train_labels is not None and texts is not None:
        train_in = pair_texts(train_targets, train_texts) if train_targets else train_texts
        test_in = pair_texts(targets, texts) if targets else texts
        preds = fit_predict_baselines(train_in, train_labels, test_in, labels)
        rep["baselines"] = {
            name: _score_system(gold_labels, p, pred_labels, labels, n_boot, seed)
            for name, p in preds.items()
        }
    rep["partitions"] = _partitions(gold_labels, pred_labels, labels, partitions)
    has_overlap_data = train_texts is not None and texts is not None
    rep["overlap"] = check_overlap(train_texts or [], texts or []) if has_overlap_data else None
    rep["worst_errors"] = _worst_errors(gold_labels, pred_labels, conf, texts, targets)
    rep["extra"] = dict(extra or {})
    _write_predictions(out_dir, gold_labels, pred_labels, "predictions")
    return write_report(rep, out_dir)


def _write_predictions(out_dir: Path, gold: Sequence[Any], pred: Sequence[Any], name: str) -> None:
    """One line per item (spans: a document's tags): two models' paired tests need them."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = (
        json.dumps({"gold": g, "pred": p}, ensure_ascii=False)
        for g, p in zip(gold, pred, strict=True)
    )
    (out_dir / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_report(rep: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    """Write report.json, report.md and the plots; returns the report with its plot names."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rep["plots"] = report.save_plots(rep, out_dir)
    report.write_json(rep, out_dir / "report.json")
    (out_dir / "report.md").write_text(report.render_markdown(rep), encoding="utf-8")
    return rep


def _span_block(
    gold_spans: Sequence[Sequence[SpanTuple]],
    pred_spans: Sequence[Sequence[SpanTuple]],
    gold_tags: Sequence[Sequence[str]],
    pred_tags: Sequence[Sequence[str]],
    n_boot: int,
    seed: int,
) -> dict[str, Any]:
    """Token-level report (doc-level CI) and exact/partial component scores for one system."""
    gold_flat, pred_flat = spans.flatten_tags(gold_tags, pred_tags)
    doc_ids = [d for d, tags in enumerate(gold_tags) for _ in tags]
    main = metrics.classification_report(gold_flat, pred_flat, BIO_TAGS)
    ci = metrics.bootstrap_ci(gold_flat, pred_flat, BIO_TAGS, n=n_boot, seed=seed, groups=doc_ids)
    exact = spans.span_scores(gold_spans, pred_spans, spans.EXACT, n_boot=n_boot, seed=seed)
    partial = spans.span_scores(gold_spans, pred_spans, spans.PARTIAL, n_boot=n_boot, seed=seed)
    return {
        **main,
        "ci95": {"low": ci["low"], "high": ci["high"], "n_boot": n_boot, "alpha": 0.05},
        "span_f1_exact": exact["f1"],
        "span_f1_partial": partial["f1"],
        "spans": {"exact": exact, "partial": partial},
    }


def _span_baselines(
    gold_spans: Sequence[Sequence[SpanTuple]],
    gold_tags: Sequence[Sequence[str]],
    train: tuple[Sequence[Sequence[str]], Sequence[Sequence[str]], Sequence[Sequence[str]]],
    n_boot: int,
    seed: int,
) -> dict[str, Any]:
    train_tokens, train_tags, test_tokens = train
    flat = [spans.normalise_tag(t) for tags in train_tags for t in tags]
    majority = majority_label(flat, BIO_TAGS)
    systems = {
        "majority": [[majority] * len(doc) for doc in test_tokens],
        "token_lr": token_lr_predict(train_tokens, train_tags, test_tokens),
    }
    out = {}
    for name, tags in systems.items():
        block = _span_block(
            gold_spans, [spans.bio_to_spans(t) for t in tags], gold_tags, tags, n_boot, seed
        )
        keys = ("macro_f1", "accuracy", "ci95", "span_f1_exact", "span_f1_partial")
        out[name] = {k: block[k] for k in keys}
        out[name]["per_class_f1"] = {lab: v["f1"] for lab, v in block["per_class"].items()}
    return out


def _span_partitions(
    gold_spans: Sequence[Sequence[SpanTuple]],
    pred_spans: Sequence[Sequence[SpanTuple]],
    gold_tags: Sequence[Sequence[str]],
    pred_tags: Sequence[Sequence[str]],
    partitions: dict[str, list[str]] | None,
) -> dict[str, Any]:
    """Per value of a per-document meta key (e.g. AbstRCT subset): token and span F1."""
    out: dict[str, Any] = {}
    for key, values in (partitions or {}).items():
        if len(values) != len(gold_tags):
            raise ValueError(f"partition {key!r}: {len(values)} values for {len(gold_tags)} docs")
        out[key] = {}
        for value in sorted({str(v) for v in values}):
            idx = [d for d, v in enumerate(values) if str(v) == value]
            block = _span_block(
                [gold_spans[d] for d in idx],
                [pred_spans[d] for d in idx],
                [gold_tags[d] for d in idx],
                [pred_tags[d] for d in idx],
                n_boot=0,
                seed=0,
            )
            out[key][value] = {
                "n": len(idx),
                "macro_f1": block["macro_f1"],
                "span_f1_exact": block["span_f1_exact"],
                "span_f1_partial": block["span_f1_partial"],
            }
    return out


def _worst_docs(
    gold_spans: Sequence[Sequence[SpanTuple]],
    pred_spans: Sequence[Sequence[SpanTuple]],
    texts: Sequence[str] | None,
) -> list[dict[str, Any]]:
    """Documents with the most partial-match errors (fp + fn), worst first."""
    counts = spans.doc_counts(gold_spans, pred_spans, spans.PARTIAL).sum(axis=1)
    order = sorted(range(len(counts)), key=lambda d: -(counts[d, 1] + counts[d, 2]))
    rows = []
    for d in order[:N_WORST]:
        if counts[d, 1] + counts[d, 2] == 0:
            break
        row: dict[str, Any] = {"index": d, "fp": int(counts[d, 1]), "fn": int(counts[d, 2])}
        if texts is not None:
            row["text"] = texts[d][:TEXT_CHARS]
        rows.append(row)
    return rows


def _or_decoded(
    given: Sequence[Sequence[SpanTuple]] | None, tags: Sequence[Sequence[str]]
) -> Sequence[Sequence[SpanTuple]]:
    return given if given is not None else [spans.bio_to_spans(t) for t in tags]


def evaluate_spans(
    gold_spans_per_doc: Sequence[Sequence[SpanTuple]] | None,
    pred_spans_per_doc: Sequence[Sequence[SpanTuple]] | None,
    gold_tags: Sequence[Sequence[str]],
    pred_tags: Sequence[Sequence[str]],
    *,
    out_dir: Path,
    texts: Sequence[str] | None = None,
    partitions: dict[str, list[str]] | None = None,
    train_tokens: Sequence[Sequence[str]] | None = None,
    train_tags: Sequence[Sequence[str]] | None = None,
    test_tokens: Sequence[Sequence[str]] | None = None,
    train_texts: Sequence[str] | None = None,
    extra: dict[str, Any] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Score the span task: token macro-F1 over BIO tags + exact/partial component F1.

    Spans default to the BIO decoding of the tags; pass them explicitly when the model emits
    spans itself (then both must use the same unit: tokens, or characters).
    """
    gold_spans = _or_decoded(gold_spans_per_doc, gold_tags)
    pred_spans = _or_decoded(pred_spans_per_doc, pred_tags)
    block = _span_block(gold_spans, pred_spans, gold_tags, pred_tags, n_boot, seed)
    rep: dict[str, Any] = {"task": "span", "labels": list(BIO_TAGS), "n_docs": len(gold_tags)}
    rep.update(block)
    rep["calibration"] = None
    rep["baselines"] = {}
    if train_tokens is not None and train_tags is not None and test_tokens is not None:
        train = (train_tokens, train_tags, test_tokens)
        rep["baselines"] = _span_baselines(gold_spans, gold_tags, train, n_boot, seed)
    rep["partitions"] = _span_partitions(gold_spans, pred_spans, gold_tags, pred_tags, partitions)
    if train_texts is None and train_tokens is not None:
        train_texts = [" ".join(doc) for doc in train_tokens]
    has_overlap_data = train_texts is not None and texts is not None
    rep["overlap"] = check_overlap(train_texts or [], texts or []) if has_overlap_data else None
    rep["worst_errors"] = _worst_docs(gold_spans, pred_spans, texts)
    rep["extra"] = dict(extra or {})
    _write_predictions(out_dir, [list(t) for t in gold_tags], [list(t) for t in pred_tags], "tags")
    return write_report(rep, out_dir)
