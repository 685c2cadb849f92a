"""Dev scores of the shipped default with each backend: is int8 (or ONNX int8) as good as fp32?

    python scripts/backend_dev.py                         # fp32 vs int8 on every dev set
    python scripts/backend_dev.py --backends fp32 int8 onnx-int8
    python scripts/backend_dev.py --sets probe efra --threads 1   # some sets (name substrings)

Every set is scored with ``stance evaluate``'s harness (``evaluate_model``, with
``--backend``/``--quantize``), once per backend: the dev sets of ``scripts/build_default.py``
(``DEV_EVALS``: roles on PE-FR sentences and PE-FR BIO dev; spans on PE-FR BIO and AbstRCT dev;
stance on X-Stance FR and DE dev, E-FRA dev, the French stance dev JSONL and the X-Stance
statement rows, the two derived files written as ``evaluate_all`` writes them) and the target
probe ``data/probes/stance_targets.jsonl`` (``--data-format consistency``, as
``scripts/stance_transfer.py`` scores it). Reports go to ``--out/<backend>/<task>-<set>``.

The Markdown table gives, per set, the harness's headline with its 95 % bootstrap interval for
each backend, the difference to the first backend (fp32), the paired bootstrap p-value of that
difference (``metrics.paired_bootstrap``, on the items both scored; documents resampled whole
for spans, probe rows whole for the three views) and how often the two backends give the same
label. No baselines are trained (they do not depend on the backend).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench_common import BACKENDS, ROOT

sys.path.insert(0, str(ROOT))
Set = tuple[str, str, str, Path, str | None]  # task, name, data format, path, split


def dev_sets(work: Path, wanted: list[str] | None) -> list[Set]:
    """``build_default.DEV_EVALS`` (derived files written in ``work``) and the target probe."""
    from build_default import DEV_EVALS, derived_files

    from stance.training.data.registry import data_dir

    derived = derived_files(work)  # written once, whichever sets are wanted
    sets: list[Set] = [
        (task, name, fmt, derived.get(rel, data_dir() / rel), split)
        for task, evals in DEV_EVALS.items()
        for name, fmt, rel, split in evals
    ]
    if wanted:
        sets = [s for s in sets if any(w in f"{s[0]}-{s[1]}" for w in wanted)]
    return sets


def score(model: str | None, sets: list[Set], backend: str, out: Path) -> dict[str, Any]:
    """One report per set for one backend (``stance evaluate --backend --quantize``)."""
    from stance.evaluate.run import evaluate_model

    engine, quantize = BACKENDS[backend]
    reports = {}
    for task, name, fmt, path, split in sets:
        start = time.perf_counter()
        folder = out / backend / f"{task}-{name}"
        reports[f"{task}-{name}"] = evaluate_model(
            model,
            task,
            path,
            fmt,
            folder,
            split=split,
            baselines=False,
            backend=engine,
            quantize=quantize,
        )
        print(f"{backend} {task}-{name}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return reports


# ---------------------------------------------------------------------------- item predictions


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def items(folder: Path, kind: str) -> tuple[list[str], list[str], list[Any] | None]:
    """(gold, pred, groups) per scored item, from the files the harness writes next to a report.

    Labels: ``predictions.jsonl``. Spans: ``tags.jsonl`` flattened, a document per group.
    Probe: ``consistency.jsonl`` over its three views, a row per group.
    """
    if kind == "span":
        from stance.evaluate.spans import flatten_tags

        docs = _jsonl(folder / "tags.jsonl")
        gold, pred = flatten_tags([d["gold"] for d in docs], [d["pred"] for d in docs])
        groups: list[Any] = [i for i, d in enumerate(docs) for _ in d["gold"]]
        return gold, pred, groups
    if kind == "consistency":
        from stance.evaluate.consistency import FLIP, VIEWS

        rows = _jsonl(folder / "consistency.jsonl")
        expected = {
            "target": lambda g: g,
            "negated": lambda g: FLIP[g],
            "unrelated": lambda g: "none",
        }
        gold = [expected[v](r["label"]) for v in VIEWS for r in rows]
        pred = [r[f"pred_{v}"] for v in VIEWS for r in rows]
        return gold, pred, [i for _ in VIEWS for i in range(len(rows))]
    rows = _jsonl(folder / "predictions.jsonl")
    return [r["gold"] for r in rows], [r["pred"] for r in rows], None


# ---------------------------------------------------------------------------- the table


def _kind(rep: dict[str, Any]) -> str:
    return (
        "consistency" if "consistency" in rep else ("span" if rep["task"] == "span" else "labels")
    )


def headlines(rep: dict[str, Any]) -> list[tuple[str, float, float, float, bool]]:
    """(metric, value, low, high, paired test possible) rows of one report."""
    kind = _kind(rep)
    if kind == "consistency":
        c = rep["consistency"]
        return [
            ("macro-F1, 3 views", *_block(c["macro_f1_3views"]), True),
            ("right on target and negation", *_block(c["both_right"]), False),
        ]
    main = ("token macro-F1" if kind == "span" else "macro-F1", rep["macro_f1"])
    rows = [(*main, *_bounds(rep["ci95"]), True)]
    if kind == "span":
        exact = rep["spans"]["exact"]
        rows.append(("span F1 exact", exact["f1"], *_bounds(exact["ci95"]), False))
    return rows


def _block(b: dict[str, float]) -> tuple[float, float, float]:
    return b["value"], b["low"], b["high"]


def _bounds(ci: dict[str, float]) -> tuple[float, float]:
    return ci["low"], ci["high"]


def _n(rep: dict[str, Any]) -> str:
    if "consistency" in rep:
        return f"{rep['consistency']['n_rows']} rows × 3"
    if rep["task"] == "span":
        return f"{rep['n_docs']} docs, {rep['n']} tokens"
    return str(rep["n"])


def compare(results: dict[str, dict[str, dict[str, Any]]], out: Path) -> list[dict[str, Any]]:
    """Per set, metric and backend: value, interval, Δ vs the first backend, p, agreement."""
    from stance.evaluate.metrics import paired_bootstrap

    backends = list(results)
    ref = backends[0]
    rows = []
    for key, ref_rep in results[ref].items():
        kind = _kind(ref_rep)
        gold, ref_pred, groups = items(out / ref / key, kind)
        labels = ref_rep.get("labels") or sorted(set(gold))
        preds = {b: items(out / b / key, kind)[1] for b in backends[1:]}
        for m, (metric, value, low, high, pairable) in enumerate(headlines(ref_rep)):
            row: dict[str, Any] = {"set": key, "n": _n(ref_rep), "metric": metric}
            row[ref] = {"value": value, "low": low, "high": high}
            for b, pred in preds.items():
                other = headlines(results[b][key])[m]
                same = sum(x == y for x, y in zip(ref_pred, pred, strict=True))
                row[b] = {
                    "value": other[1],
                    "low": other[2],
                    "high": other[3],
                    "delta": other[1] - value,
                    "agreement": same / max(1, len(pred)),
                    "p": paired_bootstrap(gold, ref_pred, pred, labels, groups=groups)
                    if pairable
                    else None,
                }
            rows.append(row)
    return rows


def markdown(rows: list[dict[str, Any]], backends: list[str]) -> str:
    ref, others = backends[0], backends[1:]
    head = ["set (n)", "metric", f"{ref} [95 % CI]"]
    for b in others:
        head += [f"{b} [95 % CI]", f"Δ {b} − {ref}", "paired p", f"same label as {ref}"]
    lines = ["| " + " | ".join(head) + " |", "|---|---" + "|--:" * (len(head) - 2) + "|"]
    for r in rows:
        cells = [f"{r['set']} ({r['n']})", r["metric"], _ci(r[ref])]
        for b in others:
            c = r[b]
            p = "—" if c["p"] is None else f"{c['p']:.3f}"
            cells += [_ci(c), f"{c['delta']:+.4f}", p, f"{c['agreement']:.1%}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ci(c: dict[str, float]) -> str:
    return f"{c['value']:.4f} [{c['low']:.3f}, {c['high']:.3f}]"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--model", default=None, help="pipeline directory (default: the shipped one)")
    ap.add_argument(
        "--backends",
        nargs="+",
        default=["fp32", "int8"],
        choices=list(BACKENDS),
        help="the first one is the reference (default: fp32 int8)",
    )
    ap.add_argument("--sets", nargs="+", default=None, help="keep sets whose task-name has one")
    ap.add_argument("--threads", type=int, default=None, help="default: physical cores")
    ap.add_argument("--out", type=Path, default=ROOT / "runs" / "backend_dev", help="reports")
    ap.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = ap.parse_args()
    if len(args.backends) < 2:
        ap.error("--backends needs a reference and at least one more")
    from stance.model.backends import set_threads

    threads = set_threads(args.threads)
    sets = dev_sets(args.out / "data", args.sets)
    if not sets:
        ap.error(f"no dev set matches {args.sets}")
    start = time.perf_counter()
    results = {b: score(args.model, sets, b, args.out) for b in args.backends}
    rows = compare(results, args.out)
    print(
        f"Dev scores of `{args.model or 'models/default'}` per backend (threads: {threads}, "
        f"{time.perf_counter() - start:.0f} s; reports in {args.out}):\n"
    )
    print(markdown(rows, args.backends))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
