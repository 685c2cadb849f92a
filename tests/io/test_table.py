"""The terminal table of `stance predict` (stance.io.table): numbering, pills, boilerplate."""

from __future__ import annotations

from dataclasses import replace

import pytest

from stance.doc import Document
from stance.io.table import print_table, sentence_row
from tests.io.test_html import _doc


def _lines(capsys: pytest.CaptureFixture[str], docs: list[Document]) -> list[str]:
    print_table(docs, width=120)
    return capsys.readouterr().out.splitlines()


def _numbers(lines: list[str]) -> list[str]:
    return [
        cells[1].strip() for ln in lines if len(cells := ln.split("│")) > 2 and cells[1].strip()
    ]


def test_sentences_are_numbered_from_one(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _lines(capsys, [_doc()])
    assert _numbers(lines) == ["1", "2", "3"]
    assert "stance toward « la taxe »: against (0.70), decided by #2" in "\n".join(lines)


def test_boilerplate_rows_are_dimmed_and_show_no_stance() -> None:
    claim, premise, boiler = _doc().sentences
    assert sentence_row(claim) == (
        ("1", claim.text, "[bold magenta]claim 0.90[/]", "[green]favor 0.25[/]"),
        None,
    )
    assert sentence_row(premise)[0][3] == "[red]against 0.70[/]"
    cells, style = sentence_row(replace(boiler, stance="favor"))  # role none, favor 0.25: weak
    assert cells[0] == "3" and cells[3] == "-" and style == "dim"
    strong = replace(boiler, stance="against")  # role none, against 0.70 < 0.75: still weak
    assert sentence_row(strong)[1] == "dim"
    scores = {"favor": 0.9, "against": 0.05, "none": 0.05}
    cells, style = sentence_row(replace(boiler, stance="favor", stance_scores=scores))
    assert cells[3] == "[green]favor 0.90[/]" and style is None  # a strong stance is kept


def test_stance_none_shows_no_stance_and_markup_is_escaped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    claim = replace(_doc().sentences[0], stance="none", text="Il faut [bold]taxer[/bold].")
    assert sentence_row(claim)[0][3] == "-"
    out = "\n".join(_lines(capsys, [_doc(sentences=(claim,))]))
    assert "[bold]taxer[/bold]" in out


def test_errors_and_documents_without_target(capsys: pytest.CaptureFixture[str]) -> None:
    bad = Document(id="bad.txt", text="").with_error("decode_error", "byte [0xff]")
    sents = tuple(replace(s, stance=None, stance_scores=None) for s in _doc().sentences)
    out = "\n".join(_lines(capsys, [bad, _doc(target=None, stance=None, sentences=sents)]))
    assert "bad.txt: decode_error: byte [0xff]" in out
    assert "stance toward" not in out and "favor" not in out
