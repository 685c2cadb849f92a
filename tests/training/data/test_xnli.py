"""XNLI dev adapter on the real files (four languages, parallel pairs) and a malformed row."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from stance.training.data.splits import split_by_group
from tests.training.data.helpers import label_counts


def test_xnli(data_root: Path) -> None:
    docs = load_dataset("xnli", data_root, split="dev")
    for lang in ("de", "en", "es", "fr"):
        rows = [d for d in docs if d.meta["language"] == lang]
        assert label_counts(rows) == {"favor": 830, "against": 830, "none": 830}
    fr = [d for d in docs if d.meta["language"] == "fr"]
    assert (fr[1].text, fr[1].target) == (
        "Et il a dit, maman, je suis à la maison.",  # premise
        "Il n'a pas dit un mot.",  # hypothesis = the target
    )
    assert fr[1].stance and fr[1].stance.label == "against"
    train, dev = split_by_group(docs, key="group")  # a pair and its translations stay together
    assert len(train) % 4 == 0 and {d.meta["group"] for d in train}.isdisjoint(
        {d.meta["group"] for d in dev}
    )


def test_malformed_row(tmp_path: Path) -> None:
    path = tmp_path / "dev.fr.jsonl"
    path.write_text('{"idx": 0, "premise": "p", "hypothesis": "h", "label": "neutral"}\n')
    with pytest.raises(DataError, match=r"dev\.fr\.jsonl:1: record 0 lacks 'lang'"):
        load_dataset("xnli", path)
