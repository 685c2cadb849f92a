"""Load task checkpoints and turn text into probabilities.

A *part* is one task model in a directory: either a standard ``save_pretrained`` checkpoint
(``config.json`` + safetensors) or a compact PEFT adapter on top of a base encoder
(``adapter_config.json``), which is how the shipped default stays under its size budget.
Each part carries ``stance_part.json`` (task, labels, input settings). Only safetensors are
ever loaded: no pickle, no ``torch.load``.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.model.tasks import CONTEXT_CHARS

PART_FILE = "stance_part.json"
TOKEN_TASKS = ("span",)
TAGGER = "tagger"  # the argument tagger: roles and spans in one pass (stance/model/tagger.py)
# how a part directory becomes (model, tokenizer, info): load_part, or a backend in backends.py
PartLoader = Callable[[Path], tuple[Any, Any, "PartInfo"]]


class ModelError(RuntimeError):
    """A model directory is missing, corrupted or of the wrong kind; the message names the file."""


@dataclass(frozen=True)
class PartInfo:
    """What a task checkpoint needs at inference time, saved next to its weights."""

    task: str
    labels: tuple[str, ...]
    base: str
    max_length: int = 256
    context: int = 0
    merge_majorclaim: bool = True
    temperature: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def context_chars(self) -> int:
        """Characters of context per side the part was trained with (parts saved before it was
        an option used the default)."""
        return int(self.extra.get("context_chars", CONTEXT_CHARS))

    def save(self, directory: Path) -> None:
        data = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}
        (directory / PART_FILE).write_text(json.dumps(data, indent=2, ensure_ascii=False))

    @classmethod
    def load(cls, directory: Path) -> PartInfo:
        path = directory / PART_FILE
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise ModelError(f"{path}: not valid JSON ({exc})") from exc
            try:
                data["labels"] = tuple(data["labels"])
                return cls(**data)
            except (KeyError, TypeError) as exc:
                raise ModelError(
                    f"{path}: not a part manifest ({type(exc).__name__}: {exc})"
                ) from exc
        return _info_from_hf_config(directory)


def _info_from_hf_config(directory: Path) -> PartInfo:
    """A plain transformers checkpoint without our manifest (e.g. from ``stance export hf``)."""
    path = directory / "config.json"
    if not path.exists():
        raise ModelError(f"{directory}: neither {PART_FILE} nor config.json found")
    cfg = json.loads(path.read_text(encoding="utf-8"))
    id2label = cfg.get("id2label") or {}
    labels = tuple(str(id2label[k]).lower() for k in sorted(id2label, key=int))
    arch = " ".join(cfg.get("architectures") or [])
    if "ArgumentTagging" in arch:  # BIO tags keep their case ("O", "B-claim")
        tags = tuple(str(id2label[k]) for k in sorted(id2label, key=int))
        extra = {"role_labels": list(cfg.get("role_labels") or ())}
        return PartInfo(task=TAGGER, labels=tags, base=str(directory), extra=extra)
    task = "span" if "TokenClassification" in arch else cfg.get("stance_task", "component")
    return PartInfo(task=task, labels=labels, base=str(directory))


def _check_weights(directory: Path) -> None:
    if not directory.is_dir():
        raise ModelError(f"model directory not found: {directory}")
    names = {p.name for p in directory.iterdir()}
    if not any(n.endswith(".safetensors") for n in names):
        pickles = sorted(n for n in names if n.endswith((".bin", ".pt", ".pth", ".pkl")))
        hint = (
            f" (found pickle weights {pickles}: refused, convert to safetensors)" if pickles else ""
        )
        raise ModelError(f"{directory}: no *.safetensors weights{hint}")
    from safetensors import SafetensorError, safe_open

    for weights in sorted(directory.glob("*.safetensors")):
        try:
            with safe_open(str(weights), framework="pt"):
                pass  # the header is parsed and checked against the file size here
        except (SafetensorError, OSError) as exc:
            raise ModelError(f"{weights}: corrupted safetensors file ({exc})") from exc


def load_part(
    directory: str | Path, device: str = "cpu", compact_tokenizer: bool = False
) -> tuple[Any, Any, PartInfo]:
    """Open a task checkpoint (full or adapter) and its tokenizer, in eval mode.
    ``compact_tokenizer``: for prediction, a Unigram tokenizer in a fraction of the memory that
    cannot be saved (``stance.model.unigram``); exports and training keep the standard one."""
    from transformers.utils import logging as hf_logging

    from stance.model.adapters import shared_tokenizer
    from stance.model.e5 import resolve_base

    path = Path(directory)
    _check_weights(path)
    info = PartInfo.load(path)
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the head is in the adapter: no "newly initialized" noise
    hf_logging.disable_progress_bar()
    try:
        if (path / "adapter_config.json").exists():
            model = _adapter_part(path, info)
            has_tokenizer = (path / "tokenizer.json").exists()
            tok_dir = path if has_tokenizer else Path(resolve_base(info.base))
        else:
            model = auto_class(info.task).from_pretrained(str(path), use_safetensors=True)
            tok_dir = path
        tokenizer = shared_tokenizer(str(tok_dir), compact_tokenizer)
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        raise ModelError(f"{path}: cannot load {info.task} model: {exc}") from exc
    finally:
        hf_logging.set_verbosity(verbosity)
        hf_logging.enable_progress_bar()
    model.to(device).eval()
    return model, tokenizer, info


def _adapter_part(path: Path, info: PartInfo) -> Any:
    """A LoRA part merged into the base that all parts share (``adapters.py``); other adapter
    kinds through ``peft``."""
    from stance.model.adapters import merged_part
    from stance.model.e5 import resolve_base

    pool = bool(info.extra.get("mean_pool"))
    base = resolve_base(info.base)
    auto, labels = auto_class(info.task), label_kwargs(info.labels)
    model = merged_part(path, base, auto, labels, pool) if Path(base).is_dir() else None
    return model if model is not None else adapter_model(path, info).merge_and_unload()


def adapter_model(path: Path, info: PartInfo, trainable: bool = False) -> Any:
    """The base encoder (plus the fixed pooling layer, if any) carrying the LoRA adapter."""
    from peft import PeftModel

    from stance.model.e5 import resolve_base

    auto = auto_class(info.task)
    kwargs = label_kwargs(info.labels)
    model = auto.from_pretrained(resolve_base(info.base), use_safetensors=True, **kwargs)
    if info.extra.get("mean_pool"):  # fixed layer, rebuilt rather than stored
        from stance.model.pooling import add_mean_pool_layer

        add_mean_pool_layer(model)
    with warnings.catch_warnings():  # peft's deprecation chatter, not the user's concern
        warnings.simplefilter("ignore", FutureWarning)
        return PeftModel.from_pretrained(model, str(path), is_trainable=trainable)


def auto_class(task: str) -> Any:
    """The class that opens a part of this task (``from_pretrained``, ``from_config``)."""
    if task == TAGGER:
        from stance.model.tagger import BertForArgumentTagging

        return BertForArgumentTagging
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    return (
        AutoModelForTokenClassification
        if task in TOKEN_TASKS
        else AutoModelForSequenceClassification
    )


def label_kwargs(labels: tuple[str, ...]) -> dict[str, Any]:
    return {
        "num_labels": len(labels),
        "id2label": dict(enumerate(labels)),
        "label2id": {label: i for i, label in enumerate(labels)},
    }
