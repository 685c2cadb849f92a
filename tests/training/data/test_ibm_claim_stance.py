"""IBM Debater Claim Stance adapter on the real file and a malformed row."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import label_counts


def test_ibm_claim_stance(data_root: Path) -> None:
    docs = load_dataset("ibm-claim-stance", data_root, split="train")
    assert label_counts(docs) == {"favor": 625, "against": 414}
    assert len({d.meta["group"] for d in docs}) == 25
    doc = docs[1]
    assert doc.text == "A party's basic function is to choose its own leaders"  # corrected text
    assert doc.target and doc.target.startswith("This house believes that open primaries")
    assert load_dataset("ibm-claim-stance", data_root, split="dev") == []


def test_malformed_row(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_text(
        '{"topicId": "1", "topicText": "t", "claimCorrectedText": "", "stance": "PRO"}\n'
    )
    with pytest.raises(DataError, match=r"train\.jsonl:1: record 0 has an empty text"):
        load_dataset("ibm-claim-stance", path)
