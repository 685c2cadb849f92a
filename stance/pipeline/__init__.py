"""The user-facing pipeline: segment → roles → spans → stances → article roll-up.

``config`` is ``pipeline.json``; ``decide`` turns scores into labels (temperature,
abstention); ``rollup`` gives the article verdict; ``export`` writes standalone exports.
``Pipeline`` and ``load`` are imported on first use, so that reading ``config`` (as the CLI
does before any model work) does not import torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stance.pipeline.config import PipelineConfig
    from stance.pipeline.pipeline import Pipeline, load

__all__ = ["Pipeline", "PipelineConfig", "load"]


def __getattr__(name: str) -> Any:
    if name == "PipelineConfig":
        from stance.pipeline.config import PipelineConfig

        return PipelineConfig
    if name in ("Pipeline", "load"):
        from stance.pipeline import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'stance.pipeline' has no attribute {name!r}")
