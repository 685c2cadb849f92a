"""IBM Debater Evidence Sentences adapter: partial roles on the real file, a malformed row."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import label_counts


def test_ibm_evidence(data_root: Path) -> None:
    docs = load_dataset("ibm-evidence", data_root, split="train")
    assert label_counts(docs) == {"premise": 1_499, "claim|none": 2_566}
    assert len({d.meta["group"] for d in docs}) == 83
    assert not any(d.stance or d.sentences for d in docs)
    assert docs[0].target == "We should limit executive compensation"
    assert docs[0].text.startswith("A say on pay - a non-binding vote")


def test_malformed_row(tmp_path: Path) -> None:
    path = tmp_path / "train.csv"
    path.write_text('topic,candidate,label\nt,"a, b",1\nt,c,0,extra\n')
    with pytest.raises(DataError, match=r"train\.csv:3: record 1 has 4 fields, expected 3"):
        load_dataset("ibm-evidence", path)
    path.write_text("topic,sentence,label\n")
    with pytest.raises(DataError, match=r"train\.csv:1: header lacks 'candidate'"):
        load_dataset("ibm-evidence", path)
