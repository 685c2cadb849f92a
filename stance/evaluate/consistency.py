"""Target consistency: does the stance follow the target, or only the text?

Each row of a consistency file is one text scored three times: toward its ``target``, toward
``negated_target`` (the expected label flips: favor ↔ against, ``none`` stays ``none``) and
toward ``unrelated_target`` (expected: ``none``). A model that reads only the text gives the
same label to all three; one that reads the target gets the negation and the unrelated claim
right too. The pipeline's article-level stance (``doc.stance``) is what is scored.

The format is documented in docs/evaluation.md ("Target consistency").
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from stance.doc import STANCES, Document
from stance.evaluate import metrics
from stance.evaluate.harness import N_WORST, TEXT_CHARS, evaluate_predictions, write_report
from stance.training.baselines import fit_predict_baselines, pair_texts

if TYPE_CHECKING:
    from stance.pipeline.pipeline import Pipeline

VIEWS: tuple[str, ...] = ("target", "negated", "unrelated")
FLIP: dict[str, str] = {"favor": "against", "against": "favor", "none": "none"}
REQUIRED: tuple[str, ...] = ("text", "target", "label", "negated_target", "unrelated_target")
OPTIONAL: tuple[str, ...] = ("id", "kind", "topic", "notes")
SHARES: tuple[str, ...] = ("target_accuracy", "both_right", "unrelated_none", "contradictions")
HEADLINE: tuple[str, ...] = (*SHARES[:3], "macro_f1_3views")

TrainData = tuple[Sequence[str], Sequence[str], Sequence[str] | None]


@dataclass(frozen=True)
class ConsistencyRow:
    """One text, its gold stance toward ``target``, and the two control targets."""

    id: str
    text: str
    target: str
    label: str
    negated_target: str
    unrelated_target: str
    kind: str = ""
    topic: str = ""

    def target_of(self, view: str) -> str:
        return {"target": self.target, "negated": self.negated_target}.get(
            view, self.unrelated_target
        )

    def expected(self, view: str) -> str:
        return {"target": self.label, "negated": FLIP[self.label]}.get(view, "none")


def _parse_line(line: str, where: str, index: int) -> ConsistencyRow:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(rec, dict):
        raise ValueError(f"{where}: expected a JSON object, got {type(rec).__name__}")
    for key in REQUIRED:
        value = rec.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{where}: {key!r} must be a non-empty string, got {value!r}")
    for key in OPTIONAL:
        if rec.get(key) is not None and not isinstance(rec[key], str | int):
            raise ValueError(f"{where}: {key!r} must be a string, got {rec[key]!r}")
    if rec["label"] not in STANCES:
        raise ValueError(f"{where}: label {rec['label']!r} is not one of {list(STANCES)}")
    if rec["target"].strip() == rec["negated_target"].strip():
        raise ValueError(f"{where}: negated_target is the target itself")
    return ConsistencyRow(
        id=str(index if rec.get("id") is None else rec["id"]),
        text=rec["text"],
        target=rec["target"],
        label=rec["label"],
        negated_target=rec["negated_target"],
        unrelated_target=rec["unrelated_target"],
        kind=str(rec.get("kind") or ""),
        topic=str(rec.get("topic") or ""),
    )


def read_consistency(path: str | Path) -> list[ConsistencyRow]:
    """Rows of a consistency JSONL file; a malformed row raises with ``file:line``."""
    path = Path(path)
    rows: list[ConsistencyRow] = []
    seen: dict[str, int] = {}
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            where = f"{path}:{lineno}"
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError as exc:
                raise ValueError(f"{where}: not UTF-8 ({exc.reason})") from None
            if not line:
                continue
            row = _parse_line(line, where, len(rows))
            if row.id in seen:
                raise ValueError(f"{where}: id {row.id!r} already used on line {seen[row.id]}")
            seen[row.id] = lineno
            rows.append(row)
    if not rows:
        raise ValueError(f"{path}: no rows")
    return rows


def predict_views(
    nlp: Pipeline, rows: Sequence[ConsistencyRow]
) -> tuple[dict[str, list[str]], np.ndarray]:
    """The pipeline's article-level label per view, and the target view's scores (STANCES)."""
    docs = [
        Document(id=f"{r.id}/{view}", text=r.text, target=r.target_of(view))
        for view in VIEWS
        for r in rows
    ]
    out = list(nlp.pipe(docs))
    labels: list[str] = []
    for doc in out:
        if doc.error is not None or doc.stance is None:
            raise ValueError(f"{doc.id}: the pipeline gave no stance ({doc.error or 'no part'})")
        labels.append(doc.stance.label)
    n = len(rows)
    pred = {view: labels[i * n : (i + 1) * n] for i, view in enumerate(VIEWS)}
    probs = np.array([[d.stance.scores.get(k, 0.0) for k in STANCES] for d in out[:n] if d.stance])
    return pred, probs


def _hits(gold: Sequence[str], pred: Mapping[str, Sequence[str]]) -> np.ndarray:
    """Per row, 0/1 for each of ``SHARES``."""
    g = np.asarray(gold, dtype=object)
    t, n, u = (np.asarray(pred[v], dtype=object) for v in VIEWS)
    flipped = np.asarray([FLIP[x] for x in gold], dtype=object)
    target_ok = t == g
    polar = (t == "favor") | (t == "against")
    return np.stack(
        [target_ok, target_ok & (n == flipped), u == "none", polar & (t == n)], axis=1
    ).astype(np.float64)


def _interval(value: float, low: float, high: float) -> dict[str, float]:
    return {"value": value, "low": low, "high": high}


def consistency_scores(
    gold: Sequence[str],
    pred: Mapping[str, Sequence[str]],
    n_boot: int = 1000,
    seed: int = 0,
    alpha: float = 0.05,
) -> dict[str, Any]:
    """The shares of ``SHARES`` and the three-view macro-F1, each with a bootstrap interval.

    The resampling unit is the row (its three views move together), with the same replicates
    for every number: ``metrics.resample_weights`` with ``seed``.
    """
    n = len(gold)
    if n == 0 or any(len(pred[v]) != n for v in VIEWS):
        raise ValueError(f"need one prediction per row and view for {n} rows")
    hits = _hits(gold, pred)
    counts = np.concatenate([hits, np.ones((n, 1))], axis=1)
    reps = metrics.bootstrap_stat(counts, lambda c: c[..., :-1] / c[..., -1:], n_boot, seed)
    out: dict[str, Any] = {"n_rows": n, "n_boot": n_boot, "alpha": alpha, "seed": seed}
    for j, key in enumerate(SHARES):
        low, high = metrics.percentile_interval(reps[:, j] if len(reps) else reps, alpha)
        out[key] = _interval(float(hits[:, j].mean()), low, high)
    gold3 = [x for v in VIEWS for x in _expected(gold, v)]
    pred3 = [x for v in VIEWS for x in pred[v]]
    rows3 = [f"{i:09d}" for _ in VIEWS for i in range(n)]  # zero-padded: row order = unit order
    ci = metrics.bootstrap_ci(gold3, pred3, STANCES, n=n_boot, seed=seed, alpha=alpha, groups=rows3)
    out["macro_f1_3views"] = _interval(ci["macro_f1"], ci["low"], ci["high"])
    out["views"] = {v: _view(_expected(gold, v), pred[v]) for v in VIEWS}
    return out


def _expected(gold: Sequence[str], view: str) -> list[str]:
    return [{"target": g, "negated": FLIP[g]}.get(view, "none") for g in gold]


def _view(expected: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy against the expected labels of one view, and how often each label came out."""
    counts = Counter(pred)
    return {
        "accuracy": float(np.mean([p == e for p, e in zip(pred, expected, strict=True)])),
        "predicted": {k: counts.get(k, 0) for k in (*STANCES, *sorted(set(pred) - set(STANCES)))},
    }


