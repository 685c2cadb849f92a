"""The user-facing pipeline: segment → roles → spans → stances → article roll-up.

``config`` is ``pipeline.json``; ``decide`` turns scores into labels (temperature,
abstention); ``rollup`` gives the article verdict; ``export`` writes standalone exports.
"""

from stance.pipeline.config import PipelineConfig
from stance.pipeline.pipeline import Pipeline, load

__all__ = ["Pipeline", "PipelineConfig", "load"]
