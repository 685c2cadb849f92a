"""One frozen configuration object per training run, and how a run is shipped.

A run is fully described by a TOML recipe (see ``scripts/configs/``): its ``[train]`` table is
a ``TrainConfig``, with dotted ``key=value`` overrides from the command line on top, its
``[ship]`` table a ``ShipConfig`` (``scripts/build_default.py``), its ``[mix]`` table a
``MixConfig`` (the cross-lingual stance mix, ``data/transfer.py``, kept in ``TrainConfig.mix``)
and its ``[role_mix]`` table a ``RoleMixConfig`` (the roles genre mix, ``data/role_mix.py``, kept
in ``TrainConfig.role_mix``), so the exact recipe of every shipped model is reproducible. All
are built by ``stance.typed_config``: an unknown key or a value of the wrong type is an error
that names it. ``stance config show`` lists the keys.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.model.tasks import CONTEXT_CHARS
from stance.typed_config import (
    ConfigError,
    build,
    check_keys,
    check_value,
    coerce_strings,
    field_comments,
    field_types,
    type_name,
)

TASKS = ("component", "span", "stance", "tagger")  # tagger: roles + spans in one pass
METHODS = ("lora", "full", "frozen-embeddings")
# Sources a [mix] table may name (stance/training/data/transfer.py reads each one): the French
# and German sets of the stance pool, then the cross-lingual sets of $STANCE_DATA_DIR/xling.
MIX_SOURCES = (
    "xstance",
    "efra",
    "fewshot",
    "perspectrum",
    "ibm-claim-stance",
    "ukp-sentential",
    "semeval2016",
    "iam-stance",
    "vast",
    "catalonia",
    "xnli",
    "fr-nli",
    "negation-nli",
)
# Sources a [role_mix] table may name (stance/training/data/role_mix.py reads each one's train
# part): the genres trained beside the PE-FR essays, which are always in.
ROLE_MIX_SOURCES = ("ukp-sentential", "iam-claims", "ibm-evidence", "abstrct")
# Fields since removed from TrainConfig, with the value at which each changed nothing: the
# train_config.json of older runs still holds them (``from_run`` drops them there).
TABLES = ("train", "ship", "mix", "role_mix")  # the tables of a TOML recipe
RETIRED: dict[str, Any] = {"lora_layers": 0, "max_train_examples": 0, "extra": {}}


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters and data of one run; defaults are the shipped recipe."""

    task: str = "component"  # component | span | stance | tagger (roles and spans at once)
    base: str = "e5-small-offline"  # hub name, local dir, or the built-in offline e5
    # a run of the same base whose encoder starts this one (intermediate-task transfer, e.g. the
    # span tagger's encoder for roles); the run is still a change of `base`, so it ships as one
    init_encoder: str = ""
    data: tuple[str, ...] = ()  # "format:path" specs; empty = the task's default sets
    dev_data: tuple[str, ...] = ()  # same; empty = the task's default dev split
    method: str = "lora"  # lora | full | frozen-embeddings (full, embedding matrix frozen)
    epochs: float = 3.0  # training epochs (fractions allowed)
    learning_rate: float = 5e-4  # peak learning rate (linear warm-up, then linear decay)
    batch_size: int = 16  # training batch size (evaluation uses twice as many)
    # tokens per input; longer inputs are truncated (span: windowed; tagger: a window of sentences)
    max_length: int = 128
    context: int = 0  # component: neighbouring sentences given on each side (0 = none)
    context_chars: int = CONTEXT_CHARS  # component: most characters of context per side
    merge_majorclaim: bool = True  # span, tagger: MajorClaim counted as claim
    none_pairs: float = 0.25  # stance: unrelated (question, comment) pairs added as `none`
    french_targets: bool = False  # stance: German X-Stance rows get the French question as target
    hold_out_authors: bool = False  # stance: train without the X-Stance `comments` split's authors
    statement_pairs: float = 0.0  # stance: share of pairs repeated with the question as a statement
    reasoned_pairs: float = 0.0  # stance: share of pairs also given as "statement, car <comment>"
    negated_targets: float = 0.0  # stance: share also given toward the negated statement, flipped
    rebuttal_pairs: float = 0.0  # stance: share also given after a reported view on the same target
    casual_targets: float = 0.0  # stance: share of targets lowercased, final mark dropped
    neutral_pairs: float = 0.0  # stance: `none` pairs with non-argumentative PE-FR sentences
    # stance: weight of the loss tying a negated pair to its twin (training/consistency.py)
    consistency: float = 0.0
    distill_lexical: float = 0.0  # weight of the loss toward TF-IDF + LR probabilities (distill.py)
    distill_span: float = 0.0  # component: weight of the loss toward the span tagger's roles
    span_teacher: str = ""  # component: the span part (run or pipeline dir) distill_span reads
    class_weights: bool = True  # cross-entropy weighted by sqrt inverse class frequency
    lora_r: int = 16  # lora: adapter rank
    lora_alpha: int = 32  # lora: adapter scaling (alpha / r)
    lora_dropout: float = 0.1  # lora: dropout on the adapter's input
    full_layers: int = 0  # lora: the top N layers are trained in full instead (kept in the adapter)
    full_learning_rate: float = 5e-5  # learning rate of those fully trained layers
    mean_pool: bool = False  # component/stance: classify a mean-pooled state (stance.model.pooling)
    probe_head: bool = False  # component/stance: head starts from a linear probe (probe.py)
    lowercase_aug: float = 0.0  # component, tagger: share of training rows lowercased (robustness)
    warmup_ratio: float = 0.06  # share of all training steps spent warming the learning rate up
    weight_decay: float = 0.01  # AdamW weight decay (not on biases and layer norms)
    patience: int = 2  # early stopping on dev macro-F1, in evaluations
    evals_per_epoch: int = 1  # dev evaluations (and checkpoints) per epoch
    seed: int = 13  # seed of the run and of every sampled augmentation
    window_stride: int = 32  # span: token overlap between windows of long paragraphs
    mix: dict[str, Any] = field(default_factory=dict)  # stance: the [mix] table (MixConfig)
    # component: the [role_mix] table (RoleMixConfig), genres beside the essays
    role_mix: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, got {self.task!r}")
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if self.mean_pool and self.task in ("span", "tagger"):
            raise ValueError("mean_pool is for sentence-level tasks (component, stance)")
        if self.probe_head and (self.task in ("span", "tagger") or self.method == "lora"):
            raise ValueError("probe_head is for full fine-tuning of component or stance")
        token_task = self.task in ("span", "tagger")
        if not 0.0 <= self.distill_lexical <= 1.0 or (self.distill_lexical and token_task):
            raise ValueError("distill_lexical is a weight in [0, 1], for component or stance")
        if not 0.0 <= self.distill_span <= 1.0 or (self.distill_span and self.task != "component"):
            raise ValueError("distill_span is a weight in [0, 1], for component")
        if self.distill_span and not self.span_teacher:
            raise ValueError("distill_span needs span_teacher: a span run or pipeline directory")
        if self.distill_span and self.distill_lexical:
            raise ValueError("distill_span and distill_lexical: one teacher per run")
        if self.consistency < 0 or (self.consistency and self.task != "stance"):
            raise ValueError("consistency is a weight ≥ 0, for the stance task")
        if self.mix and self.task != "stance":
            raise ValueError("a [mix] table is for the stance task")
        if self.mix:
            build(MixConfig, self.mix, "[mix]")
        if self.role_mix and self.task not in ("component", "tagger"):
            raise ValueError("a [role_mix] table is for the component (roles) and tagger tasks")
        if self.role_mix and (self.distill_lexical or self.distill_span):
            raise ValueError("a [role_mix] trains without distillation (its rows have no teacher)")
        if self.role_mix:
            build(RoleMixConfig, self.role_mix, "[role_mix]")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class MixConfig:
    """A recipe's ``[mix]`` table: which stance sources train, how much of each, derived pairs.

    Read by ``stance/training/data/transfer.py``. Only a source named in ``sources`` is used;
    XNLI trains on the idx half that its hash does not hold out, in all four languages.
    """

    # source (MIX_SOURCES) → share of its training rows taken, seeded (2.5 = two copies + half)
    sources: dict[str, float] = field(default_factory=dict)
    seed: int = 13  # seed of the row sampling, the subsample and the derived pairs
    max_rows: int = 0  # >0: a seeded subsample of that many rows of the mix (screening runs)
    negated_pairs: float = 0.0  # share of each source's negatable pairs added negated, flipped
    unrelated_pairs: float = 0.0  # share of each source's pairs added with an unrelated target
    xnli_dev: bool = False  # the Trainer also selects on the XNLI-fr held-out idx rows

    def __post_init__(self) -> None:
        if not self.sources:
            raise ValueError("sources: name at least one source and its share")
        unknown = sorted(set(self.sources) - set(MIX_SOURCES))
        if unknown:
            raise ValueError(f"unknown mix source {unknown[0]!r}; known: {', '.join(MIX_SOURCES)}")
        if any(not 0.0 < share <= 10.0 for share in self.sources.values()):
            raise ValueError("a source's share must be in (0, 10]")
        if self.max_rows < 0:
            raise ValueError("max_rows cannot be negative")
        if not (0.0 <= self.negated_pairs <= 1.0 and 0.0 <= self.unrelated_pairs <= 1.0):
            raise ValueError("negated_pairs and unrelated_pairs are shares in [0, 1]")


