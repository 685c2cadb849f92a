"""A pipeline directory's manifest (``pipeline.json``) and where the default one lives."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.model.part import ModelError

PIPELINE_FILE = "pipeline.json"
REPO_DEFAULT = Path(__file__).resolve().parents[2] / "models" / "default"
# Documents per model call. Enough sentences (~150) that sorting them by length removes most
# padding; 16 was 1.3x slower on fp32 and int8 (docs/benchmarks.md, scripts/bench.py).
DOC_BATCH = 64


def default_model_dir() -> Path:
    """``$STANCE_MODEL`` if set, else the shipped default in the repository's ``models/``."""
    env = os.environ.get("STANCE_MODEL")
    return Path(env) if env else REPO_DEFAULT


@dataclass
class PipelineConfig:
    """Contents of ``pipeline.json``: which parts exist and how results are combined."""

    parts: dict[str, str]
    base: str = "e5-small-offline"
    stance_threshold: float = 0.0
    doc_weight: float = 1.0
    role_weights: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, directory: Path) -> PipelineConfig:
        path = directory / PIPELINE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ModelError(f"{path}: cannot read pipeline manifest ({exc})") from exc
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)
