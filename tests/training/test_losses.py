"""The partial-label loss: cross-entropy on one allowed label, indifferent inside a set."""

from __future__ import annotations

import pytest
import torch

from stance.training.losses import mixed_loss, partial_label_loss

CLAIM, PREMISE, NONE = 0, 1, 2


def _one_hot(labels: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.one_hot(labels, 3)


@pytest.mark.parametrize("weights", [None, torch.tensor([1.6, 0.8, 1.1])])
def test_one_allowed_label_is_the_usual_cross_entropy(weights: torch.Tensor | None) -> None:
    logits = torch.randn(7, 3, generator=torch.Generator().manual_seed(0))
    labels = torch.tensor([0, 1, 2, 2, 1, 0, 1])
    ce = torch.nn.functional.cross_entropy(logits, labels, weight=weights)
    assert partial_label_loss(logits, _one_hot(labels), weights).item() == pytest.approx(ce.item())
    with_mask = mixed_loss(logits, labels, weights, allowed=_one_hot(labels))
    assert with_mask.item() == pytest.approx(mixed_loss(logits, labels, weights).item())


def test_claim_or_premise_only_cares_about_their_sum() -> None:
    """{claim, premise}: -log(p_claim + p_premise); moving mass between them changes nothing."""
    allowed = torch.tensor([[1, 1, 0]])
    probs = torch.tensor([[0.5, 0.2, 0.3]], requires_grad=True)
    loss = partial_label_loss(probs.log(), allowed)
    assert loss.item() == pytest.approx(-torch.log(torch.tensor(0.7)).item())
    (grad,) = torch.autograd.grad(loss, probs)
    assert (grad[0, CLAIM] - grad[0, PREMISE]).abs().item() < 1e-6  # no push from one to other
    assert grad[0, NONE] > grad[0, CLAIM]  # mass leaves `none`
    moved = torch.tensor([[0.1, 0.6, 0.3]]).log()
    assert partial_label_loss(moved, allowed).item() == pytest.approx(loss.item())


def test_a_batch_mixes_full_and_partial_rows_with_class_weights() -> None:
    logits = torch.randn(3, 3, generator=torch.Generator().manual_seed(1))
    allowed = torch.tensor([[1, 0, 0], [1, 1, 0], [0, 1, 1]])
    weights = torch.tensor([2.0, 1.0, 0.5])
    log_p = logits.log_softmax(-1)
    per_row = torch.stack([-log_p[0, 0], -log_p[1, :2].logsumexp(0), -log_p[2, 1:].logsumexp(0)])
    row_weight = torch.tensor([2.0, 1.5, 0.75])
    expected = (row_weight * per_row).sum() / row_weight.sum()
    assert partial_label_loss(logits, allowed, weights).item() == pytest.approx(expected.item())
    assert partial_label_loss(logits, allowed).item() == pytest.approx(per_row.mean().item())


def test_a_row_must_allow_some_label() -> None:
    with pytest.raises(ValueError, match="allows no label"):
        partial_label_loss(torch.zeros(2, 3), torch.tensor([[1, 0, 0], [0, 0, 0]]))
