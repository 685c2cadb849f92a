"""UKP Sentential adapter on the real files: stance, partial roles, a malformed row."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import label_counts


@pytest.mark.parametrize(
    ("split", "favor", "against", "none"),
    [("train", 3_543, 4_444, 10_349), ("dev", 396, 496, 1_150)],
)
def test_ukp_sentential(data_root: Path, split: str, favor: int, against: int, none: int) -> None:
    docs = load_dataset("ukp-sentential", data_root, split=split)
    assert label_counts(docs) == {"favor": favor, "against": against, "none": none}
    assert len({d.meta["group"] for d in docs}) == 8 and not any(d.sentences for d in docs)
    for doc in docs:
        assert doc.stance and doc.target == doc.meta["group"]
        argument = doc.stance.label != "none"
        assert doc.meta["role_labels"] == (["claim", "premise"] if argument else ["none"])


def test_malformed_row(tmp_path: Path) -> None:
    path = tmp_path / "val.jsonl"
    path.write_text(
        '{"topic": "abortion", "sentence": "s", "label": "NoArgument"}\n{"topic": "x"}\n'
    )
    with pytest.raises(DataError, match=r"val\.jsonl:2: record 1 lacks 'sentence', 'label'"):
        load_dataset("ukp-sentential", path)
