"""Negation NLI suites, English (``negation-nli``): NaN-NLI, Hossain et al. 2020, CondaQA dev.

NLI as stance toward the hypothesis: target = the hypothesis, text = the premise.

* ``nan-nli`` (``nan_nli.csv``, 258): entailment/contradiction/neutral → favor/against/none.
  Group = the premise (hash).
* ``hossain-mnli``, ``hossain-snli`` (``hossain_*.tsv``, 1,500 each): the same 3-way mapping.
  ``hossain-rte``: entailment → favor, *not_entailment* is against or none, so the set is
  partial (``meta["stance_labels"]``, no ``stance``). Rows come in triples built from one
  original pair (negation in the premise, the hypothesis, both): group = ``index // 3``.
* ``condaqa`` (``condaqa_dev.jsonl``, 1,110, ``split`` dev): reading comprehension. Text =
  ``sentence1`` (the passage as edited), target = ``sentence2`` (the question; SOURCE.txt
  calls it the edited passage, the file says otherwise); YES → favor, NO → against,
  DON'T KNOW → none, the way X-Stance reads a yes/no question as a target. 14 rows answer
  with free text ("more", "Kindergarten", ...): kept, with no gold label. Group =
  ``PassageID`` (the edits of one passage stay together).

None of these sets is split by the source (evaluation suites): split them by ``group``.
"""

from __future__ import annotations

from typing import Any

from stance.training.data.base import Adapter
from stance.training.data.rows import Schema, by_file, text_hash
from stance.training.data.xnli import NLI


def _triple(rec: dict[str, Any]) -> int:
    return int(rec["index"]) // 3


NAN = Schema(
    "nan-nli", "premise", "hypothesis", "label", text_hash("premise"), stances=NLI, delimiter=","
)
HOSSAIN = {
    name: Schema(
        f"hossain-{name.lower()}",
        "Text",
        "Hypothesis",
        "gold_label",
        _triple,
        stances=stances,
        keep=("index",),
        delimiter="\t",
    )
    for name, stances in (
        ("MNLI", NLI),
        ("RTE", {"entailment": ["favor"], "not_entailment": ["against", "none"]}),
        ("SNLI", NLI),
    )
}
CONDAQA = Schema(
    "condaqa",
    text="sentence1",
    target="sentence2",
    label="label",
    group="PassageID",
    stances={"YES": ["favor"], "NO": ["against"], "DON'T KNOW": ["none"]},
    unlabelled=frozenset({"more", "less", "neither", "known", "grade primary", "Kindergarten"}),
    keep=("QuestionID", "PassageEditID", "original cue"),
)
ADAPTER = Adapter(
    "negation-nli",
    by_file(
        {
            "nan_nli.csv": NAN,
            **{f"hossain_{k}.tsv": s for k, s in HOSSAIN.items()},
            "condaqa_*.jsonl": CONDAQA,
        }
    ),
    "xling/negation_nli",
    {None: ("nan_nli.csv", "hossain_*.tsv"), "dev": ("condaqa_dev.jsonl",)},
    group_key="group",
    language="en",
)
ADAPTERS = (ADAPTER,)
