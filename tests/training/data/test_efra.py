"""E-FRA adapter (``efra``) on the real file: README counts, split by tweet."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import stance_counts


def test_efra(data_root: Path) -> None:
    docs = load_dataset("efra", data_root / "efra/macron_train.csv")
    assert len(docs) == 424
    assert stance_counts(docs) == {"against": 244, "favor": 71, "none": 109}
    assert {d.meta["target_name"] for d in docs} == {"Emmanuel Macron"}
    assert any("\n" in d.text for d in docs)  # quoted multi-line tweets stay whole


def test_efra_splits_by_tweet(data_root: Path) -> None:
    train = load_dataset("efra", data_root, split="train")
    dev = load_dataset("efra", data_root, split="dev")
    assert (len(train), len(dev)) == (339, 85)
    assert not {d.id for d in train} & {d.id for d in dev}
    assert load_dataset("efra", data_root, split="comments") == []


def test_malformed_rows_are_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "macron_train.csv"
    head = "id,target,text,stance,set\n"
    path.write_text(head + '1,Macron,"deux\nlignes",FAVOUR,train\n2,Macron,court,NONE\n')
    with pytest.raises(DataError, match=r"macron_train\.csv:4: record 1 has 4 fields"):
        load_dataset("efra", path)
    path.write_text(head + "1,Macron,oui,PRO,train\n")
    with pytest.raises(DataError, match=r"macron_train\.csv:2: unknown stance label 'PRO'"):
        load_dataset("efra", path)
    path.write_text("id,target,tweet,stance,set\n")
    with pytest.raises(DataError, match=r"macron_train\.csv:1: header lacks 'text'"):
        load_dataset("efra", path)
