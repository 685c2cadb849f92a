"""IAM (Cheng et al. 2022), English (``iam-stance``, ``iam-claims``).

* ``iam-stance`` — target = the topic, text = the claim sentence; ``stance_label`` 1 → favor,
  -1 → against, 0 → none (0 does not occur in these parts). train 3,871 / dev 492.
* ``iam-claims`` — sentences of the articles, ``claim_label`` C = claim, O = not a claim. O
  sentences include evidence, so the role is partial: ``meta["role_labels"]`` = ``["claim"]``
  for C, ``["none", "premise"]`` for O. No stance. dev 7,057. Its 492 C rows are the very
  sentences of ``iam-stance`` dev: do not train on one and select on the other.

Group = the topic. Every row of the stance files is a claim sentence (``claim_label`` C), so
the roles genre mix (``role_mix``, source ``iam-claims``, genre ``debate``) reads
``stance_train.jsonl`` with the claims schema: role claim; the claims file never trains.
"""

from __future__ import annotations

from stance.training.data.base import Adapter
from stance.training.data.rows import Schema, reader

STANCE = Schema(
    "iam-stance",
    text="sentence",
    target="topic",
    label="stance_label",
    group="topic",
    stances={"1": ["favor"], "-1": ["against"], "0": ["none"]},
    keep=("article_id",),
)
CLAIMS = Schema(
    "iam-claims",
    text="sentence",
    target="topic",
    label="claim_label",
    group="topic",
    roles={"C": ["claim"], "O": ["none", "premise"]},
    keep=("article_id",),
)
ADAPTERS = (
    Adapter(
        "iam-stance",
        reader(STANCE),
        "xling/iam",
        {"train": ("stance_train.jsonl",), "dev": ("stance_dev.jsonl",)},
        group_key="group",
        language="en",
    ),
    Adapter(
        "iam-claims",
        reader(CLAIMS),
        "xling/iam",
        {"dev": ("claims_dev.jsonl",)},
        group_key="group",
        language="en",
    ),
)
