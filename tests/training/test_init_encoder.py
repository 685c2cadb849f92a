"""``init_encoder``: a run starts from another run's encoder layers, or a shipped adapter's."""

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
    from stance.training.init_encoder import load_encoder

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


def test_init_encoder_from_a_mean_pooled_run(bert_base: Path, tmp_path: Path) -> None:
    """A run with the pooling layer starts another with it; one without is told why it cannot."""
    import torch
    from transformers import AutoModelForSequenceClassification

    from stance.model.part import PartInfo
    from stance.model.pooling import add_mean_pool_layer
    from stance.training.init_encoder import load_encoder

    base = str(bert_base)
    source = add_mean_pool_layer(
        AutoModelForSequenceClassification.from_pretrained(base, num_labels=3)
    )
    with torch.no_grad():
        source.bert.encoder.layer[0].attention.self.query.weight.add_(0.5)
    run = tmp_path / "pooled"
    source.save_pretrained(run)
    PartInfo(task="stance", labels=("favor", "against", "none"), base=base).save(run)

    pooled = add_mean_pool_layer(
        AutoModelForSequenceClassification.from_pretrained(base, num_labels=3)
    )
    load_encoder(pooled, run, base)
    layer = "encoder.layer.0.attention.self.query.weight"
    assert torch.equal(pooled.bert.get_parameter(layer), source.bert.get_parameter(layer))
    plain = AutoModelForSequenceClassification.from_pretrained(base, num_labels=3)
    with pytest.raises(ValueError, match="mean_pool"):
        load_encoder(plain, run, base)


def test_init_encoder_from_a_shipped_adapter(bert_base: Path, tmp_path: Path) -> None:
    """A LoRA adapter directory (a part as `models/` ships it) starts a run from the merged
    encoder: the product's merge, which holds the full run's change when the rank does."""
    import torch
    from transformers import AutoModelForSequenceClassification

    from stance.model.part import load_part
    from stance.training.init_encoder import load_encoder
    from stance.training.recipes.compress import adapter_from_full
    from tests.tiny import fine_tuned_part

    full = fine_tuned_part(bert_base, tmp_path / "run", rank=2)
    adapter_from_full(tmp_path / "run", tmp_path / "run" / "adapter", 4)
    model = AutoModelForSequenceClassification.from_pretrained(str(bert_base), num_labels=3)
    fresh = AutoModelForSequenceClassification.from_pretrained(str(bert_base), num_labels=3)
    load_encoder(model, tmp_path / "run" / "adapter", str(bert_base))
    merged = load_part(tmp_path / "run" / "adapter")[0]
    for name, value in model.bert.encoder.state_dict().items():
        assert torch.equal(value, merged.bert.encoder.state_dict()[name])
        torch.testing.assert_close(value, full.bert.encoder.state_dict()[name], atol=1e-4, rtol=0)
    layer = "encoder.layer.0.attention.self.query.weight"
    assert not torch.equal(model.bert.get_parameter(layer), fresh.bert.get_parameter(layer))
    with pytest.raises(FileNotFoundError, match="adapter"):
        load_encoder(model, tmp_path, str(bert_base))
