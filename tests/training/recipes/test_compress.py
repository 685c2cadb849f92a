"""A fully fine-tuned part becomes a LoRA adapter: exact when the change is low rank."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors import safe_open

from stance.model.part import load_part
from stance.pipeline.export import export_hf
from stance.training.recipes.compress import adapter_from_full, lowrank_factors
from tests.tiny import build_base, fine_tuned_part

TEXTS = ["Il faut taxer le kérosène des avions.", "En effet, 60 % des clients suivent la pub."]


def _logits(model: torch.nn.Module, base: Path) -> torch.Tensor:
    from transformers import AutoTokenizer

    enc = AutoTokenizer.from_pretrained(str(base))(TEXTS, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**enc).logits


@pytest.mark.parametrize("kind", ["bert", "camembert"])
def test_adapter_reproduces_a_low_rank_fine_tune(kind: str, tmp_path: Path) -> None:
    base = build_base(tmp_path / "base", kind)
    tuned = fine_tuned_part(base, tmp_path / "full", rank=2)
    kept = adapter_from_full(tmp_path / "full", tmp_path / "adapter", rank=2)
    assert kept["delta_energy_kept"] == pytest.approx(1.0, abs=1e-6)
    assert (tmp_path / "adapter" / "adapter_config.json").exists()
    model, _, info = load_part(tmp_path / "adapter")
    assert info.context == 1  # the part's input settings travel with it
    expected = _logits(tuned, base)
    torch.testing.assert_close(_logits(model, base), expected, atol=1e-4, rtol=1e-4)
    # the export of the adapter is a plain checkpoint predicting the same
    exported, _, _ = load_part(export_hf(tmp_path / "adapter", "component", tmp_path / "hf"))
    torch.testing.assert_close(_logits(exported, base), expected, atol=1e-4, rtol=1e-4)


def test_a_mean_pooled_part_keeps_its_pooling_layer_out_of_the_adapter(tmp_path: Path) -> None:
    base = build_base(tmp_path / "base")
    tuned = fine_tuned_part(base, tmp_path / "full", rank=2, mean_pool=True)
    adapter_from_full(tmp_path / "full", tmp_path / "adapter", rank=2)
    n_layers = int(tuned.config.num_hidden_layers) - 1
    with safe_open(str(tmp_path / "adapter" / "adapter_model.safetensors"), "pt") as f:
        lora = [k for k in f.keys() if "lora_" in k]  # noqa: SIM118 (not a dict)
    assert any(f"layer.{n_layers - 1}." in k for k in lora)
    assert not any(f"layer.{n_layers}." in k for k in lora)  # nothing for the pooling layer
    model, _, info = load_part(tmp_path / "adapter")  # the pooling layer is rebuilt on load
    assert info.extra["mean_pool"] and model.config.num_hidden_layers == n_layers + 1
    torch.testing.assert_close(_logits(model, base), _logits(tuned, base), atol=1e-4, rtol=1e-4)


def test_a_trained_pooling_layer_is_refused(tmp_path: Path) -> None:
    base = build_base(tmp_path / "base")
    tuned = fine_tuned_part(base, tmp_path / "full", rank=1, mean_pool=True)
    with torch.no_grad():
        tuned.base_model.encoder.layer[-1].attention.self.value.weight[0, 1] += 0.5
    tuned.save_pretrained(str(tmp_path / "full"))
    with pytest.raises(ValueError, match="mean-pooling layer"):
        adapter_from_full(tmp_path / "full", tmp_path / "adapter", rank=1)


def test_lower_rank_loses_part_of_the_change(tmp_path: Path) -> None:
    base = build_base(tmp_path / "base")
    tuned = fine_tuned_part(base, tmp_path / "full", rank=4)
    kept = adapter_from_full(tmp_path / "full", tmp_path / "adapter", rank=1)
    assert 0.0 < kept["delta_energy_kept"] < 0.9
    model, _, _ = load_part(tmp_path / "adapter")
    assert not torch.allclose(_logits(model, base), _logits(tuned, base), atol=1e-3)


def test_changed_embeddings_are_refused(tmp_path: Path) -> None:
    base = build_base(tmp_path / "base")
    tuned = fine_tuned_part(base, tmp_path / "full", rank=1)
    with torch.no_grad():
        tuned.base_model.embeddings.word_embeddings.weight[5] += 1.0
    tuned.save_pretrained(str(tmp_path / "full"))
    with pytest.raises(ValueError, match="word_embeddings"):
        adapter_from_full(tmp_path / "full", tmp_path / "adapter", rank=1)


def test_lowrank_factors_is_the_truncated_svd() -> None:
    gen = torch.Generator().manual_seed(1)
    delta = torch.randn(12, 3, generator=gen) @ torch.randn(3, 20, generator=gen)
    b, a = lowrank_factors(delta, 3)
    assert b.shape == (12, 3) and a.shape == (3, 20)
    torch.testing.assert_close(b @ a, delta, atol=1e-5, rtol=1e-5)
    b1, a1 = lowrank_factors(delta, 1)
    assert torch.linalg.matrix_rank(b1 @ a1) == 1
    # best rank-1 error is the second singular value (Eckart-Young)
    s = torch.linalg.svdvals(delta.double())
    err = torch.linalg.matrix_norm((delta - b1 @ a1).double(), ord=2)
    assert float(err) == pytest.approx(float(s[1]), rel=1e-4)


def test_a_tagger_keeps_both_heads_and_its_pooler(tmp_path: Path) -> None:
    """The tagger's roles head and pooler are stored whole, as its BIO head: the adapter
    predicts what the full part predicts, roles and tags."""
    import numpy as np

    from stance.doc import Document
    from stance.model.classifier import ArgumentTagger
    from stance.model.tagger import BertForArgumentTagging
    from stance.segment import split_sentences
    from tests.tiny import build_tagger_part

    base = build_base(tmp_path / "base")
    part = build_tagger_part(base, tmp_path / "full")
    model = BertForArgumentTagging.from_pretrained(str(part))
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():  # a rank-1 change to one encoder layer, as training would make
        query = model.bert.encoder.layer[0].attention.self.query
        query.weight += torch.randn(32, 1, generator=gen) @ torch.randn(1, 32, generator=gen)
    model.save_pretrained(str(part))
    kept = adapter_from_full(part, tmp_path / "adapter", rank=2)
    assert kept["delta_energy_kept"] == pytest.approx(1.0, abs=1e-6)
    text = " ".join(TEXTS)
    docs = [Document("d", text, sentences=tuple(split_sentences(text)))]
    (want,) = ArgumentTagger(*load_part(part)).predict(docs)
    (got,) = ArgumentTagger(*load_part(tmp_path / "adapter")).predict(docs)
    np.testing.assert_allclose(got.role_probs, want.role_probs, atol=1e-5)
    np.testing.assert_allclose(got.word_probs, want.word_probs, atol=1e-5)
