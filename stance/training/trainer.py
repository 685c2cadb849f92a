"""Fine-tune one task model with the Hugging Face ``Trainer``.

``train(config, output_dir)`` is the importable core of ``stance train``. Using ``Trainer``
means multi-GPU and multi-node runs need no new code: ``accelerate launch -m stance.cli train
...`` or ``torchrun`` pick up the same script. The output directory is a standard
``save_pretrained`` checkpoint (LoRA merged in) plus ``adapter/`` (the compact form shipped in
``models/``), a ``stance_part.json`` manifest and a ``README.md`` model card.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from stance.doc import ROLES, STANCES
from stance.model.part import PartInfo, auto_class, label_kwargs
from stance.model.pooling import add_mean_pool_layer
from stance.training import tagging
from stance.training.calibrate import calibrate as _calibrate  # recipes/heal.py imports it here
from stance.training.config import TrainConfig
from stance.training.consistency import TwinCollator, pop_twins, twin_term
from stance.training.data.mix import task_documents
from stance.training.encode import encode_pairs, encode_spans, labels_for
from stance.training.init_encoder import load_encoder
from stance.training.losses import mixed_loss

log = logging.getLogger(__name__)
HEADS = {"span": ["classifier"], "tagger": ["classifier", "role_classifier", "pooler"]}  # LoRA


def train(config: TrainConfig, output_dir: str | Path, *, resume: bool = False) -> dict[str, Any]:
    """Train, select on dev macro-F1, save; returns the dev scores and timings."""
    from transformers import AutoTokenizer, EarlyStoppingCallback, set_seed

    from stance.model.e5 import resolve_base

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    set_seed(config.seed)
    base = resolve_base(config.base)
    tokenizer = AutoTokenizer.from_pretrained(base)
    labels = labels_for(config)
    train_ds, dev_ds = encode_datasets(config, tokenizer, labels)
    model = _build_model(config, base, labels)
    if config.probe_head and not (resume and _last_checkpoint(out)):
        from stance.training.probe import probe_head

        full = train_ds
        if "allowed" in train_ds.column_names:  # the head starts from the full labels only
            full = train_ds.filter(lambda row: row["labels"] >= 0)
        probe_head(model, full, _collator(config, tokenizer))
    args = _training_args(config, out, len(train_ds))
    trainer = _make_weighted_trainer()(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=dev_ds,
        data_collator=_collator(config, tokenizer),
        distill=config.distill_lexical or config.distill_span,
        compute_metrics=_metrics_fn(config, labels),
        callbacks=[EarlyStoppingCallback(early_stopping_patience=config.patience)],
        **_loss_weights(config, train_ds, labels),
        consistency=(config.consistency, labels),
        full_lr=config.full_learning_rate
        if config.method == "lora" and config.full_layers
        else None,
    )
    start = time.time()
    trainer.train(resume_from_checkpoint=_last_checkpoint(out) if resume else None)
    elapsed = time.time() - start
    dev = trainer.evaluate()
    temperature, calib = _calibrate(trainer, dev_ds, labels if config.task == "stance" else ())
    peak_mb = _peak_rss_mb()
    summary = {
        "task": config.task,
        "dev_macro_f1": dev.get("eval_macro_f1"),
        "train_examples": len(train_ds),
        "dev_examples": len(dev_ds),
        "train_seconds": round(elapsed, 1),
        "seconds_per_epoch": round(elapsed / max(trainer.state.epoch or 1.0, 1e-9), 1),
        "peak_rss_mb": peak_mb,
        **calib,
    }
    info = part_info(config, labels, temperature, summary)
    if config.task == "tagger":  # roles mixed with those its BIO tags give: the weight, on dev
        info = tagging.with_span_role_weight(trainer.model, tokenizer, info, config)
    save_trained(trainer.model, tokenizer, info, config, summary, out)
    return summary


def part_info(
    config: TrainConfig, labels: tuple[str, ...], temperature: float, summary: dict[str, Any]
) -> PartInfo:
    """The part's manifest: what prediction needs to read inputs as training did."""
    extra = {
        "window_stride": config.window_stride,
        "mean_pool": config.mean_pool,
        "context_chars": config.context_chars,
        "dev_scores": summary,
    }
    if config.task == "tagger":  # roles read at markers; `temperature` is theirs
        extra |= {"role_labels": list(ROLES), "span_temperature": summary["span_temperature"]}
    return PartInfo(
        task=config.task,
        labels=labels,
        base=config.base,
        max_length=config.max_length,
        context=config.context,
        merge_majorclaim=config.merge_majorclaim,
        temperature=temperature,
        extra=extra,
    )


