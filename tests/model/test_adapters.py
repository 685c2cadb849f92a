"""LoRA parts merged into one shared base, without peft: same outputs, one embedding matrix."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from stance.model.adapters import merged_part, plain_lora, shared_base
from stance.model.part import PartInfo, adapter_model, auto_class, label_kwargs

TASKS = ("component", "span", "stance")


def _merged(part: Path) -> tuple[torch.nn.Module, PartInfo]:
    info = PartInfo.load(part)
    model = merged_part(
        part,
        info.base,
        auto_class(info.task),
        label_kwargs(info.labels),
        bool(info.extra.get("mean_pool")),
    )
    assert model is not None
    return model.eval(), info


@pytest.mark.parametrize("task", TASKS)
def test_merged_part_predicts_what_peft_merges(tiny_pipeline: Path, task: str) -> None:
    ours, info = _merged(tiny_pipeline / task)
    reference = adapter_model(tiny_pipeline / task, info).merge_and_unload().eval()
    ids = torch.tensor([[1, 5, 9, 14, 3, 2], [1, 7, 7, 2, 0, 0]])
    mask = (ids != 0).long()
    with torch.no_grad():
        got = ours(input_ids=ids, attention_mask=mask).logits
        want = reference(input_ids=ids, attention_mask=mask).logits
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)
    assert got.abs().sum() > 0  # a head that came from the adapter, not zeros


def test_parts_share_the_base_embeddings_and_leave_it_unchanged(tiny_pipeline: Path) -> None:
    models = [_merged(tiny_pipeline / task)[0] for task in TASKS]
    pointers = {m.base_model.embeddings.word_embeddings.weight.data_ptr() for m in models}
    assert len(pointers) == 1  # one matrix in memory for all three parts
    base = shared_base(PartInfo.load(tiny_pipeline / "component").base)
    layer0 = [m.base_model.encoder.layer[0].attention.self.query.weight for m in models]
    assert len({w.data_ptr() for w in layer0}) == 3  # adapted layers are each part's own
    key = next(k for k in base if k.endswith("layer.0.attention.self.query.weight"))
    assert not torch.equal(base[key], layer0[0])  # the adapter changed it, the base kept it


@pytest.mark.parametrize(
    "change",
    [
        {"use_dora": True},
        {"rank_pattern": {"query": 8}},
        {"peft_type": "IA3"},
        {"fan_in_fan_out": True},
    ],
)
def test_only_plain_lora_is_merged_here(change: dict[str, object]) -> None:
    config: dict[str, object] = {"peft_type": "LORA", "r": 4, "lora_alpha": 8}
    assert plain_lora(config)
    assert not plain_lora({**config, **change})
