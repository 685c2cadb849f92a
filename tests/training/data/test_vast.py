"""VAST adapter on the real file and a malformed row."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import label_counts


def test_vast(data_root: Path) -> None:
    docs = load_dataset("vast", data_root, split="dev")
    assert label_counts(docs) == {"none": 697, "against": 684, "favor": 681}
    assert len({d.meta["group"] for d in docs}) == 497
    assert sum(d.meta["seen"] == "1" for d in docs) == 1_043
    assert load_dataset("vast", data_root, split="train") == []


def test_malformed_row(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    path.write_text('{"text": "t", "target": " ", "stance": "NONE"}\n')
    with pytest.raises(DataError, match=r"dev\.jsonl:1: record 0 has an empty target"):
        load_dataset("vast", path)
