"""The shared row reader: full and partial labels, unlabelled values, split from file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.rows import Schema, file_split, read_rows

SCHEMA = Schema(
    "toy",
    text="t",
    target="q",
    label="y",
    group="g",
    stances={"yes": ["favor"], "no": ["against"]},
    roles={"yes": ["claim"], "no": ["none"]},
    unlabelled=frozenset({"free"}),
)


def test_full_labels_give_gold_stance_and_sentence(tmp_path: Path) -> None:
    path = tmp_path / "toy_val.jsonl"
    path.write_text(
        '{"t": "Oui.", "q": "Q ?", "y": "yes", "g": 7}\n{"t": "?", "q": "Q", "y": "free", "g": 7}\n'
    )
    yes, free = read_rows(path, "strict", SCHEMA)
    assert yes.id == "toy:toy_val:0" and yes.source == f"{path}#row0"
    assert yes.stance and yes.stance.label == "favor" and yes.sentences[0].role == "claim"
    assert yes.meta == {
        "source": "toy",
        "language": "en",
        "group": "7",
        "split": "dev",
        "source_label": "yes",
    }
    assert free.stance is None and not free.sentences and free.meta["source_label"] == "free"


def test_partial_labels_go_to_meta_for_every_row(tmp_path: Path) -> None:
    schema = Schema(
        "toy", "t", "q", "y", "g", stances={"yes": ["favor"], "not": ["against", "none"]}
    )
    path = tmp_path / "toy.jsonl"
    path.write_text(
        '{"t": "a", "q": "b", "y": "yes", "g": 1}\n{"t": "a", "q": "b", "y": "not", "g": 1}\n'
    )
    yes, no = read_rows(path, "strict", schema)
    assert yes.stance is None and yes.meta["stance_labels"] == ["favor"]
    assert no.meta["stance_labels"] == ["against", "none"] and no.meta["split"] is None
    path.write_text('{"t": "a", "q": "b", "y": "maybe", "g": 1}\n')
    with pytest.raises(DataError, match=r"toy\.jsonl:1: unknown label 'maybe' \(known: not, yes\)"):
        read_rows(path, "strict", schema)


def test_file_split() -> None:
    names = ["train.jsonl", "catalan_val.csv", "dev.fr.jsonl", "RTE3-FR-dev-set-3class.tsv"]
    assert [file_split(Path(n)) for n in names] == ["train", "dev", "dev", "dev"]
    assert file_split(Path("hossain_MNLI.tsv")) is None and file_split(Path("devil.tsv")) is None
