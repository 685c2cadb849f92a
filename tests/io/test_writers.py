"""Output writers: one record per document, appends, file naming; the BRAT and CoNLL formats
themselves are in test_brat.py and test_conll.py."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from stance.doc import Document, Sentence, Span
from stance.io.brat import read_brat
from stance.io.conll import read_conll
from stance.io.writers import CSV_COLUMNS, WRITERS, open_writer

ERROR_DOC = Document(id="cassé", text="", source="cassé.txt").with_error("binary", "NUL bytes")


def write_all(fmt: str, out: str | None, docs: list[Document], append: bool = False) -> None:
    with open_writer(fmt, out, append=append) as writer:
        for doc in docs:
            writer.write(doc)


# --- JSONL -----------------------------------------------------------------------------------


def test_jsonl_one_record_per_document_and_append(tmp_path: Path, labelled_doc: Document) -> None:
    out = tmp_path / "sub" / "out.jsonl"
    hashed = replace(labelled_doc, meta={"hash": "abc"})
    write_all("jsonl", str(out), [hashed, ERROR_DOC])
    write_all("jsonl", str(out), [labelled_doc], append=True)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[0] == {**labelled_doc.to_dict(), "hash": "abc"}
    assert records[1] == ERROR_DOC.to_dict() and records[1]["sentences"] == []
    assert records[2] == labelled_doc.to_dict() and len(records) == 3
    assert "été" in out.read_text(encoding="utf-8")  # not \\u-escaped


def test_jsonl_overwrites_without_append(tmp_path: Path, labelled_doc: Document) -> None:
    out = tmp_path / "out.jsonl"
    write_all("jsonl", str(out), [labelled_doc, labelled_doc])
    write_all("jsonl", str(out), [ERROR_DOC])
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


@pytest.mark.parametrize("out", [None, "-"])
def test_jsonl_to_stdout(
    capsys: pytest.CaptureFixture[str], labelled_doc: Document, out: str | None
) -> None:
    write_all("jsonl", out, [labelled_doc])
    assert json.loads(capsys.readouterr().out) == labelled_doc.to_dict()


def test_each_record_is_one_write_even_when_the_os_writes_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, labelled_doc: Document
) -> None:
    """Whole records go out in one chunk; a short os.write is finished, never left torn."""
    real_write = os.write
    chunks: list[int] = []

    def short_write(fd: int, data: bytes | memoryview) -> int:
        chunks.append(len(data))
        return real_write(fd, bytes(data[: max(1, len(data) // 2)]))

    monkeypatch.setattr(os, "write", short_write)
    out = tmp_path / "out.jsonl"
    write_all("jsonl", str(out), [labelled_doc, ERROR_DOC])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == [labelled_doc.id, ERROR_DOC.id]
    first = len((json.dumps(labelled_doc.to_dict(), ensure_ascii=False) + "\n").encode())
    assert chunks[0] == first  # the first call carried the entire record


# --- CSV -------------------------------------------------------------------------------------


def test_csv_one_row_per_sentence(tmp_path: Path, labelled_doc: Document) -> None:
    out = tmp_path / "out.csv"
    write_all("csv", str(out), [labelled_doc])
    write_all("csv", str(out), [ERROR_DOC], append=True)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(CSV_COLUMNS) and len(rows) == 3  # header written once
    first, second, broken = rows
    assert (first["doc_id"], first["index"], first["start"], first["end"]) == (
        labelled_doc.id,
        "0",
        "0",
        "26",
    )
    assert first["text"] == labelled_doc.sentences[0].text and first["role"] == "claim"
    assert (first["role_claim"], first["stance_favor"], first["doc_stance"]) == (
        "0.8",
        "0.9",
        "favor",
    )
    assert second["role"] == "premise" and second["doc_stance_against"] == "0.15"
    assert broken["doc_id"] == "cassé" and broken["error"] == "binary: NUL bytes"
    assert broken["index"] == "" and broken["role"] == ""


# --- BRAT ------------------------------------------------------------------------------------


def test_brat_round_trip_keeps_spans(tmp_path: Path, labelled_doc: Document) -> None:
    other = replace(labelled_doc, id="blog/n°1_été")  # same safe name: must not overwrite
    write_all("brat", str(tmp_path), [labelled_doc, other])
    assert (tmp_path / "annotation.conf").exists()
    txts = sorted(tmp_path.glob("*.txt"))
    assert [p.name for p in txts] == ["blog_n_1_été.txt", "blog_n_1_été_2.txt"]
    ann = txts[0].with_suffix(".ann").read_text(encoding="utf-8")
    assert ann.splitlines()[0] == "T1\tClaim 0 25\tIl faut taxer le kérosène"
    back = read_brat(txts[0])
    assert back.text == labelled_doc.text
    assert [(s.start, s.end, s.label) for s in back.spans] == [
        (s.start, s.end, s.label) for s in labelled_doc.spans
    ]


def test_brat_needs_a_directory() -> None:
    with pytest.raises(ValueError, match="directory"):
        open_writer("brat", None)


# --- CoNLL -----------------------------------------------------------------------------------


def test_conll_round_trip_on_tokenised_text(tmp_path: Path) -> None:
    """With text that is already tokens joined by spaces, offsets come back identical."""
    text = "Je pense que nous devons agir . Les forêts brûlent chaque été ."
    claim, premise, cut = text.index("nous"), text.index("Les"), text.index(" Les")
    spans = (
        Span(claim, text.index(" ."), "claim"),
        Span(premise, text.rindex(" ."), "premise"),
        Span(0, len("Je pense"), "majorclaim"),
    )
    sentences = (Sentence(0, 0, cut, text[:cut]), Sentence(1, cut + 1, len(text), text[cut + 1 :]))
    doc = Document(id="essai 1", text=text, target="Climat", sentences=sentences, spans=spans)
    out = tmp_path / "out.conll"
    write_all("conll", str(out), [doc, ERROR_DOC])
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[:4] == [
        "# doc_id = essai 1",
        "# target = Climat",
        "Je\tB-majorclaim",
        "pense\tI-majorclaim",
    ]
    back, broken = read_conll(out)
    assert (back.id, back.text, back.target) == ("essai 1", text, "Climat")
    assert sorted(back.spans, key=lambda s: s.start) == sorted(spans, key=lambda s: s.start)
    assert [(s.start, s.end, s.role) for s in back.sentences] == [
        (0, cut, "claim"),
        (cut + 1, len(text), "premise"),
    ]
    assert (broken.id, broken.text, broken.spans) == ("cassé", "", ())


def test_registry_and_unknown_format() -> None:
    assert {"jsonl", "csv", "brat", "conll"} <= set(WRITERS)
    with pytest.raises(ValueError, match="unknown output format"):
        open_writer("xml", None)
