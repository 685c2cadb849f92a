"""SemEval-2016 Task 6 A (Mohammad et al. 2016), English tweets (``semeval2016``).

Target given (5 targets), text = the tweet (its ``#SemST`` tag kept as written);
FAVOR/AGAINST/NONE → favor/against/none. Group = the target. train 2,814.
"""

from __future__ import annotations

from stance.training.data.base import Adapter
from stance.training.data.rows import Schema, reader

SCHEMA = Schema(
    "semeval2016",
    text="text",
    target="target",
    label="stance",
    group="target",
    stances={"FAVOR": ["favor"], "AGAINST": ["against"], "NONE": ["none"]},
    keep=("id",),
)
ADAPTER = Adapter(
    "semeval2016",
    reader(SCHEMA),
    "xling/semeval2016_t6",
    {"train": ("train.jsonl",)},
    group_key="group",
    language="en",
)
ADAPTERS = (ADAPTER,)
