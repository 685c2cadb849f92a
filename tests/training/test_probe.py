"""LP-FT: the head fitted on frozen features predicts, inside the model, what the probe did."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from stance.model.pooling import add_mean_pool_layer
from stance.training.config import TrainConfig
from stance.training.probe import probe_head
from tests.tiny import build_base


def test_probe_head_sets_a_head_that_reproduces_the_probe(tmp_path: Path) -> None:
    from datasets import Dataset
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        DataCollatorWithPadding,
    )

    base = build_base(tmp_path / "bert", "bert")
    tok = AutoTokenizer.from_pretrained(str(base))
    starts = ["Oui, il faut", "Non, il ne faut pas", "Le temps est"]
    texts = [f"{starts[i % 3]} agir {'vite ' * (i % 4)}." for i in range(36)]
    labels = [i % 3 for i in range(36)]
    enc = tok(texts)
    ds = Dataset.from_dict(
        {**{k: enc[k] for k in ("input_ids", "attention_mask")}, "labels": labels}
    )
    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=3)
    add_mean_pool_layer(model)
    before = model.classifier.weight.detach().clone()
    collator = DataCollatorWithPadding(tok)
    accuracy = probe_head(model, ds, collator)
    assert not torch.allclose(model.classifier.weight, before)
    assert model.training  # handed back ready to train
    model.eval()
    batch = collator([{k: ds[i][k] for k in ("input_ids", "attention_mask")} for i in range(36)])
    with torch.no_grad():
        pred = model(**batch).logits.argmax(-1)
    assert accuracy > 0.5  # the three openings are told apart ...
    assert float((pred == torch.tensor(labels)).float().mean()) == pytest.approx(
        accuracy
    )  # ... in the model


def test_probe_head_is_for_fully_tuned_sentence_classifiers() -> None:
    with pytest.raises(ValueError, match="probe_head"):
        TrainConfig(task="span", method="full", probe_head=True)
    with pytest.raises(ValueError, match="probe_head"):
        TrainConfig(task="stance", method="lora", probe_head=True)
    assert TrainConfig(task="stance", method="frozen-embeddings", probe_head=True).probe_head
