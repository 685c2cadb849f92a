"""Attention at each sequence's own length: with int8 layers (the default) a sentence's outputs
are the same alone and in any batch, bit for bit."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import stance.model.attention as attention
from stance.model.attention import ATTENTION_BYTES, NAME, key_lengths, unpadded_attention
from tests.tiny import build_base


def _tiny_encoder(tmp_path: Path, layers: int = 2) -> torch.nn.Module:
    from transformers import AutoModelForSequenceClassification

    base = build_base(tmp_path / "base")
    torch.manual_seed(0)
    return AutoModelForSequenceClassification.from_pretrained(
        str(base), num_labels=3, num_hidden_layers=layers, attn_implementation="sdpa"
    ).eval()


def _alone_and_batched(model: torch.nn.Module, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Each row's hidden states alone, and inside one right-padded batch of rows of random
    lengths (the real tokens only), stacked."""
    gen = torch.Generator().manual_seed(seed)
    lengths = torch.randint(2, 60, (9,), generator=gen).tolist()
    ids = torch.randint(5, model.config.vocab_size, (9, max(lengths)), generator=gen)
    mask = (torch.arange(max(lengths))[None, :] < torch.tensor(lengths)[:, None]).long()
    with torch.inference_mode():
        batched = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        alone, together = [], []
        for row, n in enumerate(lengths):
            one = model(input_ids=ids[row : row + 1, :n], output_hidden_states=True)
            alone.append(torch.cat([h[0] for h in one.hidden_states]))
            together.append(torch.cat([h[row, :n] for h in batched.hidden_states]))
    return torch.cat(alone), torch.cat(together)


@pytest.mark.parametrize("budget", [ATTENTION_BYTES, 1])  # 1: one sequence per product
def test_a_sentence_reads_the_same_alone_and_in_a_batch(
    tmp_path: Path, budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stance.model.int8 import quantize_rows

    monkeypatch.setattr(attention, "ATTENTION_BYTES", budget)
    model = quantize_rows(_tiny_encoder(tmp_path))
    before = [_alone_and_batched(model, seed) for seed in range(4)]
    assert unpadded_attention(model) and model.config._attn_implementation == NAME
    after = [_alone_and_batched(model, seed) for seed in range(4)]
    assert all(torch.equal(alone, together) for alone, together in after)
    # the standard kernel did differ, in the last bits: what the check above is about
    assert not all(torch.equal(alone, together) for alone, together in before)
    assert max((a - b).abs().max().item() for a, b in before) < 1e-4
    # the same sums: within float rounding of the standard kernel's outputs
    for (alone, _), (alone_new, _) in zip(before, after, strict=True):
        assert torch.allclose(alone, alone_new, atol=1e-4)


def test_fp32_stays_within_rounding(tmp_path: Path) -> None:
    """fp32 matrix products round differently with the number of rows (oneDNN picks other
    kernels for few rows), so fp32 is not bit-exact; without int8 rounding steps the gaps stay
    at float precision."""
    model = _tiny_encoder(tmp_path)
    assert unpadded_attention(model)
    for seed in range(4):
        alone, together = _alone_and_batched(model, seed)
        assert torch.allclose(alone, together, atol=1e-5)


def test_key_lengths_reads_right_padding_only() -> None:
    keep = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1], [1, 0, 0, 0]], dtype=torch.bool)
    mask = keep[:, None, None, :].expand(3, 1, 4, 4)
    assert key_lengths(None, 2, 7) == [7, 7]
    assert key_lengths(mask, 3, 4) == [3, 4, 1]
    additive = torch.zeros(3, 1, 1, 4).masked_fill(~keep[:, None, None, :], -1e9)
    assert key_lengths(additive, 3, 4) == [3, 4, 1]
    left = keep.flip(-1)[:, None, None, :]
    assert key_lengths(left, 3, 4) is None  # left padding: the standard kernel
    causal = torch.ones(3, 1, 4, 4, dtype=torch.bool).tril()
    assert key_lengths(causal, 3, 4) is None  # rows that see other keys: not a padding mask
    assert key_lengths(mask[:, :, :, :3], 3, 4) is None  # another shape


def test_masks_it_cannot_read_use_the_standard_kernel(tmp_path: Path) -> None:
    from stance.model.attention import attend

    gen = torch.Generator().manual_seed(1)
    q, k, v = (torch.randn(2, 3, 5, 4, generator=gen) for _ in range(3))
    left = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]], dtype=torch.bool)[:, None, None, :]
    out, _ = attend(torch.nn.Identity(), q, k, v, left)
    expected = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=left)
    assert torch.equal(out, expected.transpose(1, 2))


def test_packed_encoder_reads_real_tokens_only_with_the_same_outputs(tmp_path: Path) -> None:
    from stance.model.attention import packed_encoder
    from stance.model.int8 import quantize_rows

    model = quantize_rows(_tiny_encoder(tmp_path))
    unpadded_attention(model)
    lengths = [7, 3, 12, 7, 1]
    ids = torch.randint(
        5, model.config.vocab_size, (5, 12), generator=torch.Generator().manual_seed(3)
    )
    mask = (torch.arange(12)[None, :] < torch.tensor(lengths)[:, None]).long()
    rows: list[int] = []
    query = model.bert.encoder.layer[0].attention.self.query
    query.register_forward_hook(lambda _m, i, _o: rows.append(i[0].reshape(-1, 32).shape[0]))
    with torch.inference_mode():
        padded = model(input_ids=ids, attention_mask=mask)
        assert packed_encoder(model) == 1
        packed = model(input_ids=ids, attention_mask=mask)
        with_states = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    assert rows == [5 * 12, sum(lengths), 5 * 12]  # padded, packed, hooks: the padded path
    assert torch.equal(packed.logits, padded.logits)
    assert torch.equal(with_states.logits, padded.logits)
    with torch.no_grad():
        model.train()  # training: the encoder's own forward
        model(input_ids=ids, attention_mask=mask)
    assert rows[-1] == 5 * 12
