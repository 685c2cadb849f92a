"""Shared readers: every malformed record is a ``DataError`` naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError, csv_rows, gold_stance, json_lines, read_text


def test_undecodable_bytes_name_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok\nok\nbad \xff")
    with pytest.raises(DataError, match=r"bad\.txt:3: not valid UTF-8 at byte 10 "):
        read_text(path, "strict")
    path.write_bytes(b"\xef\xbb\xbfok\nbad \xff\n")  # a BOM is dropped
    with pytest.raises(DataError, match=r"bad\.txt:2: not valid UTF-8 at byte 10"):
        read_text(path, "strict")
    assert read_text(path, "replace") == "ok\nbad \ufffd\n"


def test_csv_records_know_their_first_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,"x\ny"\n\n2,z\n', newline="")
    rows = list(csv_rows(path, "strict", required=("a",)))
    assert [(r.n, r.line, r.rec) for r in rows] == [
        (0, 2, {"a": "1", "b": "x\ny"}),
        (1, 5, {"a": "2", "b": "z"}),
    ]
    path.write_text('a\tb\n1\t"x\n2\n')  # TSV: quotes are text, a short row is an error
    with pytest.raises(DataError, match=r"t\.csv:3: record 1 has 1 fields, expected 2"):
        list(csv_rows(path, "strict", delimiter="\t"))
    path.write_text("")
    with pytest.raises(DataError, match=r"t\.csv:1: empty file"):
        list(csv_rows(path, "strict"))


def test_json_lines_count_records_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('\n{"a": 1}\n\n{"a": 2}\n')
    assert [(r.n, r.line) for r in json_lines(path, "strict")] == [(0, 2), (1, 4)]


def test_gold_stance_labels() -> None:
    assert gold_stance("FAVOUR", Path("f"), 3).label == "favor"
    with pytest.raises(DataError, match=r"^f:3: unknown stance label 'pro'$"):
        gold_stance("pro", Path("f"), 3)
