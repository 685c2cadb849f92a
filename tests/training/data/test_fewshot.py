"""Few-shot adapter (``fewshot``) on the real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import default_paths, load_dataset


def test_fewshot(data_root: Path) -> None:
    files = default_paths("fewshot", root=data_root)
    assert len(files) == 32
    for path in files:
        docs = load_dataset("fewshot", path)
        size = int(path.stem.split("_")[2])  # xstance-fr_train_<size>[_<seed>]
        assert len(docs) == size
        assert all(d.target and d.stance and d.meta["split"] == "train" for d in docs)
    every = load_dataset("fewshot", data_root / "fewshot")
    xstance = [d for d in every if d.meta["dataset"] == "xstance-fr"]
    assert len({d.meta["uid"] for d in xstance}) == 155
    assert {d.stance.label for d in every if d.stance} == {"favor", "against", "none"}


def test_malformed_rows_are_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "e-fra_train_32.json"
    path.write_text('{"uid": 1, "premise": "Macron", "hypothesis": "Oui", "label": "none"}\n[1]\n')
    with pytest.raises(DataError, match=r"e-fra_train_32\.json:2: record 1 is not a JSON object"):
        load_dataset("fewshot", path)
