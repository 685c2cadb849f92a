"""Perspectrum adapter on the real files (counts of SOURCE.txt) and a malformed row."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import label_counts


@pytest.mark.parametrize(
    ("split", "counts", "claims"),
    [
        ("train", {"favor": 3_599, "against": 3_379}, 541),
        ("dev", {"favor": 1_047, "against": 1_024}, 139),
    ],
)
def test_perspectrum(data_root: Path, split: str, counts: dict[str, int], claims: int) -> None:
    docs = load_dataset("perspectrum", data_root, split=split)
    assert label_counts(docs) == counts
    assert len({d.meta["group"] for d in docs}) == claims
    doc = docs[0]
    assert doc.target == "Male infant circumcision is tantamount to child abuse" or split == "dev"
    assert doc.meta["source"] == "perspectrum" and doc.meta["language"] == "en"
    assert doc.meta["group"] == str(doc.meta["claim_id"]) and doc.id == f"perspectrum:{split}:0"


def test_malformed_row(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_text('{"claim_id": 1, "claim": "c", "perspective": "p", "stance": "NEUTRAL"}\n')
    with pytest.raises(DataError, match=r"train\.jsonl:1: unknown label 'NEUTRAL' \(known: SUPP"):
        load_dataset("perspectrum", path)