def mix_config(config: TrainConfig) -> MixConfig | None:
    """The run's ``[mix]`` table as a ``MixConfig`` (None: no transfer mix)."""
    return build(MixConfig, config.mix, "[mix]") if config.mix else None


@dataclass(frozen=True)
class RoleMixConfig:
    """A roles recipe's ``[role_mix]`` table: genres trained beside the PE-FR essays.

    Read by ``stance/training/data/role_mix.py``: the run's own roles data (PE-FR in full) plus
    a seeded share of the *train* rows of each source named here, with their genre. A row whose
    gold allows several roles (UKP *argument*: claim or premise) trains on the partial-label loss
    (``trainer.mixed_loss``). Dev and test rows of these sets never train.
    """

    # source (ROLE_MIX_SOURCES) → share of its train rows taken, seeded (1.5 = a copy + half)
    sources: dict[str, float] = field(default_factory=dict)
    seed: int = 13  # seed of the row sampling and of the subsample
    max_rows: int = 0  # >0: a seeded subsample of that many rows of the sources (PE-FR stays whole)
    partial_rows: bool = True  # false: rows whose gold allows several roles are left out

    def __post_init__(self) -> None:
        if not self.sources:
            raise ValueError("sources: name at least one source and its share")
        unknown = sorted(set(self.sources) - set(ROLE_MIX_SOURCES))
        if unknown:
            known = ", ".join(ROLE_MIX_SOURCES)
            raise ValueError(f"unknown role_mix source {unknown[0]!r}; known: {known}")
        if any(not 0.0 < share <= 10.0 for share in self.sources.values()):
            raise ValueError("a source's share must be in (0, 10]")
        if self.max_rows < 0:
            raise ValueError("max_rows cannot be negative")


