"""The argument tagger's loss: token cross-entropy plus the roles' (partial-label) loss; either
head may have no label in a batch."""

from __future__ import annotations

import pytest
import torch

from stance.model.losses import partial_label_loss, role_targets, tagger_loss

GEN = torch.Generator().manual_seed(0)


def test_role_targets_one_hot_partial_and_padding() -> None:
    labels = torch.tensor([[0, -100, -100]])
    allowed = torch.tensor([[[0, 0, 0], [1, 1, 0], [0, 0, 0]]])
    assert role_targets(labels, allowed, 3).tolist() == [[[1, 0, 0], [1, 1, 0], [0, 0, 0]]]
    assert role_targets(labels, None, 3).tolist() == [[[1, 0, 0], [0, 0, 0], [0, 0, 0]]]


def test_sum_of_both_heads_with_weights() -> None:
    logits = torch.randn(2, 5, 5, generator=GEN)
    role_logits = torch.randn(2, 2, 3, generator=GEN)
    labels = torch.tensor([[-100, 1, 2, -100, 0], [-100, 3, -100, -100, -100]])
    role_labels = torch.tensor([[0, 2], [1, -100]])
    tw, rw = torch.rand(5, generator=GEN) + 0.5, torch.rand(3, generator=GEN) + 0.5
    got = tagger_loss(logits, labels, role_logits, role_labels, None, tw, rw)
    token = torch.nn.functional.cross_entropy(
        logits.reshape(-1, 5), labels.reshape(-1), weight=tw, ignore_index=-100
    )
    roles = torch.nn.functional.cross_entropy(
        role_logits.reshape(-1, 3), role_labels.reshape(-1), weight=rw, ignore_index=-100
    )
    assert got.item() == pytest.approx((token + roles).item(), rel=1e-5)


def test_a_head_without_labels_adds_nothing() -> None:
    logits = torch.randn(1, 4, 5, generator=GEN, requires_grad=True)
    role_logits = torch.randn(1, 2, 3, generator=GEN, requires_grad=True)
    no_tags = torch.full((1, 4), -100)
    role_labels = torch.tensor([[2, -100]])
    got = tagger_loss(logits, no_tags, role_logits, role_labels)
    assert got.item() == pytest.approx(
        partial_label_loss(role_logits[0, :1], torch.tensor([[0, 0, 1]])).item()
    )
    got.backward()
    assert logits.grad is not None and not logits.grad.any()  # BIO all -100: no token loss
    nothing = tagger_loss(logits, no_tags, role_logits, torch.full((1, 2), -100))
    assert nothing.item() == 0.0 and nothing.requires_grad
