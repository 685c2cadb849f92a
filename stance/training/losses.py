"""The training losses of the weighted ``Trainer`` (``trainer.py``): class-weighted
cross-entropy, distillation toward a teacher, and the partial-label loss.

``partial_label_loss`` (``-log`` of the probability of the set of roles a row's gold allows)
lives in ``stance/model/losses.py``, beside the argument tagger's loss, which the model itself
computes; the reasons for it are written there.
"""

from __future__ import annotations

import torch

from stance.model.losses import partial_label_loss

__all__ = ["mixed_loss", "partial_label_loss"]


def mixed_loss(
    logits: torch.Tensor,
    labels: torch.Tensor,
    class_weights: torch.Tensor | None,
    teacher: torch.Tensor | None = None,
    distill: float = 0.0,
    allowed: torch.Tensor | None = None,
) -> torch.Tensor:
    """Class-weighted cross-entropy on gold labels; with a teacher, ``distill`` of the loss is
    the cross-entropy toward its probabilities instead (Hinton et al. 2015, temperature 1).

    ``allowed`` (rows × labels, 0/1): the labels each row's gold allows; given, the gold part is
    ``partial_label_loss`` (which is the same cross-entropy on rows that allow one label).
    """
    if allowed is not None:
        loss = partial_label_loss(logits, allowed, class_weights)
    else:
        weight = None if class_weights is None else class_weights.to(logits.device)
        loss = torch.nn.functional.cross_entropy(
            logits.view(-1, logits.shape[-1]), labels.view(-1), weight=weight, ignore_index=-100
        )
    if teacher is None or not distill:
        return loss
    soft = -(teacher.to(logits) * logits.log_softmax(-1)).sum(-1).mean()
    return (1.0 - distill) * loss + distill * soft
