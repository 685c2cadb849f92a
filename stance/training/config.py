"""One frozen configuration object per training run.

A run is fully described by a TOML file (see ``scripts/configs/``) plus dotted ``key=value``
overrides from the command line, so the exact recipe of every shipped model is reproducible.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.model.tasks import CONTEXT_CHARS

TASKS = ("component", "span", "stance")
METHODS = ("lora", "full", "frozen-embeddings")


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters and data of one run; defaults are the shipped recipe."""

    task: str = "component"
    base: str = "e5-small-offline"  # hub name, local dir, or the built-in offline e5
    # a run of the same base whose encoder starts this one (intermediate-task transfer, e.g. the
    # span tagger's encoder for roles); the run is still a change of `base`, so it ships as one
    init_encoder: str = ""
    data: tuple[str, ...] = ()  # "format:path" specs; empty = the task's default sets
    dev_data: tuple[str, ...] = ()  # same; empty = the task's default dev split
    method: str = "lora"
    epochs: float = 3.0
    learning_rate: float = 5e-4
    batch_size: int = 16
    max_length: int = 128
    context: int = 0  # component: neighbouring sentences given on each side (0 = none)
    context_chars: int = CONTEXT_CHARS  # component: most characters of context per side
    merge_majorclaim: bool = True  # span: MajorClaim counted as claim
    none_pairs: float = 0.25  # stance: unrelated (question, comment) pairs added as `none`
    french_targets: bool = False  # stance: German X-Stance rows get the French question as target
    hold_out_authors: bool = False  # stance: train without the X-Stance `comments` split's authors
    statement_pairs: float = 0.0  # stance: share of pairs repeated with the question as a statement
    reasoned_pairs: float = 0.0  # stance: share of pairs also given as "statement, car <comment>"
    negated_targets: float = 0.0  # stance: share also given toward the negated statement, flipped
    rebuttal_pairs: float = 0.0  # stance: share also given after a reported view on the same target
    casual_targets: float = 0.0  # stance: share of targets lowercased, final mark dropped
    neutral_pairs: float = 0.0  # stance: `none` pairs with non-argumentative PE-FR sentences
    distill_lexical: float = 0.0  # weight of the loss toward TF-IDF + LR probabilities (distill.py)
    distill_span: float = 0.0  # component: weight of the loss toward the span tagger's roles
    span_teacher: str = ""  # component: the span part (run or pipeline dir) distill_span reads
    class_weights: bool = True
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.1
    lora_layers: int = 0  # 0 = all layers; N = only the top N layers get adapters
    full_layers: int = 0  # lora: the top N layers are trained in full instead (kept in the adapter)
    full_learning_rate: float = 5e-5  # learning rate of those fully trained layers
    mean_pool: bool = False  # component/stance: classify a mean-pooled state (stance.pooling)
    probe_head: bool = False  # component/stance: start the head from a linear probe (stance.probe)
    lowercase_aug: float = 0.0  # component: share of training examples lowercased (robustness)
    warmup_ratio: float = 0.06
    weight_decay: float = 0.01
    patience: int = 2  # early stopping on dev macro-F1, in evaluations
    evals_per_epoch: int = 1
    seed: int = 13
    max_train_examples: int = 0  # 0 = all; >0 subsamples (quick experiments, tests)
    window_stride: int = 32  # span: token overlap between windows of long paragraphs
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, got {self.task!r}")
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if self.mean_pool and self.task == "span":
            raise ValueError("mean_pool is for sentence-level tasks (component, stance), not span")
        if self.probe_head and (self.task == "span" or self.method == "lora"):
            raise ValueError("probe_head is for full fine-tuning of component or stance")
        if not 0.0 <= self.distill_lexical <= 1.0 or (self.distill_lexical and self.task == "span"):
            raise ValueError("distill_lexical is a weight in [0, 1], for component or stance")
        if not 0.0 <= self.distill_span <= 1.0 or (self.distill_span and self.task != "component"):
            raise ValueError("distill_span is a weight in [0, 1], for component")
        if self.distill_span and not self.span_teacher:
            raise ValueError("distill_span needs span_teacher: a span run or pipeline directory")
        if self.distill_span and self.distill_lexical:
            raise ValueError("distill_span and distill_lexical: one teacher per run")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def load_config(
    path: str | Path | None = None, overrides: dict[str, Any] | None = None
) -> TrainConfig:
    """Read a TOML file (flat, or with a ``[train]`` table) and apply overrides on top."""
    values: dict[str, Any] = {}
    if path:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        values.update(raw.get("train", raw))
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return from_dict(values)


def from_dict(values: dict[str, Any]) -> TrainConfig:
    names = {f.name: f for f in dataclasses.fields(TrainConfig)}
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise ValueError(f"unknown config keys: {', '.join(unknown)}")
    coerced = {k: _coerce(names[k].type, v) for k, v in values.items()}
    return TrainConfig(**coerced)


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


def _coerce(annotation: Any, value: Any) -> Any:
    text = str(annotation)
    if text.startswith("tuple") and isinstance(value, str | list | tuple):
        return tuple([value] if isinstance(value, str) else value)
    if text == "float" and isinstance(value, int):
        return float(value)
    if text == "bool" and isinstance(value, str):
        return value.lower() in {"1", "true", "yes"}
    if text == "int" and isinstance(value, str):
        return int(value)
    if text == "float" and isinstance(value, str):
        return float(value)
    return value
