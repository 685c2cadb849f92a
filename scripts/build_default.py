"""Rebuild the shipped default pipeline in ``models/default`` end to end.

    python scripts/build_default.py                 # train, assemble, evaluate (as shipped)
    python scripts/build_default.py --skip-train    # re-assemble from the runs in runs/
    python scripts/build_default.py --roles parts   # a roles part and a span part instead

Trains each task with ``scripts/configs/<task>.toml`` into ``runs/<task>/`` (standard
checkpoints, gitignored); a fully fine-tuned run is turned into a low-rank LoRA adapter
(``[ship] adapter_rank``, ``stance/training/recipes/compress.py``), and that adapter is
optionally trained briefly toward the full run (``[ship] heal_*``,
``stance/training/recipes/heal.py``). Then it copies only the compact LoRA adapters (fp16
safetensors) into ``models/default/<task>/`` with their manifest and model card, writes
``pipeline.json``, and
scores every part on dev with the evaluation harness (reports in ``runs/reports/``).

With ``--roles tagger`` (the default, as shipped) one ``tagger`` part
(``scripts/configs/tagger.toml``, into ``runs/tagger/``, started from the span run's shipped
encoder) replaces the ``component`` and ``span`` parts (``default_roles.py``): it is shipped the
same way and scored on their dev sets (reports in ``runs/reports-tagger/``). ``--roles parts``
builds the default shipped before it (roles and spans from two parts).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from default_roles import (
    ROLES,
    TAGGER,
    card_note,
    card_rows,
    parts_to_train,
    reports_dir,
    shipped_parts,
    tasks_to_score,
)

if TYPE_CHECKING:
    from stance.training.config import ShipConfig

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "scripts/configs"
TASKS = ("component", "span", "stance")
TRAIN_ORDER = ("span", "component", TAGGER, "stance")  # the roles part learns from the span part
# task -> (name, format, path relative to the data dir, split)
DEV_EVALS: dict[str, list[tuple[str, str, str, str | None]]] = {
    "component": [
        ("pe-fr-sentences", "pe-fr-sentences", "pe_fr/sentences.tsv", "dev"),
        ("pe-fr-bio", "pe-fr-bio", "pe_fr/dev_PE.fr", None),
        ("roles-articles", "jsonl", "ROLES_PROBE", None),  # our articles (data/probes/README.md)
    ],
    "span": [
        ("pe-fr-bio", "pe-fr-bio", "pe_fr/dev_PE.fr", None),
        ("abstrct", "abstrct", "abstrct_fr/fr_neoplasm_nllb_awesome_dev.tsv", None),
    ],
    "stance": [
        ("xstance", "xstance", "xstance/valid.fr.jsonl", "dev"),  # unseen questions (official)
        ("xstance-de", "xstance", "xstance/valid.de.jsonl", "dev"),  # the same, German comments
        ("efra", "efra", "efra/macron_train.csv", "dev"),  # unseen tweets, 3-way
        ("jsonl", "jsonl", "STANCE_DEV", None),  # French X-Stance and E-FRA together, 3-way
        # French dev comments toward the question as a statement and as its negation (flipped)
        ("xstance-statements", "xstance", "XSTANCE_STATEMENTS", None),
        # cross-lingual transfer: NLI as stance on premises no language trained on, English web
        # sentences toward a topic, and the hand-written target / negation / unrelated probe
        ("xnli-fr-heldout", "xnli", "XNLI_HELDOUT", None),
        ("ukp", "ukp-sentential", "xling/ukp_sentential", "dev"),
        ("probe", "consistency", "PROBE", None),
    ],
}


def recipe(task: str) -> Path:
    """The task's TOML recipe: ``[train]`` (``TrainConfig``) and ``[ship]`` (``ShipConfig``)."""
    return CONFIGS / f"{task}.toml"


def train_task(task: str, runs: Path) -> None:
    from stance.training.config import load_config
    from stance.training.trainer import train

    config = load_config(recipe(task))
    if config.distill_span:  # the teacher is this build's shipped span part, wherever runs/ is
        config = dataclasses.replace(config, span_teacher=str(runs / "span" / "adapter"))
    summary = train(config, runs / task)
    print(json.dumps(summary, indent=2))
    ship_adapter(task, runs / task)


def ship_settings(task: str) -> ShipConfig:
    """The recipe's ``[ship]`` table, checked: how the trained run goes into the default."""
    from stance.training.config import load_ship_config

    return load_ship_config(recipe(task))


def ship_adapter(task: str, run: Path) -> None:
    """Fully fine-tuned runs are shipped as a low-rank adapter (``[ship] adapter_rank``)."""
    from stance.training.recipes.compress import adapter_from_full

    settings = ship_settings(task)
    rank = settings.adapter_rank
    if rank:
        kept = adapter_from_full(run, run / "adapter", rank)["delta_energy_kept"]
        note = (
            f"\n\n## Shipped form\n\nTrained in full; shipped as the rank-{rank} truncated SVD "
            "of each encoder weight change, a LoRA adapter "
            f"(`stance/training/recipes/compress.py`) that keeps "
            f"{kept:.1%} of the change's squared norm."
        )
        print(f"{task}: rank-{rank} adapter keeps {kept:.1%} of the change")
        if settings.heal_epochs:
            note += heal(run, settings)
        card = rewrite_card(run)
        text = card.read_text(encoding="utf-8").rstrip("\n")
        card.write_text(text + note + " The harness dev scores are the adapter's.\n", "utf-8")


