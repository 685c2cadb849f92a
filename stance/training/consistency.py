"""Target consistency as a loss term: a text read toward a target and toward its negation.

A negated pair made by rule (``targets.negated_examples``, ``targets.derived_pairs``: "Il ne
faut pas X", label flipped) has a *twin*, the annotated pair of the same text toward the
original target with the opposite label. Cross-entropy trains each on its own; the model can
still answer both from the text's tone. With ``consistency`` (a weight, ``TrainConfig``) a
training row that has a twin also carries the twin's tokens, and the loss adds

    consistency · ½ [KL(p ‖ flip(q)) + KL(flip(q) ‖ p)]

where ``p`` = p(· | negated target, text), ``q`` = p(· | target, text) and ``flip`` swaps
favor and against (``none`` stays): the answer toward ¬T must be the answer toward T turned
over (issue 25: p(favor | T) ≈ p(against | ¬T)). Gradients flow through both passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from stance.model.tasks import PairExample

OPPOSITE = {"favor": "against", "against": "favor"}
TWIN_COLUMNS = ("twin_input_ids", "twin_attention_mask")


def twin_indices(examples: Sequence[PairExample]) -> list[int]:
    """For each example, the index of its twin, or -1: a rule-made pair (``annotated`` False)
    labelled favor/against, twinned with the first annotated pair of the same text whose label
    is the opposite one."""
    annotated: dict[tuple[str | None, str], int] = {}
    for i, e in enumerate(examples):
        if e.annotated and e.label in OPPOSITE:
            annotated.setdefault((e.second, e.label), i)
    return [
        annotated.get((e.second, OPPOSITE[e.label]), -1)
        if not e.annotated and e.label in OPPOSITE
        else -1
        for e in examples
    ]


def twin_columns(enc: Any, twins: Sequence[int]) -> dict[str, list[list[int]]]:
    """The twin's ``input_ids`` / ``attention_mask`` on each row (empty lists: no twin)."""
    return {
        column: [list(enc[key][j]) if j >= 0 else [] for j in twins]
        for column, key in zip(TWIN_COLUMNS, ("input_ids", "attention_mask"), strict=True)
    }


def flip_order(labels: Sequence[str]) -> list[int]:
    """The label permutation that swaps favor and against."""
    swapped = [OPPOSITE.get(label, label) for label in labels]
    return [list(labels).index(label) for label in swapped]


def consistency_loss(
    logits: torch.Tensor, twin_logits: torch.Tensor, labels: Sequence[str]
) -> torch.Tensor:
    """Symmetric KL between p(· | ¬T) (``logits``) and flipped p(· | T) (``twin_logits``),
    mean over rows."""
    log_p = logits.float().log_softmax(-1)
    log_q = twin_logits.float().log_softmax(-1)[:, flip_order(labels)]
    kl_pq = (log_p.exp() * (log_p - log_q)).sum(-1)
    kl_qp = (log_q.exp() * (log_q - log_p)).sum(-1)
    return 0.5 * (kl_pq + kl_qp).mean()


def pop_twins(inputs: dict[str, Any]) -> tuple[torch.Tensor, dict[str, torch.Tensor]] | None:
    """Take the twin columns out of a batch: (rows that have a twin, the twins' inputs), or
    None when no row has one."""
    ids = inputs.pop("twin_input_ids", None)
    mask = inputs.pop("twin_attention_mask", None)
    if ids is None or mask is None:
        return None
    rows = mask.sum(-1).nonzero().flatten()
    if rows.numel() == 0:
        return None
    width = int(mask[rows].sum(-1).max())
    return rows, {"input_ids": ids[rows, :width], "attention_mask": mask[rows, :width]}


def twin_term(
    model: Any,
    logits: torch.Tensor,
    twins: tuple[torch.Tensor, dict[str, torch.Tensor]],
    weight: float,
    labels: Sequence[str],
) -> torch.Tensor:
    """``weight`` × the consistency loss of the batch rows that have a twin (``pop_twins``):
    the twins go through ``model`` here, in the same graph."""
    rows, twin_inputs = twins
    return weight * consistency_loss(logits[rows], model(**twin_inputs).logits, labels)


class TwinCollator:
    """The stance collator (``DataCollatorWithPadding``) with the twin columns padded too."""

    def __init__(self, tokenizer: Any) -> None:
        from transformers import DataCollatorWithPadding

        self.pad_id = tokenizer.pad_token_id
        self.inner = DataCollatorWithPadding(tokenizer)

    def __call__(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        from stance.model.windows import pad_rows

        twins = [
            {
                "input_ids": row.pop(TWIN_COLUMNS[0], []),
                "attention_mask": row.pop(TWIN_COLUMNS[1], []),
            }
            for row in rows
        ]
        batch = self.inner(rows)
        padded = pad_rows(twins, self.pad_id)  # no twin in the batch: width 0
        batch[TWIN_COLUMNS[0]], batch[TWIN_COLUMNS[1]] = (
            padded["input_ids"],
            padded["attention_mask"],
        )
        return batch
