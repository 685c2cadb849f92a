"""VAST (Allaway & McKeown 2020), English news comments, zero-shot topics (``vast``).

Target = the topic phrase, text = the comment; FAVOR/AGAINST/NONE → favor/against/none;
``meta["seen"]`` is "1" for few-shot topics, "0" for zero-shot ones. Group = the topic
phrase. Only VAST's dev part: 2,062 rows (``split`` dev).
"""

from __future__ import annotations

from stance.training.data.base import Adapter
from stance.training.data.rows import Schema, reader

SCHEMA = Schema(
    "vast",
    text="text",
    target="target",
    label="stance",
    group="target",
    stances={"FAVOR": ["favor"], "AGAINST": ["against"], "NONE": ["none"]},
    keep=("seen",),
)
ADAPTER = Adapter(
    "vast", reader(SCHEMA), "xling/vast", {"dev": ("dev.jsonl",)}, group_key="group", language="en"
)
ADAPTERS = (ADAPTER,)