def rewrite_card(run: Path) -> Path:
    """The run's model card, written again from its config and summary (current card text)."""
    from stance.model.card import write_model_card
    from stance.model.part import PartInfo

    config = json.loads((run / "train_config.json").read_text(encoding="utf-8"))
    summary = json.loads((run / "train_summary.json").read_text(encoding="utf-8"))
    return write_model_card(run, PartInfo.load(run), config, summary)


def heal(run: Path, settings: ShipConfig) -> str:
    """Train the adapter toward the full run (``[ship] heal_*``, ``recipes/heal.py``)."""
    from stance.training.recipes.heal import heal_adapter

    epochs, lr = settings.heal_epochs, settings.heal_learning_rate
    distill = settings.heal_distill
    changes = settings.heal_recipe  # e.g. reasoned_pairs: rows the run never saw
    scores = heal_adapter(
        run, run / "adapter", epochs=epochs, learning_rate=lr, distill=distill, recipe=changes
    )
    print(f"healed adapter: {json.dumps(scores)}")
    changes_note = f", recipe changes {json.dumps(changes)}" if changes else ""
    return (
        f" Then trained as LoRA for {epochs:g} epoch(s) at lr {lr:g} toward the full run's "
        f"probabilities (weight {distill:g}{changes_note}; "
        "`stance/training/recipes/heal.py`): Trainer dev macro-F1 "
        f"{scores['dev_macro_f1']:.3f}."
    )


def compact_adapter(src: Path, dst: Path) -> None:
    """Copy a LoRA adapter with its weights cast to fp16 (halves the size, no accuracy change)."""
    from safetensors.torch import load_file, save_file

    dst.mkdir(parents=True, exist_ok=True)
    for item in src.iterdir():
        if item.name.endswith(".safetensors"):
            tensors = {k: v.half().contiguous() for k, v in load_file(str(item)).items()}
            save_file(tensors, str(dst / item.name), metadata={"format": "pt"})
        elif item.is_file():
            shutil.copy2(item, dst / item.name)


def assemble(runs: Path, out: Path, tasks: tuple[str, ...] = TASKS) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for task in tasks:
        compact_adapter(runs / task / "adapter", out / task)
        shutil.copy2(runs / task / "README.md", out / task / "README.md")
    manifest = {
        "name": "stance-fr-default",
        "version": "0.1.0",
        "base": "e5-small-offline",
        "parts": {t: t for t in tasks},
        # below this probability a sentence's stance is `none` ([ship] in stance.toml)
        # int8 weights by default (FFN output projections fp32): every dev set of the shipped
        # parts within noise of fp32, 1.4-1.8x faster (python scripts/backend_dev.py;
        # docs/benchmarks.md); `--backend fp32` runs without
        "quantize": "int8",
        "stance_threshold": stance_threshold(runs / "stance"),
        "doc_weight": 1.0,
        "meta": {"built_by": "scripts/build_default.py", "configs": "scripts/configs/*.toml"},
    }
    (out / "pipeline.json").write_text(json.dumps(manifest, indent=2) + "\n")


def write_stance_dev(path: Path) -> None:
    """The stance dev part (French X-Stance dev questions + E-FRA dev tweets) as project JSONL."""
    from stance.training.data.export import to_record
    from stance.training.data.mix import stance_pool

    _, dev = stance_pool()
    path.write_text("".join(json.dumps(to_record(d), ensure_ascii=False) + "\n" for d in dev))


def write_statement_dev(path: Path) -> None:
    """French X-Stance dev rows toward statement and negated targets (``targets.restated_rows``)."""
    from stance.training.data.registry import data_dir, load_dataset
    from stance.training.targets import restated_rows

    source = data_dir() / "xstance/valid.fr.jsonl"
    ids = {d.id for d in load_dataset("xstance", source, split="dev")}
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line]
    dev_rows = restated_rows([r for r in rows if str(r["id"]) in ids])
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in dev_rows))


def derived_files(folder: Path, write: bool = True) -> dict[str, Path]:
    """The dev sets of ``DEV_EVALS`` named in capitals: built from the research files into
    ``folder`` (when ``write``), or our probes in ``data/probes/``."""
    from stance.training.data.transfer import write_xnli_heldout

    built = {
        "STANCE_DEV": (folder / "stance_dev.jsonl", write_stance_dev),
        "XSTANCE_STATEMENTS": (folder / "xstance_statements.jsonl", write_statement_dev),
        "XNLI_HELDOUT": (folder / "xnli_fr_heldout.jsonl", write_xnli_heldout),
    }
    if write:
        folder.mkdir(parents=True, exist_ok=True)
        for path, writer in built.values():
            writer(path)
    return {
        **{name: path for name, (path, _) in built.items()},
        "PROBE": ROOT / "data/probes/stance_targets.jsonl",
        "ROLES_PROBE": ROOT / "data/probes/roles_articles.jsonl",
    }