def role_mix_config(config: TrainConfig) -> RoleMixConfig | None:
    """The run's ``[role_mix]`` table as a ``RoleMixConfig`` (None: the essays alone)."""
    return build(RoleMixConfig, config.role_mix, "[role_mix]") if config.role_mix else None


@dataclass(frozen=True)
class ShipConfig:
    """A recipe's ``[ship]`` table: how ``scripts/build_default.py`` ships the trained run."""

    adapter_rank: int = 0  # >0: a full run ships as the rank-N truncated SVD of its change (LoRA)
    heal_epochs: float = 0.0  # >0: that adapter then trains toward the full run (heal.py)
    heal_learning_rate: float = 0.0  # learning rate of the healing run (needed with heal_epochs)
    heal_distill: float = 1.0  # healing: loss share toward the full run's probabilities, rest gold
    # healing: TrainConfig fields changed for that run (e.g. reasoned_pairs: rows it never saw)
    heal_recipe: dict[str, Any] = field(default_factory=dict)
    stance_threshold: float = 0.0  # stance: a sentence stance under this probability is `none`
    # stance: ship instead the threshold chosen on dev for the shipped part (trainer._calibrate)
    threshold_from_dev: bool = False

    def __post_init__(self) -> None:
        if self.adapter_rank < 0 or self.heal_epochs < 0:
            raise ValueError("adapter_rank and heal_epochs cannot be negative")
        if self.heal_epochs and not self.adapter_rank:
            raise ValueError("heal_epochs heals a cut adapter: it needs adapter_rank")
        if self.heal_epochs and self.heal_learning_rate <= 0:
            raise ValueError("heal_epochs needs a positive heal_learning_rate")
        if not 0.0 <= self.heal_distill <= 1.0:
            raise ValueError("heal_distill is a weight in [0, 1]")
        if not 0.0 <= self.stance_threshold < 1.0:
            raise ValueError("stance_threshold is a probability in [0, 1)")
        check_train_values(self.heal_recipe, "heal_recipe")
        fixed = sorted({"task", "epochs", "learning_rate"} & set(self.heal_recipe))
        if fixed:
            raise ValueError(f"heal_recipe cannot set {', '.join(fixed)} (see heal_* instead)")


