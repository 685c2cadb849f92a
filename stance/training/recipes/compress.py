"""Shrink a fully fine-tuned part into a LoRA adapter by truncated SVD of its weight deltas.

Full fine-tuning beats LoRA where the task needs it (sentence roles with context,
docs/research-log.md), but the 12 encoder layers of e5-small alone are ~42 MB in fp16, over
the shipped default's budget. Most of what fine-tuning changes is low rank, so each encoder linear
layer's change ``W_ft - W_base`` is replaced by its best rank-``r`` approximation
``B @ A`` (Eckart-Young), which is exactly a LoRA adapter with ``lora_alpha = r``.
Biases and LayerNorms (tiny) and the heads are stored whole. The result is a plain PEFT
adapter directory that :func:`stance.model.load_part` and ``stance export hf`` already read.
Embeddings must not have changed (train with ``method = "frozen-embeddings"``). A mean-pooled
part's extra layer (:mod:`stance.model.pooling`) is never trained: it is left out of the adapter and
rebuilt when the adapter is loaded, as for LoRA-trained parts.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from stance.model.part import PartInfo, auto_class, label_kwargs
from stance.model.pooling import add_mean_pool_layer

LINEARS = r".*encoder\.layer\.\d+\..*(query|key|value|dense)$"
WHOLE = ["classifier", "role_classifier", "pooler", "LayerNorm"]  # stored whole


def lowrank_factors(delta: torch.Tensor, rank: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``(B, A)`` with ``B @ A`` the best rank-``rank`` approximation of ``delta``."""
    u, s, vh = torch.linalg.svd(delta.double(), full_matrices=False)
    root = s[:rank].sqrt()
    return (u[:, :rank] * root).float(), (root[:, None] * vh[:rank]).float()


def adapter_from_full(full: Path, out: Path, rank: int) -> dict[str, float]:
    """Write ``out`` as a rank-``rank`` LoRA adapter of the full checkpoint ``full``.

    Returns the share of the deltas' squared norm the adapter keeps (1.0 = exact).
    """
    from peft import LoraConfig, TaskType, get_peft_model

    from stance.model.e5 import resolve_base

    info = PartInfo.load(full)
    auto = auto_class(info.task)
    tuned = auto.from_pretrained(str(full), use_safetensors=True)
    base = auto.from_pretrained(resolve_base(info.base), **label_kwargs(info.labels))
    n_layers = int(base.config.num_hidden_layers)  # the encoder's own layers
    _check_embeddings(base, tuned)
    if info.extra.get("mean_pool"):
        add_mean_pool_layer(base)
        _check_pooling(base, tuned)
    config = LoraConfig(
        task_type=TaskType.TOKEN_CLS if info.task in ("span", "tagger") else TaskType.SEQ_CLS,
        r=rank,
        lora_alpha=rank,  # scaling 1: B @ A is the delta itself
        lora_dropout=0.0,
        inference_mode=True,  # weights are copied in, never trained
        target_modules=encoder_linears(n_layers),
        modules_to_save=WHOLE,
        bias="lora_only",  # the adapter carries the tuned biases of the adapted layers
    )
    model = get_peft_model(base, config)
    kept = _fill(model, tuned)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    info.save(out)
    if (full / "README.md").exists():
        shutil.copy2(full / "README.md", out / "README.md")
    return kept


def encoder_linears(n_layers: int) -> str:
    """The linear layers of the encoder's own ``n_layers`` layers (not a pooling layer)."""
    return LINEARS.replace(r"\d+", "(" + "|".join(map(str, range(n_layers))) + ")")


def _check_pooling(base: Any, tuned: Any) -> None:
    name = _changed(base.base_model.encoder.layer[-1], tuned.base_model.encoder.layer[-1])
    if name:
        raise ValueError(
            f"the mean-pooling layer changed in fine-tuning ({name}): it must stay fixed,"
            " the adapter loader rebuilds it"
        )


def _check_embeddings(base: Any, tuned: Any) -> None:
    name = _changed(
        base.base_model.embeddings,
        tuned.base_model.embeddings,
        lambda n: n.endswith("weight") and "LayerNorm" not in n,  # LayerNorms are stored whole
    )
    if name:
        raise ValueError(f"embeddings.{name} changed in fine-tuning: an adapter cannot hold it")


def _changed(
    base: torch.nn.Module, tuned: torch.nn.Module, checked: Callable[[str], bool] = bool
) -> str | None:
    """The first checked parameter of ``base`` that differs in ``tuned``, if any."""
    ours = dict(tuned.named_parameters())
    for name, p in base.named_parameters():
        if checked(name) and not torch.equal(p, ours[name]):
            return name
    return None


def _fill(model: Any, tuned: Any) -> dict[str, float]:
    """Copy the tuned weights into the adapter slots of ``model`` (in place)."""
    from peft.tuners.lora import LoraLayer

    target: dict[str, Any] = dict(tuned.named_modules())
    prefix = "base_model.model."
    total = kept = 0.0
    with torch.no_grad():
        for name, module in model.named_modules():
            short = name.removeprefix(prefix)
            if isinstance(module, LoraLayer):
                lora: Any = module
                layer, src = lora.get_base_layer(), target[short]
                delta = src.weight - layer.weight
                b, a = lowrank_factors(delta, lora.r["default"])
                lora.lora_A["default"].weight.copy_(a)
                lora.lora_B["default"].weight.copy_(b)
                layer.bias.copy_(src.bias)
                total += float(delta.square().sum())
                kept += float((b @ a).square().sum())
            elif short.endswith("modules_to_save.default"):
                owner = short.removesuffix(".modules_to_save.default")
                module.load_state_dict(target[owner].state_dict())
    return {"delta_energy_kept": kept / total if total else 1.0}
