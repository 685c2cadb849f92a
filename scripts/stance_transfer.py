"""The cross-lingual stance transfer mix: its rows, its training speed, its evaluation table.

    python scripts/stance_transfer.py table models/default runs/A runs/B   # Markdown table
    python scripts/stance_transfer.py counts --config scripts/configs/stance-transfer.toml
    python scripts/stance_transfer.py speed --n 300                        # pairs/s, 1 thread
    python scripts/stance_transfer.py seeds --group A=runs/a1,runs/a2,runs/a3 --group B=...

``table`` scores each model directory (a run or a pipeline) with ``stance evaluate``'s harness
on: XNLI-fr held-out idx (3-way; the French rows whose premise the mix never trains,
``stance.training.data.transfer``), UKP Sentential val (3-way), X-Stance FR and DE dev (binary,
new questions), E-FRA dev (3-way) and the target probe ``data/probes/stance_targets.jsonl``
(three views: target, negated, unrelated; macro-F1 over the three) when it exists. Cells are
macro-F1 [95 % bootstrap interval]; the majority and TF-IDF + LR rows are the harness's
baselines (trained on the default stance pool), taken from the first model's reports. Reports
go to ``--out`` (one folder per model and set); ``--reuse`` reads reports already there.

``seeds`` scores groups of runs (one run per seed, in the same seed order in every group):
the mean and standard deviation over seeds of each set's headline and of the probe's shares,
and each later group's difference from the first, seed by seed (how many seeds it wins).

``counts`` prints the rows of a recipe's mix per source and language, and the pairs the run
trains on (with ``none`` pairs and derived pairs). ``speed`` times training steps of the
recipe on a seeded sample of the mix for each method and ``max_length``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RECIPE = ROOT / "scripts/configs/stance-transfer.toml"
PROBE = ROOT / "data/probes/stance_targets.jsonl"
# name, data format, path under the data dir ("XNLI" = the held-out file written here), split
EVALS: tuple[tuple[str, str, str, str | None], ...] = (
    ("XNLI-fr held-out idx", "xnli", "XNLI", None),
    ("UKP val", "ukp-sentential", "xling/ukp_sentential", "dev"),
    ("X-Stance FR dev", "xstance", "xstance/valid.fr.jsonl", "dev"),
    ("X-Stance DE dev", "xstance", "xstance/valid.de.jsonl", "dev"),
    ("E-FRA dev", "efra", "efra/macron_train.csv", "dev"),
)
PROBE_NAME = "target probe (3 views)"


def xnli_heldout_file(out: Path) -> Path:
    """The French XNLI rows of the held-out premises, as an XNLI file the harness reads."""
    from stance.training.data.transfer import write_xnli_heldout

    return write_xnli_heldout(out / "data" / "xnli-fr-heldout.jsonl")


def score(model: str, out: Path, baselines: bool, reuse: bool) -> dict[str, dict[str, Any]]:
    """Report of every evaluation set for one model directory (name → report.json)."""
    from stance.evaluate.run import evaluate_model
    from stance.training.data.registry import data_dir

    root, xnli = data_dir(), xnli_heldout_file(out)
    sets = [(n, f, xnli if p == "XNLI" else root / p, s) for n, f, p, s in EVALS]
    if PROBE.exists():
        sets.append((PROBE_NAME, "consistency", PROBE, None))
    reports = {}
    for name, fmt, path, split in sets:
        folder = out / Path(model).name / name.split(" (")[0].replace(" ", "-")
        if reuse and (folder / "report.json").exists():
            reports[name] = json.loads((folder / "report.json").read_text(encoding="utf-8"))
            continue
        start = time.time()
        reports[name] = evaluate_model(
            model, "stance", Path(path), fmt, folder, split=split, baselines=baselines
        )
        print(f"{model} · {name}: {_headline(reports[name])} ({time.time() - start:.0f} s)")
    return reports


def _headline(rep: dict[str, Any]) -> str:
    """macro-F1 [low, high]; for the probe, over the three views."""
    if "consistency" in rep:
        block = rep["consistency"]["macro_f1_3views"]
        return f"{block['value']:.3f} [{block['low']:.3f}, {block['high']:.3f}]"
    return f"{rep['macro_f1']:.3f} [{rep['ci95']['low']:.3f}, {rep['ci95']['high']:.3f}]"


def _baseline_cell(rep: dict[str, Any], name: str) -> str:
    if "consistency" in rep:
        block = rep["consistency"].get("baselines", {}).get(name, {}).get("macro_f1_3views")
        return f"{block['value']:.3f} [{block['low']:.3f}, {block['high']:.3f}]" if block else ""
    base = rep.get("baselines", {}).get(name)
    return (
        f"{base['macro_f1']:.3f} [{base['ci95']['low']:.3f}, {base['ci95']['high']:.3f}]"
        if base
        else ""
    )


def markdown(results: dict[str, dict[str, dict[str, Any]]]) -> str:
    """One row per model and baseline, one column per evaluation set (n in the header)."""
    first = next(iter(results.values()))
    names = list(first)
    head = [f"{n} (n={first[n].get('n', '?')})" for n in names]
    lines = ["| model | " + " | ".join(head) + " |", "|---" * (len(names) + 1) + "|"]
    for model, reports in results.items():
        cells = [_headline(reports[n]) if n in reports else "" for n in names]
        lines.append(f"| {model} | " + " | ".join(cells) + " |")
    for base, label in (("tfidf_lr", "TF-IDF + LR (harness)"), ("majority", "majority")):
        lines.append(
            f"| {label} | " + " | ".join(_baseline_cell(first[n], base) for n in names) + " |"
        )
    probe = [(m, r[PROBE_NAME]["consistency"]) for m, r in results.items() if PROBE_NAME in r]
    if probe:
        lines += [
            "",
            "| model | probe: target right | right on target and negation | unrelated → none |",
        ]
        lines.append("|---|---|---|---|")
        for model, block in probe:
            cells = [_share(block[k]) for k in ("target_accuracy", "both_right", "unrelated_none")]
            lines.append(f"| {model} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _share(block: dict[str, float]) -> str:
    return f"{block['value']:.3f} [{block['low']:.3f}, {block['high']:.3f}]"


PROBE_SHARES = ("target_accuracy", "both_right", "unrelated_none")


def _values(reports: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Headline per set (probe: 3-view macro-F1 and its three shares) of one run."""
    out = {}
    for name, rep in reports.items():
        if "consistency" in rep:
            block = rep["consistency"]
            out[name] = block["macro_f1_3views"]["value"]
            out |= {f"probe: {k}": block[k]["value"] for k in PROBE_SHARES}
        else:
            out[name] = rep["macro_f1"]
    return out


