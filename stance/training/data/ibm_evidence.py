"""IBM Debater Evidence Sentences (Shnarch et al. 2018), English (``ibm-evidence``).

Target = the topic (a motion), text = the candidate sentence. Label 1 = evidence for the
topic → premise. Label 0 says only "not evidence": such a sentence may still be a claim, so
the role is partial: ``meta["role_labels"]`` = ``["premise"]`` for 1 and ``["claim", "none"]``
for 0 (the data README's "0 → none" would teach that claims are no argument; genre
``evidence`` in the roles mix, ``role_mix``). No stance.
Group = the topic (83 topics). train 4,065.
"""

from __future__ import annotations

from stance.training.data.base import Adapter
from stance.training.data.rows import Schema, reader

SCHEMA = Schema(
    "ibm-evidence",
    text="candidate",
    target="topic",
    label="label",
    group="topic",
    roles={"1": ["premise"], "0": ["claim", "none"]},
    keep=("wikipedia article name",),
    delimiter=",",
)
ADAPTER = Adapter(
    "ibm-evidence",
    reader(SCHEMA),
    "xling/ibm_evidence_sentences",
    {"train": ("train.csv",)},
    group_key="group",
    language="en",
)
ADAPTERS = (ADAPTER,)
