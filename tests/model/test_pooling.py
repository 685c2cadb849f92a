"""The appended pooling layer computes the layer-normalised masked mean, padding included."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from stance.model.pooling import add_mean_pool_layer
from tests.tiny import build_base


def masked_mean(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Layer-normalised mean of the unmasked positions: what the pooling layer must compute."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    mean = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
    return torch.nn.functional.layer_norm(mean, mean.shape[-1:])


@pytest.mark.parametrize("kind", ["bert", "camembert"])
def test_first_token_reads_the_mean_of_real_tokens(kind: str, tmp_path: Path) -> None:
    from transformers import AutoModel, AutoTokenizer

    base = build_base(tmp_path / kind, kind)
    tok = AutoTokenizer.from_pretrained(str(base))
    enc = tok(
        ["Il faut taxer le kérosène des avions.", "Bravo !"], padding=True, return_tensors="pt"
    )
    assert int(enc["attention_mask"].sum()) < enc["attention_mask"].numel()  # padding present
    model = AutoModel.from_pretrained(str(base)).eval()
    with torch.no_grad():
        expected = masked_mean(model(**enc).last_hidden_state, enc["attention_mask"])
        n = model.config.num_hidden_layers
        add_mean_pool_layer(model)
        assert model.config.num_hidden_layers == n + 1
        got = model(**enc).last_hidden_state[:, 0]
    torch.testing.assert_close(got, expected, atol=5e-3, rtol=0)
    assert not torch.allclose(got[0], got[1], atol=1e-2)  # inputs still differ


def test_pooled_model_saves_as_a_plain_checkpoint(tmp_path: Path) -> None:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    base = build_base(tmp_path / "bert", "bert")
    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=3).eval()
    add_mean_pool_layer(model)
    model.save_pretrained(str(tmp_path / "out"))
    again = AutoModelForSequenceClassification.from_pretrained(str(tmp_path / "out")).eval()
    enc = AutoTokenizer.from_pretrained(str(base))(["Il faut agir."], return_tensors="pt")
    with torch.no_grad():
        torch.testing.assert_close(again(**enc).logits, model(**enc).logits)
