"""Freed memory goes back to the OS every few hundred sentences; feed-forward blocks run in
chunks of tokens with the same outputs."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import stance.model.memory as memory
from tests.tiny import build_base


def test_trimmer_trims_once_enough_sentences_were_labelled(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(memory, "trim", lambda: calls.append(1) or True)
    trimmer = memory.Trimmer(every=10)
    assert [trimmer.add(n) for n in (4, 4, 4, 3, 9)] == [False, False, True, False, True]
    assert len(calls) == 2


def test_trim_runs_here() -> None:
    """On glibc (CI's Linux) the call exists and returns; elsewhere it reports False."""
    assert memory.trim() is (memory._libc() is not None)


def _tiny_classifier(tmp_path: Path) -> torch.nn.Module:
    from transformers import AutoModelForSequenceClassification

    base = build_base(tmp_path / "base")
    torch.manual_seed(0)
    return AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=3).eval()


def test_feed_forward_in_chunks_gives_the_same_outputs(tmp_path: Path) -> None:
    from stance.model.int8 import quantize_rows

    model = _tiny_classifier(tmp_path)
    ids = torch.randint(5, model.config.vocab_size, (3, 11))
    mask = torch.ones_like(ids)
    mask[1, 6:] = 0  # a padded row
    seen: list[int] = []
    for layer in model.bert.encoder.layer:
        layer.intermediate.register_forward_hook(lambda _m, i, _o: seen.append(i[0].shape[0]))
    with torch.inference_mode():
        fp32 = model(input_ids=ids, attention_mask=mask).logits
        quantize_rows(model)
        int8 = model(input_ids=ids, attention_mask=mask).logits
        assert memory.chunk_feed_forward(model, rows=4) == 2  # the tiny encoder's two layers
        seen.clear()
        chunked = model(input_ids=ids, attention_mask=mask).logits
    assert seen == [4] * 8 + [1] + [4] * 8 + [1]  # 33 tokens in chunks of 4, per layer
    assert torch.equal(chunked, int8)  # every op in the block is per token: exactly the same
    assert not torch.equal(int8, fp32)  # (the check above compared int8 outputs)
