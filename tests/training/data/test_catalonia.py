"""Catalonia Independence adapter on the real files and malformed rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import label_counts


@pytest.mark.parametrize(
    ("split", "lang", "counts"),
    [
        ("train", "ca", {"against": 2_416, "favor": 2_335, "none": 1_277}),
        ("dev", "ca", {"against": 820, "favor": 763, "none": 427}),
        ("train", "es", {"favor": 2_515, "against": 2_420, "none": 1_111}),
        ("dev", "es", {"against": 856, "favor": 782, "none": 377}),
    ],
)
def test_catalonia(data_root: Path, split: str, lang: str, counts: dict[str, int]) -> None:
    docs = load_dataset("catalonia", data_root, split=split)
    docs = [d for d in docs if d.meta["language"] == lang]
    assert label_counts(docs) == counts
    assert {d.target for d in docs} == {
        "ca": {"La independència de Catalunya"},
        "es": {"La independencia de Cataluña"},
    }[lang]
    assert len({d.id for d in docs}) == len(docs)  # ids are ours: the tweet ids are mangled


def test_malformed_rows(tmp_path: Path) -> None:
    path = tmp_path / "catalan_train.csv"
    path.write_text('id_str\tTWEET\tLABEL\r\n1\t"cita\tFAVOR\r\n2\tno\tNEUTRAL\textra\r\n')
    with pytest.raises(DataError, match=r"catalan_train\.csv:3: record 1 has 4 fields"):
        load_dataset("catalonia", path)
    other = tmp_path / "french_train.csv"
    other.write_text("id_str\tTWEET\tLABEL\n")
    with pytest.raises(DataError, match=r"french_train\.csv: no schema for this file"):
        load_dataset("catalonia", other)