def check_train_values(values: dict[str, Any], where: str = "") -> dict[str, Any]:
    """``values`` checked against ``TrainConfig``'s fields: known keys, right types."""
    check_keys(TrainConfig, values, where)
    types = field_types(TrainConfig)
    return {k: check_value(k, v, types[k], where) for k, v in values.items()}


def read_recipe(path: str | Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(``[train]``, ``[ship]``) tables of a TOML recipe; a flat file is all ``[train]``.

    A ``[mix]`` table is the ``mix`` key of ``[train]`` (``MixConfig``), a ``[role_mix]`` table
    its ``role_mix`` key (``RoleMixConfig``).
    """
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    if not set(TABLES) & set(raw):
        return raw, {}
    for key in raw:
        if key not in TABLES:
            names = ", ".join(f"[{t}]" for t in TABLES)
            raise ConfigError(f"{path}: unknown table or key {key!r} (tables: {names})")
    for table in TABLES:
        if not isinstance(raw.get(table, {}), dict):
            raise ConfigError(f"{path}: {table} must be a table ([{table}])")
    train = dict(raw.get("train", {}))
    for table in ("mix", "role_mix"):  # tables kept in a [train] key of the same name
        if table in raw:
            if table in train:
                raise ConfigError(f"{path}: {table} is given twice ([{table}] and [train] {table})")
            train[table] = dict(raw[table])
    return train, dict(raw.get("ship", {}))


def load_config(
    path: str | Path | None = None, overrides: dict[str, Any] | None = None
) -> TrainConfig:
    """Read a TOML recipe's ``[train]`` table (or a flat file) and apply overrides on top.

    Overrides are command-line values: ``None`` means "not given", and strings are converted
    to the field's type (``"3"`` → 3).
    """
    where = str(path) if path else ""
    values = check_train_values(read_recipe(path)[0], where) if path else {}
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    values.update(check_train_values(coerce_strings(TrainConfig, given, "--set"), "--set"))
    return build(TrainConfig, values, where)


def load_ship_config(path: str | Path) -> ShipConfig:
    """A recipe's ``[ship]`` table, checked (absent table: ship the run as trained)."""
    return build(ShipConfig, read_recipe(path)[1], f"{path} [ship]")


def from_dict(values: dict[str, Any], where: str = "") -> TrainConfig:
    return build(TrainConfig, values, where)


def from_run(values: dict[str, Any], where: str = "") -> TrainConfig:
    """A run's ``train_config.json``: fields retired since it was written are dropped when
    they held their no-op value (the run did not use them), refused otherwise."""
    kept = dict(values)
    for key, neutral in RETIRED.items():
        if key in kept and kept.pop(key) != neutral:
            raise ConfigError(f"{where}: {key} was removed from TrainConfig; this run set it")
    return build(TrainConfig, kept, where)


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """Turn ``["epochs=2", "method=full"]`` into a dict; values parsed as TOML when possible."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"override {item!r} is not key=value")
        try:
            out[key.strip()] = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            out[key.strip()] = value
    return out


def train_keys() -> list[str]:
    """The keys a recipe's ``[train]`` table and ``--set`` accept."""
    return [f.name for f in dataclasses.fields(TrainConfig)]


def describe(config: TrainConfig) -> str:
    """One line per field: key, type, value (TOML), and the comment from the source."""
    types = field_types(TrainConfig)
    comments = field_comments(TrainConfig)
    rows = [
        (f.name, type_name(types[f.name]), json.dumps(getattr(config, f.name), ensure_ascii=False))
        for f in dataclasses.fields(TrainConfig)
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        + f"  # {comments.get(row[0], '')}".rstrip(" #")
        for row in rows
    )
