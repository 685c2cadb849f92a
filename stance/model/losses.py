"""The losses a model computes itself: the partial-label loss and the argument tagger's loss.

They live in the product because ``BertForArgumentTagging.forward`` returns its loss, as every
``*For*`` model of ``transformers`` does; the ``Trainer`` (``stance/training/losses.py``) calls
the same functions with class weights.

A partial label is a set of roles the gold allows without saying which (a UKP *argument* is a
claim or a premise; an IBM sentence that is no evidence is a claim or no argument). Such a row
is trained toward the set as a whole: its loss is ``-log(sum of p(label) over the set)``, the
usual likelihood of a set-valued label (Jin & Ghahramani 2002, "Learning with multiple
labels"; Cour et al. 2011, "Learning from partial labels"). It does not care how the mass is
shared inside the set, so it never teaches claim against premise on a row that does not tell
them apart; a set of one label is plain cross-entropy.
"""

from __future__ import annotations

import torch


def partial_label_loss(
    logits: torch.Tensor, allowed: torch.Tensor, class_weights: torch.Tensor | None = None
) -> torch.Tensor:
    """Mean over rows of ``-log(sum of p(label) over the allowed labels)``.

    With class weights, a row weighs the mean weight of its allowed labels and the mean is
    weighted, as ``cross_entropy(weight=...)`` does: on rows that allow one label each this is
    the class-weighted cross-entropy. A row that allows no label is refused.
    """
    mask = allowed.to(device=logits.device).bool()
    if not bool(mask.any(-1).all()):
        raise ValueError("partial_label_loss: a row allows no label")
    log_p = logits.float().log_softmax(-1)
    per_row = -torch.logsumexp(log_p.masked_fill(~mask, float("-inf")), dim=-1)
    if class_weights is None:
        return per_row.mean()
    weights = class_weights.to(log_p)
    row_weight = (mask * weights).sum(-1) / mask.sum(-1)
    return (row_weight * per_row).sum() / row_weight.sum()


def role_targets(
    role_labels: torch.Tensor, role_allowed: torch.Tensor | None, n_roles: int
) -> torch.Tensor:
    """0/1 allowed roles of each sentence slot: one-hot where the label is known, the
    ``role_allowed`` row where it is partial (label -100), nothing for padding."""
    known = role_labels >= 0
    one_hot = torch.nn.functional.one_hot(role_labels.clamp(min=0), n_roles) * known[..., None]
    if role_allowed is None:
        return one_hot
    return torch.where(known[..., None], one_hot, role_allowed.to(one_hot))


def tagger_loss(
    logits: torch.Tensor,
    labels: torch.Tensor | None,
    role_logits: torch.Tensor | None,
    role_labels: torch.Tensor | None,
    role_allowed: torch.Tensor | None = None,
    token_weights: torch.Tensor | None = None,
    role_weights: torch.Tensor | None = None,
) -> torch.Tensor:
    """Token BIO cross-entropy (-100 ignored) plus the sentence roles' loss.

    Roles train on ``partial_label_loss`` (plain cross-entropy where one role is allowed);
    a batch with no labelled token or no labelled sentence adds 0 for that head, so rows with
    roles only (BIO all -100) or tokens only mix freely.
    """
    total = logits.float().sum() * 0.0  # keeps the graph when neither head has a label
    if labels is not None and bool((labels != -100).any()):
        weight = None if token_weights is None else token_weights.to(logits.device)
        total = total + torch.nn.functional.cross_entropy(
            logits.float().reshape(-1, logits.shape[-1]),
            labels.reshape(-1),
            weight=weight,
            ignore_index=-100,
        )
    if role_logits is None or role_labels is None:
        return total
    allowed = role_targets(role_labels, role_allowed, role_logits.shape[-1])
    keep = allowed.bool().any(-1)
    if bool(keep.any()):
        total = total + partial_label_loss(role_logits[keep], allowed[keep], role_weights)
    return total