def encode_datasets(
    config: TrainConfig, tokenizer: Any, labels: tuple[str, ...]
) -> tuple[Any, Any]:
    """(train, dev) datasets of the run's documents, encoded for the task."""
    train_docs, dev_docs = task_documents(config)
    if config.task == "tagger":
        return (
            tagging.encode_tagger(train_docs, tokenizer, labels, config, training=True),
            tagging.encode_tagger(dev_docs, tokenizer, labels, config, training=False),
        )
    if config.task == "span":
        return (
            encode_spans(train_docs, tokenizer, labels, config),
            encode_spans(dev_docs, tokenizer, labels, config),
        )
    train_ds = encode_pairs(train_docs, tokenizer, labels, config, training=True)
    dev_ds = encode_pairs(dev_docs, tokenizer, labels, config, training=False)
    return train_ds, dev_ds


def _build_model(config: TrainConfig, base: str, labels: tuple[str, ...]) -> torch.nn.Module:
    if config.task == "tagger":
        tagging.check_base(base)
    auto = auto_class(config.task)
    model = auto.from_pretrained(base, **label_kwargs(labels))
    n_layers = int(model.config.num_hidden_layers)  # the encoder's own layers
    if config.mean_pool:
        add_mean_pool_layer(model)
    if config.init_encoder:  # after the pooling layer, so a run with mean_pool matches one
        load_encoder(model, Path(config.init_encoder), config.base)
    if config.method == "frozen-embeddings":
        for p in model.base_model.embeddings.parameters():
            p.requires_grad = False
    if config.method != "lora":
        return model
    from peft import LoraConfig, TaskType, get_peft_model

    is_token = config.task in ("span", "tagger")
    heads = HEADS.get(config.task, ["classifier", "pooler"])
    full = range(n_layers - config.full_layers, n_layers)
    if not 0 <= config.full_layers < n_layers:
        raise ValueError(f"full_layers must leave some of the {n_layers} layers to LoRA")
    layers = "|".join(str(i) for i in range(full.start))
    lora = LoraConfig(
        task_type=TaskType.TOKEN_CLS if is_token else TaskType.SEQ_CLS,
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=rf".*encoder\.layer\.({layers})\..*(query|key|value|dense)$",
        # the top `full_layers` layers are copied whole into the adapter and trained in full
        modules_to_save=heads + [f"encoder.layer.{i}" for i in full],
    )
    return get_peft_model(model, lora)


