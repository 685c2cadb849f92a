"""BRAT standoff: what goes into the .ann, and reading it back (offsets checked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.doc import Document, Sentence, Span
from stance.io.brat import ANNOTATION_CONF, brat_annotations, read_brat, write_brat, write_conf


def test_brat_without_spans_writes_sentence_roles(tmp_path: Path) -> None:
    text = "Titre\nLa taxe est juste.\r\nElle rapporte.\nFin"
    sentences = (
        Sentence(0, 0, 5, "Titre", "none"),
        Sentence(1, 6, 24, text[6:24], "claim", stance="favor"),
        Sentence(2, 26, 40, text[26:40], "premise"),
    )
    doc = Document(id="d", text=text, sentences=sentences)
    write_brat(doc, tmp_path, "d")
    ann = (tmp_path / "d.ann").read_text(encoding="utf-8").splitlines()
    assert ann == [
        "T1\tClaim 6 24\tLa taxe est juste.",
        "A1\tStance T1 favor",
        "T2\tPremise 26 40\tElle rapporte.",
    ]
    back = read_brat(tmp_path / "d.txt", tmp_path / "d.ann")
    assert back.text == text  # no newline translation
    assert [(s.start, s.end, s.label) for s in back.spans] == [
        (6, 24, "claim"),
        (26, 40, "premise"),
    ]


def test_read_brat_rejects_offsets_that_do_not_match(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("Bonjour le monde", encoding="utf-8")
    (tmp_path / "x.ann").write_text("T1\tClaim 0 7\tBonsoir\n", encoding="utf-8")
    with pytest.raises(ValueError, match="does not match"):
        read_brat(tmp_path / "x.txt")


def test_spans_become_t_lines_with_brat_labels() -> None:
    text = "Il faut\nagir. Car il pleut. Bref."
    doc = Document(
        id="d",
        text=text,
        spans=(Span(0, 13, "majorclaim"), Span(14, 27, "premise"), Span(28, 32, "evidence")),
        # sentences are ignored when there are spans
        sentences=(Sentence(0, 0, 13, text[:13], "claim", stance="favor"),),
    )
    assert brat_annotations(doc).splitlines() == [
        "T1\tMajorClaim 0 13\tIl faut agir.",  # the shown text is on one line
        "T2\tPremise 14 27\tCar il pleut.",
        "T3\tEvidence 28 32\tBref",
    ]


def test_only_claim_and_premise_sentences_with_a_stance_get_attributes() -> None:
    text = "Un. Deux. Trois."
    sentences = (
        Sentence(0, 0, 3, "Un.", "premise", stance="against"),
        Sentence(1, 4, 9, "Deux.", "none", stance="favor"),
        Sentence(2, 10, 16, "Trois.", "claim"),
    )
    ann = brat_annotations(Document(id="d", text=text, sentences=sentences))
    assert ann.splitlines() == [
        "T1\tPremise 0 3\tUn.",
        "A1\tStance T1 against",
        "T2\tClaim 10 16\tTrois.",
    ]
    assert brat_annotations(Document(id="e", text="")) == ""


def test_conf_is_written_once(tmp_path: Path) -> None:
    write_conf(tmp_path)
    assert (tmp_path / "annotation.conf").read_text(encoding="utf-8") == ANNOTATION_CONF
    (tmp_path / "annotation.conf").write_text("[entities]\nMine\n", encoding="utf-8")
    write_conf(tmp_path)  # a user's own configuration is kept
    assert (tmp_path / "annotation.conf").read_text(encoding="utf-8") == "[entities]\nMine\n"


def test_read_brat_skips_other_lines_and_joins_discontinuous_entities(tmp_path: Path) -> None:
    text = "Bonjour le monde, il faut agir."
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    ann = (
        "T1\tClaim 18 31\til faut agir.\r\n"
        "A1\tStance T1 favor\r\n"
        "R1\tSupports Arg1:T1 Arg2:T2\r\n"
        "#1\tAnnotatorNotes T1\tà revoir\r\n"
        "T2\tPremise 0 7;11 16\tBonjour monde\r\n"
    )
    (tmp_path / "x.ann").write_bytes(ann.encode("utf-8"))
    doc = read_brat(tmp_path / "x.txt")
    assert (doc.id, doc.text, doc.source) == ("x", text, str(tmp_path / "x.txt"))
    assert doc.spans == (Span(18, 31, "claim"), Span(0, 16, "premise"))


def test_malformed_entity_line_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("Bonjour", encoding="utf-8")
    (tmp_path / "x.ann").write_text("T1\tClaim 0 7\tBonjour\nT2\tClaim zero 7\tBonjour\n")
    with pytest.raises(ValueError, match=r"x\.ann:2: malformed BRAT entity line"):
        read_brat(tmp_path / "x.txt")


def test_written_spans_read_back_identical(tmp_path: Path) -> None:
    text = "Titre\r\n\r\nIl faut  agir\tvite. Car\nil pleut."
    spans = (Span(9, 28, "claim"), Span(29, 42, "premise"), Span(0, 5, "majorclaim"))
    assert text[29:42] == "Car\nil pleut." and len(text) == 42
    txt, ann = write_brat(Document(id="d", text=text, spans=spans), tmp_path, "d")
    assert txt.read_bytes() == text.encode("utf-8")  # \r\n kept: offsets stay valid
    assert read_brat(txt, ann).spans == spans