def _baseline_blocks(
    rows: Sequence[ConsistencyRow], train: TrainData, n_boot: int, seed: int
) -> dict[str, Any]:
    """Majority and TF-IDF + LR on the three views (one fit), scored like the model."""
    texts, labels, targets = train
    train_in = pair_texts(targets, texts) if targets else list(texts)
    test_in = pair_texts([r.target_of(v) for v in VIEWS for r in rows], [r.text for r in rows] * 3)
    n, gold = len(rows), [r.label for r in rows]
    out = {}
    for name, flat in fit_predict_baselines(train_in, labels, test_in, STANCES).items():
        pred = {v: flat[i * n : (i + 1) * n] for i, v in enumerate(VIEWS)}
        block = consistency_scores(gold, pred, n_boot, seed)
        out[name] = {k: block[k] for k in (*HEADLINE, "contradictions")}
    return out


def _inconsistent(
    rows: Sequence[ConsistencyRow], pred: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """The first rows (file order) with at least one view wrong."""
    out = []
    for i, r in enumerate(rows):
        got = {v: pred[v][i] for v in VIEWS}
        if any(got[v] != r.expected(v) for v in VIEWS):
            out.append({"id": r.id, "label": r.label, **got, "text": r.text[:TEXT_CHARS]})
    return out[:N_WORST]


def _write_rows(out_dir: Path, rows: Sequence[ConsistencyRow], pred: dict[str, list[str]]) -> None:
    lines = [
        json.dumps(
            {"id": r.id, "label": r.label, **{f"pred_{v}": pred[v][i] for v in VIEWS}},
            ensure_ascii=False,
        )
        for i, r in enumerate(rows)
    ]
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    (Path(out_dir) / "consistency.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def evaluate_consistency(
    nlp: Pipeline,
    rows: Sequence[ConsistencyRow],
    out_dir: Path,
    *,
    train: TrainData | None = None,
    extra: dict[str, Any] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """The usual stance report on the target view, plus ``consistency`` (all three views).

    ``train`` (texts, labels, targets) trains the majority and TF-IDF baselines, scored on
    the target view (``baselines``) and on all three (``consistency.baselines``).
    """
    pred, probs = predict_views(nlp, rows)
    gold = [r.label for r in rows]
    parts = {key: [getattr(r, key) for r in rows] for key in ("kind", "topic")}
    rep = evaluate_predictions(
        "stance",
        gold,
        pred["target"],
        probs,
        STANCES,
        out_dir=out_dir,
        texts=[r.text for r in rows],
        targets=[r.target for r in rows],
        partitions={k: v for k, v in parts.items() if len(set(v)) > 1} or None,
        train_texts=train[0] if train else None,
        train_labels=train[1] if train else None,
        train_targets=train[2] if train else None,
        extra=extra,
        n_boot=n_boot,
        seed=seed,
    )
    block = consistency_scores(gold, pred, n_boot, seed)
    block["baselines"] = _baseline_blocks(rows, train, n_boot, seed) if train else {}
    block["inconsistent"] = _inconsistent(rows, pred)
    rep["consistency"] = block
    _write_rows(out_dir, rows, pred)
    return write_report(rep, out_dir)