def _training_args(config: TrainConfig, out: Path, n_train: int) -> Any:
    from transformers import TrainingArguments

    steps_per_epoch = max(1, n_train // config.batch_size)
    eval_steps = max(1, steps_per_epoch // max(1, config.evals_per_epoch))
    return TrainingArguments(
        output_dir=str(out / "checkpoints"),
        num_train_epochs=config.epochs,
        learning_rate=config.learning_rate,
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.batch_size * 2,
        warmup_steps=int(config.warmup_ratio * steps_per_epoch * config.epochs),
        weight_decay=config.weight_decay,
        eval_strategy="steps",
        save_strategy="steps",
        eval_steps=eval_steps,
        save_steps=eval_steps,
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model="macro_f1",
        greater_is_better=True,
        logging_steps=max(1, eval_steps // 5),
        report_to=[],
        remove_unused_columns=False,  # keeps `teacher` (distillation); datasets hold inputs only
        seed=config.seed,
        dataloader_num_workers=0,
        train_sampling_strategy="group_by_length",  # similar lengths per batch: little padding
        label_names=tagging.LABEL_NAMES if config.task == "tagger" else None,
    )


def _make_weighted_trainer() -> Any:
    """Built on call so that importing this module stays cheap."""
    from transformers import Trainer

    class _WeightedTrainer(Trainer):
        """Cross-entropy with class weights: rare roles/stances are not drowned by the majority;
        rows with an ``allowed`` mask train on the partial-label loss (``losses.py``)."""

        def __init__(
            self,
            *args: Any,
            class_weights: torch.Tensor | None = None,
            full_lr: float | None = None,
            distill: float = 0.0,
            role_weights: torch.Tensor | None = None,
            consistency: tuple[float, tuple[str, ...]] = (0.0, ()),
            **kw: Any,
        ):
            super().__init__(*args, **kw)
            self.class_weights, self.full_lr, self.distill = class_weights, full_lr, distill
            self.role_weights = role_weights  # the tagger's roles (its BIO tags: class_weights)
            self.consistency = consistency  # (weight, stance labels): consistency.py

        def create_optimizer(self, model: Any = None) -> Any:
            """The Trainer's optimizer, with its own rate for layers trained in full."""
            if self.optimizer is None and self.full_lr is not None:
                opt_model: Any = self.model if model is None else model
                decay = set(self.get_decay_parameter_names(opt_model))
                groups = _param_groups(opt_model, decay, self.args, self.full_lr)
                cls, kwargs = self.get_optimizer_cls_and_kwargs(self.args, opt_model)
                self.optimizer = cls(groups, **kwargs)
            return super().create_optimizer(model)

        def compute_loss(
            self,
            model: Any,
            inputs: dict[str, Any],
            return_outputs: bool = False,
            num_items_in_batch: Any = None,
        ) -> Any:
            if "role_positions" in inputs:  # the argument tagger (stance/training/tagging.py)
                loss, outputs = tagging.loss_step(
                    model, inputs, self.class_weights, self.role_weights
                )
                return (loss, outputs) if return_outputs else loss
            labels = inputs.pop("labels")
            teacher = inputs.pop("teacher", None)  # training rows only (stance.training.distill)
            allowed = inputs.pop("allowed", None)  # rows with partial labels (encode.py)
            twins = pop_twins(inputs)  # negated pairs with their twin (consistency.py)
            outputs = model(**inputs)
            loss = mixed_loss(
                outputs.logits, labels, self.class_weights, teacher, self.distill, allowed
            )
            if twins is not None and self.consistency[0]:
                loss = loss + twin_term(model, outputs.logits, twins, *self.consistency)
            return (loss, outputs) if return_outputs else loss

    return _WeightedTrainer


def _param_groups(model: Any, decay: set[str], args: Any, full_lr: float) -> list[dict[str, Any]]:
    """Optimizer groups: layers trained in full (kept whole in a LoRA adapter) at ``full_lr``,
    the rest at the run's rate; no weight decay outside ``decay``."""
    groups: dict[tuple[float, float], list[torch.nn.Parameter]] = {}
    for name, p in model.named_parameters():
        if p.requires_grad:
            full = "modules_to_save" in name and ".layer." in name
            lr = full_lr if full else args.learning_rate
            wd = args.weight_decay if name in decay else 0.0
            groups.setdefault((lr, wd), []).append(p)
    return [{"params": ps, "lr": lr, "weight_decay": wd} for (lr, wd), ps in groups.items()]


def _loss_weights(config: TrainConfig, ds: Any, labels: tuple[str, ...]) -> dict[str, Any]:
    """The ``Trainer``'s class weights: of the labels (the tagger: its BIO tags) and, for the
    tagger, of its roles."""
    if not config.class_weights:
        return {"class_weights": None}
    weights = {"class_weights": _class_weights(ds, labels)}
    if config.task == "tagger":
        weights["role_weights"] = _class_weights(ds, ROLES, "role_labels")
    return weights


def _class_weights(ds: Any, labels: tuple[str, ...], column: str = "labels") -> torch.Tensor:
    flat = np.array([x for row in ds[column] for x in (row if isinstance(row, list) else [row])])
    flat = flat[flat >= 0]
    counts = np.bincount(flat, minlength=len(labels)).astype(np.float64)
    weights = counts.sum() / (len(labels) * np.maximum(counts, 1.0))
    return torch.tensor(np.sqrt(weights), dtype=torch.float32)  # sqrt: balanced but not extreme


def _collator(config: TrainConfig, tokenizer: Any) -> Any:
    from transformers import DataCollatorForTokenClassification, DataCollatorWithPadding

    if config.task == "span":
        return DataCollatorForTokenClassification(tokenizer)
    if config.task == "tagger":
        return tagging.collator(tokenizer)
    if config.consistency:
        return TwinCollator(tokenizer)
    return DataCollatorWithPadding(tokenizer)


def _metrics_fn(config: TrainConfig, labels: tuple[str, ...]) -> Any:
    from sklearn.metrics import f1_score

    if config.task == "tagger":
        return tagging.metrics_fn(labels)
    scored = list(range(len(labels)))
    if config.task == "span":
        scored = [i for i, t in enumerate(labels) if t != "O"]
    elif config.task == "stance":
        scored = [labels.index(x) for x in STANCES if x in labels]
    elif config.task == "component":
        scored = [labels.index(x) for x in ROLES if x in labels]

    def compute(pred: Any) -> dict[str, float]:
        logits, gold = pred.predictions, pred.label_ids
        guess = logits.argmax(-1)
        mask = gold != -100
        return {
            "macro_f1": float(
                f1_score(gold[mask], guess[mask], labels=scored, average="macro", zero_division=0)
            )
        }

    return compute


def _last_checkpoint(out: Path) -> str | bool:
    from transformers.trainer_utils import get_last_checkpoint

    ckpt_dir = out / "checkpoints"
    return (get_last_checkpoint(str(ckpt_dir)) or False) if ckpt_dir.exists() else False


def _peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def save_trained(
    model: Any, tokenizer: Any, info: PartInfo, config: TrainConfig, summary: dict, out: Path
) -> None:
    """Write the standard checkpoint, the compact adapter (LoRA runs) and the model card."""
    from stance.model.card import write_model_card

    if config.method == "lora":
        adapter = out / "adapter"
        model.save_pretrained(str(adapter), safe_serialization=True)
        info.save(adapter)
        model = model.merge_and_unload()
    model.config.stance_task = config.task
    model.save_pretrained(str(out), safe_serialization=True)
    tokenizer.save_pretrained(str(out))
    info.save(out)
    (out / "train_config.json").write_text(
        json.dumps(config.to_dict(), indent=2, ensure_ascii=False)
    )
    (out / "train_summary.json").write_text(json.dumps(summary, indent=2))
    write_model_card(out, info, config.to_dict(), summary)
