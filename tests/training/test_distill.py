"""Distillation from the lexical baseline: out-of-fold soft labels and the mixed loss."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from stance.model.tasks import PairExample
from stance.training.distill import fold_ids, lexical_teacher
from stance.training.trainer import mixed_loss

LABELS = ("favor", "against", "none")
WORDS = {"favor": "excellent utile juste", "against": "mauvais inutile injuste"}


def _examples(flip_group: str = "") -> list[PairExample]:
    """Six questions, each with comments whose words give their stance away."""
    out = []
    for g in range(6):
        for i in range(8):
            label = "favor" if i % 2 else "against"
            text = f"Commentaire {i} : c'est {WORDS[label]}."
            if f"q{g}" == flip_group:
                label = "against" if label == "favor" else "favor"
            out.append(PairExample(f"Faut-il la mesure {g} ?", text, label, f"q{g}"))
    out.append(PairExample("Faut-il la mesure 0 ?", "Autre sujet.", "none", "q0", False))
    return out


def test_rule_built_pairs_keep_their_label_and_rows_are_distributions() -> None:
    examples = _examples()
    probs = lexical_teacher(examples, LABELS)
    assert probs.shape == (len(examples), len(LABELS))
    np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(probs[-1], [0.0, 0.0, 1.0])  # built by rule: one-hot
    gold = np.array([LABELS.index(e.label) for e in examples[:-1]])
    assert (probs[:-1].argmax(1) == gold).mean() > 0.9  # the words are learnable across groups
    assert probs[:-1].max(1).mean() < 0.99  # soft, not copied one-hot labels


def test_groups_with_annotated_neutral_rows_keep_their_gold_labels() -> None:
    """E-FRA-like group (annotated `none` among favor/against): the teacher leaves it alone."""
    tweets = [
        PairExample("Macron", f"Tweet {i} : c'est {WORDS[label]}.", label, "efra")
        for i, label in enumerate(["favor", "against"] * 6)
    ] + [PairExample("Macron", f"Tweet neutre {i}.", "none", "efra") for i in range(4)]
    examples = _examples() + tweets
    probs = lexical_teacher(examples, LABELS)
    gold = np.eye(len(LABELS))[[LABELS.index(e.label) for e in tweets]]
    np.testing.assert_array_equal(probs[-len(tweets) :], gold)
    # fitted on favor/against rows only: no mass on `none` for the annotated questions
    assert probs[: len(examples) - len(tweets) - 1, 2].max() == 0.0


def test_teacher_is_out_of_fold_by_group() -> None:
    """Flipping one question's labels cannot change that question's own soft labels."""
    plain = lexical_teacher(_examples(), LABELS)
    flipped = lexical_teacher(_examples(flip_group="q3"), LABELS)
    own = [i for i, e in enumerate(_examples()) if e.group == "q3"]
    others = [i for i, e in enumerate(_examples()) if e.group not in {"q3", "q0"}]
    np.testing.assert_allclose(flipped[own], plain[own], atol=1e-6)
    assert not np.allclose(flipped[others], plain[others], atol=1e-3)


def test_teacher_columns_follow_label_order() -> None:
    probs = lexical_teacher(_examples(), LABELS)
    swapped = lexical_teacher(_examples(), ("against", "favor", "none"))
    np.testing.assert_allclose(swapped[:, [1, 0, 2]], probs, atol=1e-6)


def test_mixed_loss() -> None:
    torch.manual_seed(0)
    logits = torch.randn(5, 3, requires_grad=True)
    labels = torch.tensor([0, 1, 2, 1, 0])
    weights = torch.tensor([1.0, 2.0, 0.5])
    ce = torch.nn.functional.cross_entropy(logits, labels, weight=weights)
    assert mixed_loss(logits, labels, weights).item() == pytest.approx(ce.item())
    one_hot = torch.nn.functional.one_hot(labels, 3).float()
    plain = torch.nn.functional.cross_entropy(logits, labels)
    assert mixed_loss(logits, labels, None, one_hot, 0.7).item() == pytest.approx(plain.item())
    teacher = torch.full((5, 3), 1 / 3)
    soft = -(logits.log_softmax(-1) / 3).sum(-1).mean()
    assert mixed_loss(logits, labels, weights, teacher, 1.0).item() == pytest.approx(soft.item())
    mixed = mixed_loss(logits, labels, weights, teacher, 0.25)
    assert mixed.item() == pytest.approx(0.75 * ce.item() + 0.25 * soft.item())
    (grad,) = torch.autograd.grad(mixed_loss(logits, labels, None, teacher, 1.0), logits)
    # toward uniform: the largest logit of each row is pushed down
    assert all(grad[i, int(logits[i].argmax())] > 0 for i in range(5))


def test_folds_keep_groups_whole_unless_they_hold_most_of_a_label() -> None:
    groups = ["efra"] * 30 + [f"q{i // 5}" for i in range(50)]  # ten small questions
    gold = ["none"] * 20 + ["favor"] * 10 + ["favor", "against"] * 25  # efra: all the `none`
    fold = fold_ids(groups, gold, 5)
    assert set(fold[:30]) == set(range(5))  # spread over every fold
    for g in {f"q{i}" for i in range(10)}:
        assert len({fold[i] for i, x in enumerate(groups) if x == g}) == 1  # kept whole
    sizes = np.bincount(fold, minlength=5)
    assert sizes.max() - sizes.min() <= 5
    assert len(set(fold_ids(groups, ["favor"] * 80, 5)[:30])) == 1  # no label held: whole
