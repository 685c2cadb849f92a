"""The trainer's own pieces; train → save → load → predict for every task is in
``test_roundtrip.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tiny import build_base


@pytest.fixture(scope="module")
def bert_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base(tmp_path_factory.mktemp("bases") / "bert", "bert")


def test_init_encoder_starts_from_another_run(bert_base: Path, tmp_path: Path) -> None:
    """`init_encoder` copies a tagger's encoder layers (not embeddings or head) to a classifier."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    from stance.model.part import PartInfo
    from stance.training.trainer import load_encoder

    base = str(bert_base)
    tagger = AutoModelForTokenClassification.from_pretrained(base, num_labels=5)
    with torch.no_grad():
        for p in tagger.bert.encoder.parameters():
            p.add_(0.5)
    run = tmp_path / "tagger"
    tagger.save_pretrained(run)
    PartInfo(
        task="span", labels=("O", "B-claim", "I-claim", "B-premise", "I-premise"), base=base
    ).save(run)

    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=3)
    fresh = AutoModelForSequenceClassification.from_pretrained(base, num_labels=3)
    load_encoder(model, run, base)
    layer = "encoder.layer.0.attention.self.query.weight"
    assert torch.equal(model.bert.get_parameter(layer), tagger.bert.get_parameter(layer))
    assert not torch.equal(model.bert.get_parameter(layer), fresh.bert.get_parameter(layer))
    emb = "embeddings.word_embeddings.weight"
    assert torch.equal(model.bert.get_parameter(emb), fresh.bert.get_parameter(emb))
    with pytest.raises(ValueError, match="another base"):
        load_encoder(model, run, "e5-small-offline")
