"""Training recipes: ``[train]`` → TrainConfig (with --set overrides), ``[ship]`` → ShipConfig."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.config import (
    TASKS,
    TrainConfig,
    describe,
    from_run,
    load_config,
    load_ship_config,
    parse_overrides,
)
from stance.typed_config import ConfigError

ALL_RECIPES = sorted((Path(__file__).resolve().parents[2] / "scripts" / "configs").glob("*.toml"))
RECIPES = [p for p in ALL_RECIPES if p.stem in TASKS]  # the shipped parts' recipes
EXPERIMENTS = [p for p in ALL_RECIPES if p.stem not in TASKS]  # e.g. stance-transfer*.toml


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "recipe.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_toml_then_overrides(tmp_path: Path) -> None:
    path = _toml(tmp_path, '[train]\ntask = "stance"\nepochs = 2\ndata = ["jsonl:a.jsonl"]\n')
    overrides = parse_overrides(["learning_rate=1e-4", "mean_pool=true", "base=camembert-base"])
    config = load_config(path, {**overrides, "task": "stance", "dev_data": None})
    assert config.task == "stance" and config.epochs == 2.0 and isinstance(config.epochs, float)
    assert config.data == ("jsonl:a.jsonl",) and config.dev_data == ()  # None: not given
    assert config.learning_rate == 1e-4 and config.mean_pool and config.base == "camembert-base"
    # strings from the command line (not valid TOML) become the field's type
    loose = load_config(path, {"seed": "7", "data": "xstance:v.jsonl", "class_weights": "no"})
    assert loose.seed == 7 and loose.data == ("xstance:v.jsonl",) and not loose.class_weights
    assert load_config(_toml(tmp_path, "epochs = 1\n")).epochs == 1.0  # a flat file is [train]


def test_unknown_key_is_named(tmp_path: Path) -> None:
    path = _toml(tmp_path, "[train]\nepoch = 2\n")
    with pytest.raises(ConfigError, match=r"recipe\.toml: unknown key 'epoch' .*'epochs'"):
        load_config(path)
    with pytest.raises(ConfigError, match=r"--set: unknown key 'lora_rank' .*'lora_r'"):
        load_config(None, parse_overrides(["lora_rank=4"]))
    with pytest.raises(ConfigError, match=r"unknown table or key 'trian'"):
        load_config(_toml(tmp_path, "[trian]\nepochs = 2\n[ship]\nadapter_rank = 2\n"))


def test_mistyped_value_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"recipe\.toml: batch_size must be int, got 16\.0"):
        load_config(_toml(tmp_path, "[train]\nbatch_size = 16.0\n"))
    with pytest.raises(ConfigError, match=r"--set: mean_pool must be bool, got 'maybe'"):
        load_config(None, {"mean_pool": "maybe"})
    with pytest.raises(ConfigError, match=r"recipe\.toml: task must be one of"):  # own checks
        load_config(_toml(tmp_path, '[train]\ntask = "roles"\n'))


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.stem)
def test_every_shipped_recipe_loads(path: Path) -> None:
    config = load_config(path)
    assert config.task == path.stem and config.method == "frozen-embeddings"
    ship = load_ship_config(path)
    assert ship.adapter_rank > 0  # every shipped part is a full run cut to a LoRA adapter
    assert load_config(path, {"task": config.task}) == config


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_every_experiment_recipe_loads(path: Path) -> None:
    config = load_config(path)
    assert path.stem.startswith(config.task) and load_config(path, {"task": config.task}) == config


def test_the_stance_recipe_ship_table() -> None:
    ship = load_ship_config(next(p for p in RECIPES if p.stem == "stance"))
    assert (ship.adapter_rank, ship.heal_epochs, ship.heal_learning_rate) == (32, 1.0, 1e-4)
    assert ship.heal_distill == 0.5 and ship.stance_threshold == 0.0
    assert ship.heal_recipe == {"reasoned_pairs": 0.5}


@pytest.mark.parametrize(
    ("ship", "message"),
    [
        ("adapter_rnk = 32", r"recipe\.toml \[ship\]: unknown key 'adapter_rnk' .*'adapter_rank'"),
        ('adapter_rank = "32"', r"\[ship\]: adapter_rank must be int, got '32'"),
        ("adapter_rank = 8\nheal_epochs = 1", r"\[ship\]: heal_epochs needs a positive heal_lea"),
        ("heal_epochs = 1\nheal_learning_rate = 1e-4", r"heal_epochs .* needs adapter_rank"),
        ("[ship.heal_recipe]\nreasoned = 0.5", r"heal_recipe: unknown key 'reasoned'"),
        ("[ship.heal_recipe]\nreasoned_pairs = true", r"reasoned_pairs must be float, got True"),
        ("[ship.heal_recipe]\nepochs = 2", r"heal_recipe cannot set epochs"),
    ],
)
def test_a_bad_ship_table_fails(tmp_path: Path, ship: str, message: str) -> None:
    path = _toml(tmp_path, f'[train]\ntask = "stance"\n\n[ship]\n{ship}\n')
    with pytest.raises(ConfigError, match=message):
        load_ship_config(path)
    assert load_ship_config(_toml(tmp_path, "epochs = 1\n")).adapter_rank == 0  # no [ship]


def test_runs_written_before_retired_fields_still_load() -> None:
    old = {**TrainConfig(task="stance").to_dict(), "lora_layers": 0, "max_train_examples": 0}
    assert from_run({**old, "extra": {}}) == TrainConfig(task="stance")
    with pytest.raises(ConfigError, match="lora_layers was removed"):
        from_run({**old, "lora_layers": 4}, "run/train_config.json")


def test_every_key_is_described() -> None:
    lines = describe(TrainConfig()).splitlines()
    assert len(lines) == len(TrainConfig().to_dict())
    for line, key in zip(lines, TrainConfig().to_dict(), strict=True):
        assert line.split()[0] == key and len(line.partition("  # ")[2]) > 8, line
    data = next(line for line in lines if line.startswith("data "))
    assert "tuple[str, ...]" in data and "[]" in data and "specs" in data


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[role_mix.sources]\nukp = 0.2\n", r"\[role_mix\]: unknown role_mix source 'ukp'"),
        ("[role_mix.sources]\nxnli = 0.2\n", "unknown role_mix source 'xnli'; known: ukp-"),
        ("[role_mix.sources]\nabstrct = 0\n", r"share must be in \(0, 10\]"),
        ("[role_mix.sources]\nabstrct = 11.0\n", r"share must be in \(0, 10\]"),
        ('[role_mix.sources]\nabstrct = "half"\n', "abstrct must be float, got 'half'"),
        ("[role_mix]\nseed = 1\n", "sources: name at least one source"),
        ("[role_mix]\nmax_row = 5\n[role_mix.sources]\nabstrct = 1\n", "did you mean 'max_rows'"),
        ("[role_mix]\nmax_rows = -1\n[role_mix.sources]\nabstrct = 1\n", "cannot be negative"),
        ("distill_lexical = 0.5\n[role_mix.sources]\nabstrct = 1\n", "without distillation"),
        ("role_mix = {sources = {abstrct = 1}}\n[role_mix]\nseed = 1\n", "role_mix is given twice"),
    ],
)
def test_a_bad_role_mix_table_fails(tmp_path: Path, text: str, message: str) -> None:
    train, _, tables = text.partition("[role")
    path = _toml(tmp_path, f'[train]\ntask = "component"\n{train}\n[role{tables}')
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_a_role_mix_is_for_roles_and_kept_in_the_run(tmp_path: Path) -> None:
    import json

    from stance.training.config import RoleMixConfig, role_mix_config

    table = "[role_mix]\nmax_rows = 50\n[role_mix.sources]\nukp-sentential = 0.5\n"
    with pytest.raises(ConfigError, match="for the component"):
        load_config(_toml(tmp_path, f'[train]\ntask = "stance"\n{table}'))
    config = load_config(_toml(tmp_path, f'[train]\ntask = "component"\n{table}'))
    mix = role_mix_config(config)
    assert mix == RoleMixConfig(sources={"ukp-sentential": 0.5}, max_rows=50)
    assert mix.seed == 13 and mix.partial_rows
    assert from_run(json.loads(json.dumps(config.to_dict()))) == config
    assert role_mix_config(load_config(None)) is None


def test_the_tagger_task(tmp_path: Path) -> None:
    """Roles and spans in one model: a [role_mix] is allowed, sentence-head options are not."""
    table = "[role_mix.sources]\nukp-sentential = 0.5\n"
    config = load_config(_toml(tmp_path, f'[train]\ntask = "tagger"\n{table}'))
    assert config.task == "tagger" and config.role_mix
    for key in ("mean_pool", "probe_head"):
        with pytest.raises(ConfigError, match=key):
            load_config(None, {"task": "tagger", key: True, "method": "full"})
    with pytest.raises(ConfigError, match="distill_lexical"):
        load_config(None, {"task": "tagger", "distill_lexical": 0.5})
