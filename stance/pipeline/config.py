"""A pipeline directory's manifest (``pipeline.json``) and where the default one lives."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from stance.model.part import ModelError
from stance.typed_config import ConfigError, build

PIPELINE_FILE = "pipeline.json"
REPO_DEFAULT = Path(__file__).resolve().parents[2] / "models" / "default"  # a checkout
# Documents per model call. Enough sentences (~150) that sorting them by length removes most
# padding; 16 was 1.3x slower on fp32 and int8 (docs/benchmarks.md, scripts/bench.py).
DOC_BATCH = 64


def default_model_dir() -> Path:
    """``$STANCE_MODEL`` if set, else the shipped default: inside the installed package (a
    wheel carries ``models/`` as ``stance/models``), or the checkout's ``models/default``."""
    env = os.environ.get("STANCE_MODEL")
    if env:
        return Path(env)
    packaged = Path(str(resources.files("stance"))) / "models" / "default"
    return packaged if (packaged / PIPELINE_FILE).is_file() else REPO_DEFAULT


@dataclass
class PipelineConfig:
    """Contents of ``pipeline.json``: which parts exist and how results are combined.

    Read with ``stance.typed_config``: an unknown key or a value of the wrong type in the file
    is a ``ModelError`` that names the key.
    """

    parts: dict[str, str]  # task -> part subdirectory
    name: str = ""  # the pipeline's name, e.g. stance-fr-default
    version: str = ""  # its version
    base: str = "e5-small-offline"  # the encoder every part adapts
    # int8: `stance.load` quantises the encoders unless asked otherwise (measured within noise
    # of fp32 on the parts' dev sets before a pipeline says so); None: fp32
    quantize: str | None = None
    stance_threshold: float = 0.0  # a sentence stance under this probability is `none`
    doc_weight: float = 1.0  # roll-up: weight of the whole document's own stance
    role_weights: dict[str, float] = field(default_factory=dict)  # roll-up: weight per role
    meta: dict[str, Any] = field(default_factory=dict)  # free-form: provenance, dev scores

    def __post_init__(self) -> None:
        if self.quantize not in (None, "int8"):
            raise ValueError(f'quantize must be "int8" or null, got {self.quantize!r}')

    @classmethod
    def read(cls, directory: Path) -> PipelineConfig:
        path = directory / PIPELINE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ModelError(f"{path}: cannot read pipeline manifest ({exc})") from exc
        if not isinstance(data, dict):
            raise ModelError(f"{path}: the pipeline manifest must be a JSON object")
        try:
            return build(cls, data, str(path))
        except ConfigError as exc:  # a bad manifest is a bad model directory
            raise ModelError(str(exc)) from exc
