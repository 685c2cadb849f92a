"""SemEval-2016 Task 6 A adapter on the real file and a malformed row."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import label_counts


def test_semeval2016(data_root: Path) -> None:
    docs = load_dataset("semeval2016", data_root / "xling/semeval2016_t6")
    assert label_counts(docs) == {"against": 1_342, "none": 741, "favor": 731}
    assert {d.meta["group"] for d in docs} == {
        "Atheism",
        "Climate Change is a Real Concern",
        "Feminist Movement",
        "Hillary Clinton",
        "Legalization of Abortion",
    }
    assert all(d.target == d.meta["group"] and d.meta["split"] == "train" for d in docs)


def test_malformed_row(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_text('{"target": "Atheism", "text": "t", "stance": "favor"}\n')
    with pytest.raises(DataError, match=r"train\.jsonl:1: unknown label 'favor'"):
        load_dataset("semeval2016", path)
