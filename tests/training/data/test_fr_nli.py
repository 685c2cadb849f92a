"""French NLI adapter (DACCORD, RTE3-FR dev) on the real files and malformed rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import label_counts


def test_fr_nli(data_root: Path) -> None:
    docs = load_dataset("fr-nli", data_root)
    daccord = [d for d in docs if d.meta["source"] == "daccord"]
    rte3 = load_dataset("fr-nli", data_root, split="dev")
    assert len(docs) == len(daccord) + len(rte3)
    assert label_counts(daccord) == {"against": 515, "favor|none": 519}
    assert not any(d.stance for d in daccord) and {d.meta["split"] for d in daccord} == {None}
    assert label_counts(rte3) == {"favor": 409, "none": 300, "against": 91}
    assert {d.meta["source"] for d in rte3} == {"rte3-fr"}
    assert len({d.meta["group"] for d in daccord}) == 898  # hypotheses on one premise
    assert rte3[0].target == "Baikalfinansgroup a été vendu à Rosneft."
    assert all(d.meta["language"] == "fr" for d in docs)


def test_malformed_rows(tmp_path: Path) -> None:
    path = tmp_path / "daccord_dataset.tsv"
    path.write_text("id\tpremise\thypothesis\tlabel\tlabel_text\na1\tp\th\t0\tneutral\n")
    with pytest.raises(DataError, match=r"daccord_dataset\.tsv:2: unknown label 'neutral'"):
        load_dataset("fr-nli", path)
