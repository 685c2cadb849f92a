"""The roles genre mix (``role_mix``): the recipe's rows, train parts only, seeded shares."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from stance.cli import app
from stance.training.config import ROLE_MIX_SOURCES, RoleMixConfig, load_config
from stance.training.data.mix import task_documents
from stance.training.data.registry import load_dataset
from stance.training.data.role_mix import READERS, build_role_mix, row_counts, source_rows

RECIPE = Path(__file__).resolve().parents[3] / "scripts/configs/component-genres.toml"
BASE = Path(__file__).resolve().parents[3] / "scripts/configs/component.toml"


def test_every_role_mix_source_is_read_here() -> None:
    assert set(ROLE_MIX_SOURCES) == set(READERS)


def test_the_recipe_adds_genres_to_the_essays(data_root: Path) -> None:
    config = load_config(RECIPE)
    train, dev = task_documents(config)
    essays, essays_dev = task_documents(load_config(BASE))
    assert dev == essays_dev  # selection on PE-FR dev, as component.toml
    assert [d.id for d in train[: len(essays)]] == [d.id for d in essays]  # PE-FR in full
    counts = row_counts(train)
    by_source = Counter({k[0]: 0 for k in counts})
    for (source, _, _, _), n in counts.items():
        by_source[source] += n
    assert 12_000 <= sum(by_source.values()) <= 16_000
    assert by_source["pe-fr-bio"] + by_source["pe-fr-sentences"] == 10_176
    assert {k[:2] for k in counts} == {
        ("pe-fr-bio", "essay"), ("pe-fr-sentences", "essay"), ("ukp-sentential", "web"),
        ("iam-claims", "debate"), ("ibm-evidence", "evidence"), ("abstrct", "medical"),
    }  # fmt: skip
    labels = {(k[0], k[3]) for k in counts}
    assert ("ukp-sentential", "claim|premise") in labels and ("ukp-sentential", "none") in labels
    assert ("ibm-evidence", "claim|none") in labels and ("iam-claims", "claim") in labels
    assert all(d.meta["genre"] and d.meta["language"] in ("fr", "en") for d in train)


def test_dev_rows_never_train(data_root: Path) -> None:
    mix = RoleMixConfig(sources=dict.fromkeys(ROLE_MIX_SOURCES, 1.0))
    train = build_role_mix([], mix, data_root)
    assert all(d.meta["split"] == "train" for d in train)
    dev = load_dataset("ukp-sentential", data_root, split="dev")
    dev += load_dataset("abstrct", data_root, split="dev", encoding_errors="replace")
    assert dev and not {d.id for d in dev} & {d.id for d in train}
    assert not {d.text.strip() for d in dev} & {d.text.strip() for d in train}  # nor copies
    claims_dev = load_dataset("iam-claims", data_root / "xling/iam")  # dev only
    stance_dev = {d.text for d in load_dataset("iam-stance", data_root, split="dev")}
    iam = [d for d in train if d.meta["source"] == "iam-claims"]
    assert 3_850 < len(iam) < 3_871 and not {d.id for d in claims_dev} & {d.id for d in iam}
    assert not {d.text for d in claims_dev} & {d.text for d in iam}
    assert not stance_dev & {d.text for d in iam}


def test_only_train_rows_of_a_source_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "xling/ukp_sentential"
    folder.mkdir(parents=True)
    for name, n in (("train", 3), ("val", 2)):
        rows = [{"topic": "t", "sentence": f"{name} {i}", "label": "NoArgument"} for i in range(n)]
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    docs = source_rows("ukp-sentential", tmp_path)
    assert [d.text for d in docs] == ["train 0", "train 1", "train 2"]
    assert {(d.meta["source"], d.meta["genre"], d.meta["language"]) for d in docs} == {
        ("ukp-sentential", "web", "en")
    }


def test_shares_subsample_and_partial_rows_are_seeded(data_root: Path) -> None:
    config = load_config(RECIPE)
    table = {"sources": {"ukp-sentential": 0.5, "ibm-evidence": 2.0}, "max_rows": 3000}
    small = replace(config, role_mix=table)
    train, _ = task_documents(small)
    mixed = [d for d in train if d.meta["source"] in ("ukp-sentential", "ibm-evidence")]
    assert len(mixed) == 3000 and train == task_documents(small)[0]
    other = replace(config, role_mix={**table, "seed": 14})
    assert [d.id for d in task_documents(other)[0]] != [d.id for d in train]
    full = replace(config, role_mix={"sources": {"ibm-evidence": 1.0}, "partial_rows": False})
    labels = {k[3] for k in row_counts(task_documents(full)[0]) if k[0] == "ibm-evidence"}
    assert labels == {"premise"}


def test_cli_prints_the_recipe_mix(data_root: Path) -> None:
    result = CliRunner().invoke(
        app, ["data", "stats", "--config", str(RECIPE)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    for text in ("iam-claims", "debate", "claim|premise", "essay", "training sentences"):
        assert text in result.output
    stance = Path(__file__).resolve().parents[3] / "scripts/configs/stance.toml"
    result = CliRunner().invoke(app, ["data", "stats", "--config", str(stance)])
    assert result.exit_code == 2 and "not a roles recipe" in result.output
