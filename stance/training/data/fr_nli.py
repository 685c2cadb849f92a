"""French NLI: DACCORD (Skandalis et al. 2023) and RTE3-FR dev (``fr-nli``).

Target = the hypothesis, text = the premise; the label is ``label_text``.

* RTE3-FR dev (``source`` rte3-fr, ``split`` dev): entailment → favor, contradiction →
  against, neutral → none. 800 rows; ``meta["task"]`` IE/IR/QA/SUM.
* DACCORD (``source`` daccord, undivided): contradiction → against; *compatibles* is
  entailment or neutral, so the set is partial: no row has a ``stance``, each has
  ``meta["stance_labels"]`` (``["against"]`` or ``["favor", "none"]``). 1,034 rows;
  ``meta["genre"]`` is the news topic.

Group = the premise (a hash of its text): hypotheses on one premise stay together.
"""

from __future__ import annotations

from stance.training.data.base import Adapter
from stance.training.data.rows import Schema, by_file, text_hash
from stance.training.data.xnli import NLI

DACCORD = Schema(
    "daccord",
    text="premise",
    target="hypothesis",
    label="label_text",
    group=text_hash("premise"),
    language="fr",
    stances={"contradiction": ["against"], "compatibles": ["favor", "none"]},
    keep=("id", "genre"),
    delimiter="\t",
)
RTE3 = Schema(
    "rte3-fr",
    text="premise",
    target="hypothesis",
    label="label_text",
    group=text_hash("premise"),
    language="fr",
    stances=NLI,
    keep=("id", "task"),
    delimiter="\t",
)
ADAPTER = Adapter(
    "fr-nli",
    by_file({"daccord_*.tsv": DACCORD, "RTE3-FR-*.tsv": RTE3}),
    "xling/fr_nli",
    {None: ("daccord/daccord_dataset.tsv",), "dev": ("rte3_fr/RTE3-FR-dev-set-3class.tsv",)},
    group_key="group",
    language="fr",
)
ADAPTERS = (ADAPTER,)
