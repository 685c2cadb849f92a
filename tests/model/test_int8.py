"""Per-token int8 linear layers: close to fp32, and a row's output never depends on its batch."""

from __future__ import annotations

from pathlib import Path

import torch

from stance.model.int8 import RowInt8Linear, quantize_rows
from stance.pipeline.pipeline import load
from tests.tiny import CORPUS


def test_close_to_fp32() -> None:
    torch.manual_seed(0)
    linear = torch.nn.Linear(64, 48)
    x = torch.randn(3, 5, 64)
    out = RowInt8Linear(linear)(x)
    assert out.shape == (3, 5, 48)
    ref = linear(x)
    assert (out - ref).abs().max() < 0.02 * ref.abs().max()


def test_a_row_does_not_depend_on_its_batch() -> None:
    """One scale per token: a row alone and in a batch with a large row give the same output
    (one scale per batch, as ``quantize_dynamic`` does, would let the large row coarsen it)."""
    torch.manual_seed(0)
    layer = RowInt8Linear(torch.nn.Linear(32, 16))
    row = torch.randn(1, 32)
    batch = torch.cat([torch.randn(4, 32) * 50, row])
    assert torch.equal(layer(row)[0], layer(batch)[-1])


def test_quantize_rows_keeps_what_it_is_told() -> None:
    model = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    quantize_rows(model, keep=("2",))
    assert isinstance(model[0], RowInt8Linear) and type(model[2]) is torch.nn.Linear


def test_an_article_gets_the_same_record_alone_and_in_a_corpus(tiny_pipeline: Path) -> None:
    """What int8 labels for a text must not change with the texts batched beside it."""
    nlp = load(tiny_pipeline, quantize="int8")
    text = " ".join(CORPUS[:3])
    others = [" ".join(CORPUS[i : i + 4]) for i in range(3, len(CORPUS), 3)]
    target = "Faut-il taxer le kérosène ?"
    alone = nlp(text, target=target)
    among = list(nlp.pipe([*others, text], target=target, batch_size=len(others) + 1))[-1]
    assert among.to_dict() | {"id": alone.id} == alone.to_dict()
