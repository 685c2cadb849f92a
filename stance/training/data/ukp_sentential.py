"""UKP Sentential Argument Mining (Stab et al. 2018), English (``ukp-sentential``).

Target = the topic (8 topics, e.g. "abortion"), text = the sentence (tokenised).
Stance: Argument_for → favor, Argument_against → against, NoArgument → none.
Roles: the corpus says *argument* or not, never claim vs premise, so the role is partial:
``meta["role_labels"]`` = ``["claim", "premise"]`` for an argument, ``["none"]`` for
NoArgument (no gold ``Sentence`` role): an argument trains on the partial-label loss
(genre ``web`` in the roles mix, ``role_mix``). Group = the topic. train 18,336 / val (dev)
2,042.
"""

from __future__ import annotations

from stance.training.data.base import Adapter
from stance.training.data.rows import Schema, reader

ARGUMENT = ["claim", "premise"]
SCHEMA = Schema(
    "ukp-sentential",
    text="sentence",
    target="topic",
    label="label",
    group="topic",
    stances={"Argument_for": ["favor"], "Argument_against": ["against"], "NoArgument": ["none"]},
    roles={"Argument_for": ARGUMENT, "Argument_against": ARGUMENT, "NoArgument": ["none"]},
    keep=("sentenceHash",),
)
ADAPTER = Adapter(
    "ukp-sentential",
    reader(SCHEMA),
    "xling/ukp_sentential",
    {"train": ("train.jsonl",), "dev": ("val.jsonl",)},
    group_key="group",
    language="en",
)
ADAPTERS = (ADAPTER,)
