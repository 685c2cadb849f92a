"""The cross-lingual transfer mix (``transfer``): the XNLI held-out half, the recipe's rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from stance.training.config import MIX_SOURCES, load_config
from stance.training.data.mix import stance_pool, task_documents
from stance.training.data.registry import load_dataset
from stance.training.data.transfer import (
    POOL_SOURCES,
    SOURCES,
    take_share,
    write_xnli_heldout,
    xnli_dev,
    xnli_halves,
    xnli_heldout,
)
from stance.training.targets import target_language

RECIPE = Path(__file__).resolve().parents[3] / "scripts/configs/stance-transfer.toml"


def test_every_mix_source_is_read_here() -> None:
    assert set(MIX_SOURCES) == set(SOURCES) | set(POOL_SOURCES)


def test_no_language_of_a_held_out_xnli_pair_trains(data_root: Path, tmp_path: Path) -> None:
    docs = load_dataset("xnli", data_root, split="dev")
    train, dev = xnli_halves(docs)
    assert {d.meta["language"] for d in dev} == {"fr"}
    assert {d.meta["language"] for d in train} == {"fr", "de", "en", "es"}
    held = {int(d.meta["group"]) for d in dev}
    assert not held & {int(d.meta["group"]) for d in train}  # by idx, in every language
    # nor another hypothesis of a held-out premise (three idx share one premise)
    premises = {(d.meta["language"], d.text) for d in train}
    assert not {("fr", d.text) for d in dev} & premises
    assert not {i // 3 for i in held} & {int(d.meta["group"]) // 3 for d in train}
    assert len(dev) + len(train) // 4 == 2490 and 0.4 < len(dev) / 2490 < 0.6
    assert Counter(d.meta["language"] for d in train) == {lang: len(train) // 4 for lang in
                                                          ("fr", "de", "en", "es")}  # fmt: skip
    assert [d.id for d in xnli_dev(data_root)] == [d.id for d in dev]
    assert all(xnli_heldout(i) == xnli_heldout(i - i % 3) for i in range(300))
    # the file the evaluation reads holds exactly the held-out French rows
    written = load_dataset("xnli", write_xnli_heldout(tmp_path / "x" / "heldout.jsonl"))
    assert sorted(d.meta["group"] for d in written) == sorted(d.meta["group"] for d in dev)


def test_the_recipe_builds_the_transfer_mix(data_root: Path) -> None:
    config = load_config(RECIPE)
    train, dev = task_documents(config)
    assert len(train) >= 50_000
    languages = Counter(target_language(d) for d in train)
    assert {"fr", "de", "en", "es", "ca"} <= set(languages)
    sources = Counter(d.meta["source"] for d in train)
    for source in ("xstance", "efra", "fewshot", "xnli", "hossain-mnli", "rte3-fr", "condaqa"):
        assert sources[source] > 0, source
    assert all(d.stance is not None and d.target for d in train)  # partial labels left out
    assert "daccord" not in sources and "hossain-rte" not in sources
    pool_train, pool_dev = stance_pool(french_targets=True)
    assert dev == pool_dev  # the Trainer selects on the pool's dev, as without a [mix]
    dev_questions = {d.meta["question_id"] for d in pool_dev if "question_id" in d.meta}
    assert not dev_questions & {d.meta.get("question_id") for d in train}
    xstance = [d for d in train if d.meta["source"] == "xstance"]
    assert sorted(d.target or "" for d in xstance) == sorted(
        d.target or "" for d in pool_train if "question_id" in d.meta
    )  # German comments toward the French question, as stance_pool(french_targets=True)
    assert all(target_language(d) == "fr" for d in xstance)
    held = {d.text for d in xnli_dev(data_root)}
    assert not held & {d.text for d in train if d.meta["source"] == "xnli"}


def test_shares_and_subsample_are_seeded(data_root: Path) -> None:
    config = load_config(RECIPE)
    mix = {**config.mix, "max_rows": 3000, "sources": {"xnli": 1.0, "catalonia": 0.25}}
    small = replace(config, mix=mix)
    train, _ = task_documents(small)
    assert len(train) == 3000 and train == task_documents(small)[0]
    assert {d.meta["source"] for d in train} == {"xnli", "catalonia"}
    other = replace(config, mix={**mix, "seed": 14})
    assert [d.id for d in task_documents(other)[0]] != [d.id for d in train]


def test_take_share_copies_and_samples() -> None:
    rows = [f"r{i}" for i in range(10)]
    assert take_share(rows, 1.0, 0) == rows  # type: ignore[arg-type]
    assert len(take_share(rows, 0.3, 0)) == 3  # type: ignore[arg-type]
    twice = take_share(rows, 2.5, 0)  # type: ignore[arg-type]
    assert len(twice) == 25 and twice[:20] == rows * 2


def test_a_mix_table_is_checked(tmp_path: Path) -> None:
    from stance.training.config import ConfigError

    path = tmp_path / "r.toml"
    path.write_text(
        '[train]\ntask = "stance"\n[mix]\nnegated_pairs = 0.5\n[mix.sources]\nxnly = 1\n'
    )
    with pytest.raises(ConfigError, match="unknown mix source 'xnly'"):
        load_config(path)
    path.write_text('[train]\ntask = "stance"\n[mix]\nnegated = 0.5\n')
    with pytest.raises(ConfigError, match="did you mean 'negated_pairs'"):
        load_config(path)
    path.write_text('[train]\ntask = "span"\n[mix.sources]\nxnli = 1\n')
    with pytest.raises(ConfigError, match="for the stance task"):
        load_config(path)
    path.write_text('[train]\ntask = "stance"\nmix = {sources = {xnli = 1}}\n[mix]\nseed = 1\n')
    with pytest.raises(ConfigError, match="mix is given twice"):
        load_config(path)


def test_a_run_keeps_its_mix_in_train_config_json() -> None:
    import json

    from stance.training.config import from_run, mix_config

    config = load_config(RECIPE)
    again = from_run(json.loads(json.dumps(config.to_dict())))
    assert again == config and mix_config(again) == mix_config(config)
    assert mix_config(load_config(None, {"task": "stance"})) is None
