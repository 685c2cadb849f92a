"""The target-consistency term: negated pairs find their twin, the loss ties the two answers,
and a tiny stance run trains with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch

from stance.doc import STANCES
from stance.model.tasks import PairExample
from stance.training.consistency import (
    TwinCollator,
    consistency_loss,
    flip_order,
    pop_twins,
    twin_indices,
)
from tests.tiny import build_base, stance_docs, write_jsonl

TEXT = "Oui, il faut taxer les avions."


def test_a_negated_pair_is_twinned_with_the_annotated_pair_of_its_text() -> None:
    examples = [
        PairExample("Faut-il taxer le kérosène ?", TEXT, "favor"),
        PairExample("Autre question ?", "Un autre texte.", "against"),
        PairExample("Il ne faut pas taxer le kérosène.", TEXT, "against", annotated=False),
        PairExample("Il ne faut pas taxer.", "Un autre texte.", "against", annotated=False),
        PairExample("Sujet sans rapport.", TEXT, "none", annotated=False),
        PairExample("Il ne faut pas taxer.", "Texte sans paire.", "favor", annotated=False),
    ]
    # the second negation has the same label as the annotated pair of its text: no twin
    assert twin_indices(examples) == [-1, -1, 0, -1, -1, -1]


def test_the_loss_is_zero_when_the_negation_flips_the_answer() -> None:
    assert flip_order(STANCES) == [1, 0, 2]
    toward = torch.tensor([[2.0, -1.0, 0.5]], requires_grad=True)  # favor toward T
    flipped = toward.detach()[:, [1, 0, 2]].clone().requires_grad_(True)  # against toward ¬T
    assert consistency_loss(flipped, toward, STANCES).item() == pytest.approx(0.0, abs=1e-6)
    same = toward.detach().clone().requires_grad_(True)  # favor toward ¬T too: the tone
    loss = consistency_loss(same, toward, STANCES)
    assert loss.item() > 0.5
    loss.backward()
    assert toward.grad is not None and same.grad is not None  # both passes learn
    assert toward.grad.abs().sum() > 0 and same.grad.abs().sum() > 0


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base(tmp_path_factory.mktemp("bases") / "bert", "bert")


def test_the_collator_pads_twins_and_the_trainer_takes_those_rows(tiny_base: Path) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(tiny_base))
    pad = tokenizer.pad_token_id
    collate = TwinCollator(tokenizer)
    rows = [
        {"input_ids": [0, 5, 2], "attention_mask": [1, 1, 1], "labels": 0,
         "twin_input_ids": [], "twin_attention_mask": []},
        {"input_ids": [0, 6, 7, 2], "attention_mask": [1, 1, 1, 1], "labels": 1,
         "twin_input_ids": [0, 8, 2], "twin_attention_mask": [1, 1, 1]},
    ]  # fmt: skip
    batch = collate(rows)
    assert batch["twin_input_ids"].tolist() == [[pad, pad, pad], [0, 8, 2]]
    assert batch["input_ids"].tolist() == [[0, 5, 2, pad], [0, 6, 7, 2]]
    twins = pop_twins(batch)
    assert twins is not None and "twin_input_ids" not in batch
    found, inputs = twins
    assert found.tolist() == [1] and inputs["input_ids"].tolist() == [[0, 8, 2]]
    assert pop_twins({"input_ids": batch["input_ids"]}) is None  # dev batches have no twins


def test_a_stance_run_trains_with_the_term(
    tiny_base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stance.training.trainer as trainer_module
    from stance.training.config import from_dict

    seen: list[int] = []
    real = trainer_module.twin_term

    def spy(model: Any, logits: Any, twins: Any, weight: float, labels: Any) -> Any:
        seen.append(len(twins[0]))
        assert weight == 0.5 and tuple(labels) == STANCES
        return real(model, logits, twins, weight, labels)

    monkeypatch.setattr(trainer_module, "twin_term", spy)
    spec = write_jsonl(stance_docs(), tmp_path / "stance.jsonl")
    config = from_dict(
        {"task": "stance", "base": str(tiny_base), "data": [spec], "dev_data": [spec],
         "method": "full", "epochs": 1, "batch_size": 8, "max_length": 48,
         "negated_targets": 1.0, "consistency": 0.5, "learning_rate": 1e-3}
    )  # fmt: skip
    summary = trainer_module.train(config, tmp_path / "run")
    assert sum(seen) > 0 and summary["dev_examples"] > 0  # negated rows met their twins
    with pytest.raises(ValueError, match="consistency"):
        from_dict({"task": "component", "consistency": 0.5})
