"""Perspectrum (Chen et al. 2019), English (``perspectrum``).

Target = the claim, text = the perspective; SUPPORT → favor, UNDERMINE → against (no none).
Group = ``claim_id`` (the source's own split is by claim). train 6,978 / dev 2,071.
"""

from __future__ import annotations

from stance.training.data.base import Adapter
from stance.training.data.rows import Schema, reader

SCHEMA = Schema(
    "perspectrum",
    text="perspective",
    target="claim",
    label="stance",
    group="claim_id",
    stances={"SUPPORT": ["favor"], "UNDERMINE": ["against"]},
    keep=("claim_id", "perspective_id", "stance_5"),
)
ADAPTER = Adapter(
    "perspectrum",
    reader(SCHEMA),
    "xling/perspectrum",
    {"train": ("train.jsonl",), "dev": ("dev.jsonl",)},
    group_key="group",
    language="en",
)
ADAPTERS = (ADAPTER,)
