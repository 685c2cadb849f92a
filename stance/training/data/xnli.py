"""XNLI dev (Conneau et al. 2018), French, German, English, Spanish (``xnli``).

NLI as stance toward the hypothesis: target = the hypothesis, text = the premise;
entailment → favor, contradiction → against, neutral → none. Language from ``lang``.
Group = ``idx``, the pair id, which is shared by the four languages (parallel rows): a split by
group keeps every translation of a pair on one side. 2,490 rows per language (``split`` dev).
"""

from __future__ import annotations

from stance.training.data.base import Adapter
from stance.training.data.rows import Schema, reader

NLI = {"entailment": ["favor"], "contradiction": ["against"], "neutral": ["none"]}
SCHEMA = Schema(
    "xnli",
    text="premise",
    target="hypothesis",
    label="label",
    group="idx",
    language_field="lang",
    stances=NLI,
)
ADAPTER = Adapter(
    "xnli", reader(SCHEMA), "xling/xnli", {"dev": ("dev.*.jsonl",)}, group_key="group"
)
ADAPTERS = (ADAPTER,)
