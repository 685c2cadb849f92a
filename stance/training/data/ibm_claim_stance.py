"""IBM Debater Claim Stance (Bar-Haim et al. 2017), English (``ibm-claim-stance``).

Target = the motion (``topicText``), text = ``claimCorrectedText``; PRO → favor, CON →
against (no none). Group = ``topicId``. Only the official train split: 1,039 rows, 25 topics.
"""

from __future__ import annotations

from stance.training.data.base import Adapter
from stance.training.data.rows import Schema, reader

SCHEMA = Schema(
    "ibm-claim-stance",
    text="claimCorrectedText",
    target="topicText",
    label="stance",
    group="topicId",
    stances={"PRO": ["favor"], "CON": ["against"]},
    keep=("claimId",),
)
ADAPTER = Adapter(
    "ibm-claim-stance",
    reader(SCHEMA),
    "xling/ibm_claim_stance",
    {"train": ("train.jsonl",)},
    group_key="group",
    language="en",
)
ADAPTERS = (ADAPTER,)
