"""IAM adapters (stance, claims) on the real files and malformed rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import label_counts


def test_iam_stance(data_root: Path) -> None:
    train = load_dataset("iam-stance", data_root, split="train")
    dev = load_dataset("iam-stance", data_root, split="dev")
    assert label_counts(train) == {"favor": 2_098, "against": 1_773}
    assert label_counts(dev) == {"favor": 259, "against": 233}
    assert len({d.meta["group"] for d in train}) == 95
    assert all(d.target == d.meta["group"] and d.meta["article_id"] for d in train)


def test_iam_claims_are_partial_roles_over_the_stance_dev_sentences(data_root: Path) -> None:
    claims = load_dataset("iam-claims", data_root / "xling/iam")
    assert label_counts(claims) == {"claim": 492, "none|premise": 6_565}
    assert not any(d.stance or d.sentences for d in claims)
    stance_dev = load_dataset("iam-stance", data_root, split="dev")
    claimed = {d.text for d in claims if d.meta["role_labels"] == ["claim"]}
    assert {d.text for d in stance_dev} == claimed  # the docstring's warning


def test_malformed_rows(tmp_path: Path) -> None:
    path = tmp_path / "stance_train.jsonl"
    path.write_text('{"topic": "t", "sentence": "s", "stance_label": 2, "article_id": "1"}\n')
    with pytest.raises(DataError, match=r"stance_train\.jsonl:1: unknown label '2'"):
        load_dataset("iam-stance", path)
    path = tmp_path / "claims_dev.jsonl"
    path.write_text('{"topic": "t", "sentence": "s", "claim_label": "P"}\n')
    with pytest.raises(DataError, match=r"claims_dev\.jsonl:1: unknown label 'P'"):
        load_dataset("iam-claims", path)
