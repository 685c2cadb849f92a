"""Train a low-rank adapter briefly toward the full run it was cut from (distillation).

The rank-r SVD of a full fine-tuning run (``recipes/compress.py``) keeps about two thirds of
the weight change and loses 0.02-0.03 macro-F1 on X-Stance dev (docs/research-log.md). What it
drops is not what the task needs least, only what is smallest. A short LoRA run from the SVD
factors, toward the full model's probabilities on the training rows, spends the same rank on
what the full model does: a standard compress-then-distill step, with the adapter's size
unchanged.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch

from stance.model.classifier import softmax
from stance.model.part import PartInfo, adapter_model, load_part
from stance.training.config import TrainConfig, from_dict, from_run


def heal_adapter(
    full: Path,
    adapter: Path,
    *,
    epochs: float,
    learning_rate: float,
    distill: float,
    recipe: Mapping[str, Any] | None = None,
) -> dict[str, float]:
    """Train ``adapter`` (in place) toward the full run ``full``; returns the dev scores.

    The run's own data and recipe (``train_config.json``) are used, with ``recipe`` fields
    overriding it: ``distill_lexical`` mixes that share of the out-of-fold TF-IDF + LR
    probabilities into the teacher (``training/distill.py``); training-row augmentations such
    as ``reasoned_pairs`` or ``casual_targets`` (``training/targets.py``) add rows the full run
    has not seen, which only the gold labels teach (``distill`` < 1). The last state is kept (the
    target is the full run; dev F1 is only reported), and the temperature is fitted again.
    """
    from transformers import AutoTokenizer, set_seed

    from stance.training.trainer import (
        _calibrate,
        _class_weights,
        _collator,
        _make_weighted_trainer,
        _metrics_fn,
        _training_args,
        encode_datasets,
    )

    changes = {"distill_lexical": 0.0, **(recipe or {})}
    config = _healing_config(full, {**changes, "epochs": epochs, "learning_rate": learning_rate})
    set_seed(config.seed)
    info = PartInfo.load(adapter)
    tokenizer = AutoTokenizer.from_pretrained(str(full))
    train_ds, dev_ds = encode_datasets(config, tokenizer, info.labels)
    train_ds = _with_teacher(full, train_ds, tokenizer, config.distill_lexical)
    model = adapter_model(adapter, info, trainable=True)
    with tempfile.TemporaryDirectory(prefix="heal-") as tmp:
        trainer = _make_weighted_trainer()(
            model=model,
            args=_last_state(_training_args(config, Path(tmp), len(train_ds))),
            train_dataset=train_ds,
            eval_dataset=dev_ds,
            data_collator=_collator(config, tokenizer),
            compute_metrics=_metrics_fn(config, info.labels),
            class_weights=_class_weights(train_ds, info.labels) if config.class_weights else None,
            distill=distill,
        )
        trainer.train()
        dev = trainer.evaluate()
        stance_labels = info.labels if config.task == "stance" else ()
        temperature, calib = _calibrate(trainer, dev_ds, stance_labels)
    healing = {"epochs": epochs, "learning_rate": learning_rate, "distill": distill, **changes}
    # the threshold is chosen on dev for this adapter (build_default ships it)
    extra = {**info.extra, "healed": healing, **_pick(calib, "none_threshold")}
    _save_healed(
        trainer.model, adapter, dataclasses.replace(info, temperature=temperature, extra=extra)
    )
    return {"dev_macro_f1": float(dev.get("eval_macro_f1", np.nan)), **calib}


def _pick(scores: Mapping[str, float], *keys: str) -> dict[str, float]:
    return {k: scores[k] for k in keys if k in scores}


def _save_healed(model: Any, adapter: Path, info: PartInfo) -> None:
    """The healed LoRA adapter and its manifest, in place of the cut one."""
    peft_config = model.peft_config["default"]  # peft appends its heads on each load
    peft_config.modules_to_save = list(dict.fromkeys(peft_config.modules_to_save))
    peft_config.inference_mode = True
    model.save_pretrained(str(adapter), safe_serialization=True)
    info.save(adapter)


def _healing_config(full: Path, changes: Mapping[str, Any]) -> TrainConfig:
    """The full run's ``train_config.json`` with the healing changes on top."""
    path = full / "train_config.json"
    run = from_run(json.loads(path.read_text(encoding="utf-8")), str(path)).to_dict()
    config = from_dict({**run, **changes}, "healing recipe")
    if config.task == "span":
        raise ValueError("healing is for sentence-level parts (component, stance), not span")
    return config


def _with_teacher(full: Path, train_ds: Any, tokenizer: Any, lexical: float) -> Any:
    """``train_ds`` with a ``teacher`` column: the full run's probabilities, mixed with
    ``lexical`` of the TF-IDF + LR ones (the column ``encode_datasets`` added for it)."""
    teacher = teacher_probs(full, train_ds, tokenizer)
    if lexical:
        teacher = (1 - lexical) * teacher + lexical * np.asarray(train_ds["teacher"], np.float32)
        train_ds = train_ds.remove_columns("teacher")
    return train_ds.add_column("teacher", teacher.tolist())


def _last_state(args: Any) -> Any:
    """Keep the final weights: the run fits a fixed teacher, and dev F1 is only reported."""
    return dataclasses.replace(
        args, eval_strategy="no", save_strategy="no", load_best_model_at_end=False
    )


def teacher_probs(full: Path, dataset: Any, tokenizer: Any, batch_size: int = 64) -> np.ndarray:
    """The full model's probabilities (temperature 1) for every row of ``dataset``."""
    from transformers import DataCollatorWithPadding

    model, _, _ = load_part(full)
    collate = DataCollatorWithPadding(tokenizer)
    rows = dataset.select_columns(["input_ids", "attention_mask"])
    out = []
    with torch.no_grad():
        for start in range(0, len(rows), batch_size):
            batch = collate([rows[i] for i in range(start, min(start + batch_size, len(rows)))])
            logits = model(**batch).logits
            out.append(softmax(logits.float().numpy(), 1.0))
    return np.concatenate(out).astype(np.float32)
