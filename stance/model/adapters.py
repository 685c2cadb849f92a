"""LoRA parts over one shared base encoder, merged without ``peft``.

The shipped default is three LoRA adapters over the same e5 base. Opening each through
``peft`` costs a copy of the whole base per part (1.5 GB for three) and about 5 s of imports.
Here the base's tensors are read once per process (``shared_base``) and every part is built
around the *same* tensors: only the layers an adapter changes get new memory (``W + s·B·A``,
``s = alpha / r``), so the 96M-parameter word-embedding matrix exists once, whatever the
number of parts. The result is an ordinary ``*ForSequenceClassification`` /
``*ForTokenClassification`` module that predicts what ``PeftModel.merge_and_unload`` gives
(checked in ``tests/model/test_adapters.py``).

Only plain LoRA is handled (no DoRA, no per-module rank or alpha, no fan-in/fan-out layout);
anything else returns ``None`` from :func:`merged_part` and the caller falls back to ``peft``.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import torch

PREFIX = "base_model.model."
_UNSUPPORTED = ("use_dora", "fan_in_fan_out", "use_rslora", "layer_replication")


@functools.lru_cache(maxsize=4)
def shared_base(base_dir: str) -> dict[str, torch.Tensor]:
    """The base checkpoint's tensors, read once per process and shared by every part."""
    from safetensors.torch import load_file

    files = sorted(Path(base_dir).glob("*.safetensors"))
    if len(files) != 1:
        raise FileNotFoundError(f"{base_dir}: expected one *.safetensors file, found {len(files)}")
    return load_file(str(files[0]))


@functools.lru_cache(maxsize=4)
def shared_tokenizer(directory: str, compact: bool = False) -> Any:
    """One tokenizer object per directory (parts only read it, never change it). ``compact``:
    a Unigram vocabulary in a fraction of the memory, same ids (``stance.model.unigram``), for
    prediction only (it cannot be saved)."""
    from transformers import AutoTokenizer

    if compact:
        from stance.model.unigram import compact_tokenizer

        tokenizer = compact_tokenizer(directory)
        if tokenizer is not None:
            return tokenizer
    return AutoTokenizer.from_pretrained(directory)


def plain_lora(adapter_config: dict[str, Any]) -> bool:
    """True when ``merged_part`` reproduces this adapter exactly."""
    if adapter_config.get("peft_type") != "LORA":
        return False
    if adapter_config.get("rank_pattern") or adapter_config.get("alpha_pattern"):
        return False
    return not any(adapter_config.get(key) for key in _UNSUPPORTED)


def merged_part(path: Path, base_dir: str, auto: Any, labels: dict[str, Any], pool: bool) -> Any:
    """The adapter at ``path`` merged into the shared base; ``None`` if not plain LoRA."""
    from accelerate import init_empty_weights
    from safetensors.torch import load_file
    from transformers import AutoConfig

    adapter_config = json.loads((path / "adapter_config.json").read_text(encoding="utf-8"))
    if not plain_lora(adapter_config):
        return None
    weights = load_file(str(path / "adapter_model.safetensors"))
    with init_empty_weights(include_buffers=False):  # parameters come from the shared base
        model = auto.from_config(AutoConfig.from_pretrained(base_dir, **labels))
    prefix = model.base_model_prefix + "."
    base = {
        (k if k.startswith(prefix) else prefix + k): v for k, v in shared_base(base_dir).items()
    }
    names = {k for k, _ in model.named_parameters()}
    saved = {k.removeprefix(PREFIX).replace(".base_layer.", ".") for k in weights}
    unset = sorted(names - set(base) - saved)
    if unset:  # e.g. a head the adapter did not save: peft would initialise it, so use peft
        return None
    model.load_state_dict({k: v for k, v in base.items() if k in names}, assign=True, strict=False)
    if pool:  # the fixed mean-pooling layer is rebuilt, not stored (stance.model.pooling)
        from stance.model.pooling import add_mean_pool_layer

        add_mean_pool_layer(model)
    _apply(model, weights, adapter_config["lora_alpha"] / adapter_config["r"])
    return model


def _apply(model: torch.nn.Module, weights: dict[str, torch.Tensor], scale: float) -> None:
    """Put the adapter's saved modules and merged LoRA deltas into ``model``, never in place:
    each changed tensor is new, so the shared base tensors stay untouched."""
    lora: dict[str, dict[str, torch.Tensor]] = {}
    own: dict[str, torch.Tensor] = {}
    for key, value in weights.items():
        name = key.removeprefix(PREFIX)
        found = re.match(r"(.+)\.lora_([AB])\.weight$", name)
        if found:
            lora.setdefault(found.group(1), {})[found.group(2)] = value
        else:
            own[name.replace(".base_layer.", ".")] = value
    params = dict(model.named_parameters())
    missing = sorted(set(own) - set(params))
    if missing:
        raise KeyError(f"adapter weights with no place in the model: {missing[:3]}")
    for module_name, pair in lora.items():
        weight = params[module_name + ".weight"]
        delta = pair["B"].float() @ pair["A"].float()  # fp16 matmuls are slow on CPU
        own[module_name + ".weight"] = weight.detach() + scale * delta.to(weight.dtype)
    for name, value in own.items():
        module_name, _, attr = name.rpartition(".")
        module = model.get_submodule(module_name)
        setattr(module, attr, torch.nn.Parameter(value.to(params[name].dtype), requires_grad=False))
