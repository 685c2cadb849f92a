"""The project's own schema (``jsonl``): records written by ``to_record`` read back equal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.export import to_record
from stance.training.data.registry import load_dataset


def test_jsonl_schema_round_trip(tmp_path: Path, data_root: Path) -> None:
    docs = load_dataset("pe-fr-bio", data_root / "pe_fr/dev_PE.fr")[:20]
    docs += load_dataset("xstance", data_root / "xstance/valid.fr.jsonl")[:20]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(to_record(d), ensure_ascii=False) + "\n" for d in docs))
    assert load_dataset("jsonl", path) == docs


def test_malformed_records_are_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n\n{"id": "x"}\n')
    with pytest.raises(DataError, match=r"gold\.jsonl:3: record 1 lacks 'id' or 'text'"):
        load_dataset("jsonl", path)
    path.write_text('{"id": "a", "text": "x", "sentences": [{"index": 0}]}\n')
    with pytest.raises(DataError, match=r"gold\.jsonl:1: record 0 is malformed"):
        load_dataset("jsonl", path)