def evaluate_all(model: Path, reports: Path, tasks: tuple[str, ...] = TASKS) -> dict[str, float]:
    from stance.evaluate.run import evaluate_model
    from stance.training.data.registry import data_dir

    reports.mkdir(parents=True, exist_ok=True)
    derived = derived_files(reports, write="stance" in tasks)
    saved = reports / "dev_scores.json"
    scores = json.loads(saved.read_text()) if saved.exists() else {}
    for task, evals in DEV_EVALS.items():
        if task not in tasks:
            continue
        for name, fmt, rel, split in evals:
            path = derived.get(rel, data_dir() / rel)
            rep = evaluate_model(model, task, path, fmt, reports / f"{task}-{name}", split=split)
            key = f"{task}/{name}"
            scores[key] = rep["macro_f1"]
            if "span_f1_exact" in rep:
                scores[key + "/span_f1_exact"] = rep["span_f1_exact"]
                scores[key + "/span_f1_partial"] = rep["span_f1_partial"]
            for share in ("target_accuracy", "both_right", "unrelated_none"):
                if share in rep.get("consistency", {}):
                    scores[f"{key}/{share}"] = rep["consistency"][share]["value"]
            print(key, json.dumps({k: v for k, v in rep.items() if isinstance(v, float)}))
    (reports / "dev_scores.json").write_text(json.dumps(scores, indent=2))
    return scores


def add_scores_to_cards(model: Path, scores: dict[str, float]) -> None:
    """Append the harness's dev scores to each part's model card and to pipeline.json."""
    manifest_path = model / "pipeline.json"
    manifest = json.loads(manifest_path.read_text())
    threshold = manifest.get("stance_threshold", 0.0)
    for task in manifest["parts"]:
        abstains = (
            f" A stance whose probability is under {threshold} is `none` (the pipeline's"
            " `stance_threshold`, tuned on dev), as in `stance predict`."
            if task == "stance" and threshold
            else ""
        )
        rows = card_rows(task, scores)
        card = model / task / "README.md"
        text = card.read_text(encoding="utf-8").split("\n## Harness dev scores")[0]
        section = [
            "",
            "## Harness dev scores",
            "",
            "Macro-F1 over the fixed label set of each "
            f"format (`stance evaluate`; span rows add component F1).{abstains}{card_note(task)}",
            "",
            "| data / metric | value |",
            "|---|---|",
            *rows,
            "",
        ]
        card.write_text(text.rstrip("\n") + "\n" + "\n".join(section), encoding="utf-8")
    manifest.setdefault("meta", {})["dev_scores"] = scores
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")


def stance_threshold(run: Path) -> float:
    """``[ship] stance_threshold``, or with ``threshold_from_dev`` the one chosen on dev for the
    shipped adapter (its healing run), else for the full run (``trainer._calibrate``)."""
    settings = ship_settings("stance")
    if not settings.threshold_from_dev:
        return settings.stance_threshold
    part = json.loads((run / "adapter" / "stance_part.json").read_text(encoding="utf-8"))
    if "none_threshold" in part.get("extra", {}):
        return float(part["extra"]["none_threshold"])
    summary = json.loads((run / "train_summary.json").read_text(encoding="utf-8"))
    return float(summary["none_threshold"])


def check_recipes(tasks: list[str]) -> None:
    """Check every recipe's [train] and [ship] tables first: a typo fails before hours of work."""
    from stance.training.config import load_config

    for task in tasks:
        load_config(recipe(task))
        ship_settings(task)
    ship_settings("stance")  # assemble() reads its stance_threshold whatever the tasks


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=Path, default=ROOT / "runs")
    parser.add_argument("--out", type=Path, default=ROOT / "models/default")
    parser.add_argument("--tasks", nargs="*", choices=(*TASKS, TAGGER), default=list(TASKS))
    parser.add_argument(
        "--roles",
        choices=ROLES,
        default="tagger",
        help="roles and spans from one tagger part (as shipped; --tasks component/span name "
        "it), or from the component and span parts",
    )
    parser.add_argument("--skip-train", action="store_true")
    parser.add_argument("--skip-eval", action="store_true")
    args = parser.parse_args()
    tasks = parts_to_train(args.tasks, args.roles)
    check_recipes(list(tasks))
    for task in sorted(tasks, key=TRAIN_ORDER.index):
        if args.skip_train:
            if (args.runs / task).is_dir():  # the recipe's [ship] rank may have changed
                ship_adapter(task, args.runs / task)
        else:
            train_task(task, args.runs)
    parts = shipped_parts(args.runs, args.roles)
    assemble(args.runs, args.out, parts)
    reports = reports_dir(args.runs, args.roles)
    if not args.skip_eval:
        evaluate_all(args.out, reports, tasks_to_score(tasks, parts, reports, args.roles))
    saved = reports / "dev_scores.json"
    if saved.exists():
        add_scores_to_cards(args.out, json.loads(saved.read_text()))


if __name__ == "__main__":
    main()