def seeds_table(groups: dict[str, list[dict[str, float]]]) -> str:
    """Mean ± sd over seeds per group, and later groups minus the first, seed by seed."""
    import numpy as np

    first_name, first = next(iter(groups.items()))
    names = list(first[0])
    lines = ["| set | " + " | ".join(groups) + " |", "|---" * (len(groups) + 1) + "|"]
    for name in names:
        cells = []
        for runs in groups.values():
            vals = np.array([r[name] for r in runs])
            cells.append(f"{vals.mean():.3f} ± {vals.std(ddof=1) if len(vals) > 1 else 0:.3f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for group, runs in list(groups.items())[1:]:
        lines += ["", f"{group} − {first_name}, seed by seed (wins / seeds):", ""]
        for name in names:
            diffs = [b[name] - a[name] for a, b in zip(first, runs, strict=True)]
            wins = sum(d > 0 for d in diffs)
            each = ", ".join(f"{d:+.3f}" for d in diffs)
            lines.append(f"- {name}: mean {np.mean(diffs):+.3f} ({each}; {wins}/{len(diffs)})")
    return "\n".join(lines)


def counts(config_path: Path) -> str:
    """Rows of the recipe's mix per source × language, and the training pairs it makes."""
    from stance.training.config import load_config, mix_config
    from stance.training.data.mix import task_documents
    from stance.training.encode import pair_examples
    from stance.training.targets import derived_pairs, target_language

    config = load_config(config_path)
    train, dev = task_documents(config)
    rows = Counter((str(d.meta.get("source")), target_language(d)) for d in train)
    lines = ["| source | target language | rows |", "|---|---|---|"]
    lines += [f"| {s} | {lang} | {n:,} |" for (s, lang), n in sorted(rows.items())]
    lines.append(f"| **all rows** | {len({lang for _, lang in rows})} languages | {len(train):,} |")
    mix = mix_config(config)
    if mix is not None:
        negated = derived_pairs(train, mix.negated_pairs, 0.0, mix.seed)
        unrelated = derived_pairs(train, 0.0, mix.unrelated_pairs, mix.seed)
        lines.append(f"\nDerived pairs: {len(negated):,} negated, {len(unrelated):,} unrelated.")
    pairs = pair_examples(train, config, training=True)
    labels = Counter(e.label for e in pairs)
    lines.append(f"Training pairs: {len(pairs):,}; labels {dict(labels)}; dev rows {len(dev)}.")
    return "\n".join(lines)


def speed(config_path: Path, n: int, lengths: list[int], methods: list[str]) -> str:
    """pairs/s of training steps (after two warm-up steps) for each method × max_length."""
    import torch

    torch.set_num_threads(1)
    from stance.training.config import load_config

    config = load_config(config_path)
    sample = replace(config, mix={**config.mix, "max_rows": n})
    lines = [
        "| method | max_length | pairs/s | s for 10k pairs | truncated pairs |",
        "|---|---|---|---|---|",
    ]
    for method in methods:
        for length in lengths:
            rate, cut = _time_steps(replace(sample, method=method, max_length=length))
            lines.append(f"| {method} | {length} | {rate:.1f} | {1e4 / rate:,.0f} | {cut:.1%} |")
            print(lines[-1], flush=True)
    return "\n".join(lines)


def _time_steps(config: Any) -> tuple[float, float]:
    """(pairs per second after two warm-up steps, share of pairs longer than max_length)."""
    import tempfile

    from transformers import AutoTokenizer, TrainerCallback, TrainingArguments

    from stance.model.e5 import resolve_base
    from stance.training.encode import labels_for
    from stance.training.trainer import (
        _build_model,
        _collator,
        _make_weighted_trainer,
        encode_datasets,
    )

    base = resolve_base(config.base)
    tokenizer = AutoTokenizer.from_pretrained(base)
    labels = labels_for(config)
    train_ds, _ = encode_datasets(config, tokenizer, labels)
    cut = sum(len(ids) >= config.max_length for ids in train_ds["input_ids"]) / len(train_ds)
    stamps: list[float] = []

    class Clock(TrainerCallback):  # type: ignore[misc]
        def on_step_end(self, *args: Any, **kwargs: Any) -> None:
            stamps.append(time.perf_counter())

    with tempfile.TemporaryDirectory() as tmp:
        args = TrainingArguments(
            output_dir=tmp, num_train_epochs=1, per_device_train_batch_size=config.batch_size,
            learning_rate=config.learning_rate, eval_strategy="no", save_strategy="no",
            report_to=[], seed=config.seed, train_sampling_strategy="group_by_length",
        )  # fmt: skip
        trainer = _make_weighted_trainer()(
            model=_build_model(config, base, labels), args=args, train_dataset=train_ds,
            data_collator=_collator(config, tokenizer), callbacks=[Clock()],
        )  # fmt: skip
        trainer.train()
    steps = len(stamps) - 2
    return steps * config.batch_size / (stamps[-1] - stamps[1]), cut


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    table = sub.add_parser("table", help="evaluation table of model directories")
    table.add_argument("models", nargs="+", help="run or pipeline directories")
    table.add_argument("--out", type=Path, default=ROOT / "runs/transfer-eval")
    table.add_argument("--no-baselines", action="store_true")
    table.add_argument("--reuse", action="store_true", help="read reports already in --out")
    seeds = sub.add_parser("seeds", help="mean ± sd over seeds, groups of runs side by side")
    seeds.add_argument("--group", action="append", required=True, help="NAME=RUN,RUN,...")
    seeds.add_argument("--out", type=Path, default=ROOT / "runs/transfer-eval")
    seeds.add_argument("--reuse", action="store_true", help="read reports already in --out")
    for name in ("counts", "speed"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--config", type=Path, default=RECIPE)
    sub.choices["speed"].add_argument("--n", type=int, default=300)
    sub.choices["speed"].add_argument("--lengths", type=int, nargs="+", default=[96, 128])
    sub.choices["speed"].add_argument("--methods", nargs="+", default=["frozen-embeddings", "full"])
    args = parser.parse_args()
    if args.command == "table":
        results = {
            m: score(m, args.out, baselines=not args.no_baselines and i == 0, reuse=args.reuse)
            for i, m in enumerate(args.models)
        }
        print(markdown(results))
    elif args.command == "seeds":
        groups = {
            name: [_values(score(run, args.out, False, args.reuse)) for run in runs.split(",")]
            for name, runs in (g.split("=", 1) for g in args.group)
        }
        print(seeds_table(groups))
    elif args.command == "counts":
        print(counts(args.config))
    else:
        print(speed(args.config, args.n, args.lengths, args.methods))


if __name__ == "__main__":
    main()
