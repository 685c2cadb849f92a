"""``init_encoder``: a run starts from another run's encoder layers (same base: embeddings and
pooler stay the base's).

Why: a tagger trained with a label per word knows where components are; the argument tagger
that starts from the span run's encoder leaves the class prior at once, where from the bare
base it stayed there for a whole epoch (docs/research-log.md).
"""

from __future__ import annotations

from pathlib import Path

import torch

from stance.model.part import PartInfo, load_part


def load_encoder(model: torch.nn.Module, run: Path, base: str) -> None:
    """Copy ``run``'s encoder layers into ``model``. ``run``: a saved run (``model.safetensors``)
    or a LoRA adapter directory (a shipped part: merged into the base as the product loads it)."""
    adapter = (run / "adapter_config.json").is_file()
    if not adapter and not (run / "model.safetensors").is_file():
        raise FileNotFoundError(f"init_encoder: no model.safetensors (nor an adapter) in {run}")
    if PartInfo.load(run).base != base:
        raise ValueError(f"init_encoder: {run} was trained from another base than {base!r}")
    prefix = f"{model.base_model_prefix}.encoder."
    weights = load_part(run)[0].state_dict() if adapter else _load_file(run / "model.safetensors")
    encoder = {k: v.float() for k, v in weights.items() if k.startswith(prefix)}
    own = {k for k in model.state_dict() if k.startswith(prefix)}
    if set(encoder) != own:
        raise ValueError(
            f"init_encoder: {run} does not hold this model's encoder layers "
            f"({len(encoder)} tensors there, {len(own)} here: is mean_pool set alike in both?)"
        )
    model.load_state_dict(encoder, strict=False)


def _load_file(path: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    return load_file(str(path))
