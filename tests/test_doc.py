"""The data model: offsets, JSON records (rounded, optional keys) and records read back."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace

import pytest

from stance.doc import ROLES, SPAN_LABELS, STANCES, Document, Sentence, Span


def test_label_sets() -> None:
    assert ROLES == ("claim", "premise", "none")
    assert STANCES == ("favor", "against", "none")
    assert SPAN_LABELS == ("claim", "premise")


def test_objects_are_frozen(labelled_doc: Document) -> None:
    with pytest.raises(FrozenInstanceError):
        labelled_doc.text = "autre"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        labelled_doc.sentences[0].role = "none"  # type: ignore[misc]


def test_offsets_point_into_the_text(labelled_doc: Document) -> None:
    for s in labelled_doc.sentences:
        assert labelled_doc.text[s.start : s.end] == s.text


def test_span_record() -> None:
    assert Span(0, 3, "claim").to_dict() == {"start": 0, "end": 3, "label": "claim"}
    assert Span(5, 10, "premise", 0.123456).to_dict("Oui, il pleut.") == {
        "start": 5,
        "end": 10,
        "label": "premise",
        "score": 0.1235,
        "text": "il pl",
    }


def test_sentence_record_rounds_scores_and_lists_flags_only_when_set() -> None:
    s = Sentence(0, 0, 4, "Oui.", "claim", {"claim": 0.987654, "none": 0.012346})
    rec = s.to_dict()
    assert rec["role_scores"] == {"claim": 0.9877, "none": 0.0123}
    assert rec["stance"] is None and rec["stance_scores"] is None
    assert "flags" not in rec
    assert replace(s, flags=("windowed",)).to_dict()["flags"] == ["windowed"]


def test_document_record_optional_keys(labelled_doc: Document) -> None:
    rec = labelled_doc.to_dict()
    assert list(rec) == ["id", "source", "target", "stance", "sentences", "error", "spans"]
    assert rec["stance"] == {
        "label": "favor",
        "scores": {"favor": 0.8, "against": 0.15, "none": 0.05},
        "evidence": [],
    }
    assert rec["spans"][0] == {"start": 0, "end": 25, "label": "claim", "score": 0.8,
                               "text": "Il faut taxer le kérosène"}  # fmt: skip
    json.dumps(rec)
    bare = Document(id="x", text="Du texte.")
    assert bare.to_dict() == {
        "id": "x", "source": "", "target": None, "stance": None, "sentences": [], "error": None,
    }  # fmt: skip
    extracted = replace(
        bare, text_extracted=True, meta={"hash": "h1", "main_claims": [{"sentence": 0}]}
    )
    rec = extracted.to_dict()
    assert (rec["text"], rec["hash"], rec["main_claims"]) == ("Du texte.", "h1", [{"sentence": 0}])
    assert "main_claims" not in replace(bare, meta={"main_claims": []}).to_dict()


def test_with_error_drops_the_annotations(labelled_doc: Document) -> None:
    broken = labelled_doc.with_error("decode_error", "byte 0xff")
    assert broken.error == {"type": "decode_error", "message": "byte 0xff"}
    assert broken.sentences == () and broken.stance is None
    assert (broken.id, broken.text, broken.target) == (
        labelled_doc.id,
        labelled_doc.text,
        labelled_doc.target,
    )


def test_record_read_back_is_the_same_document(labelled_doc: Document) -> None:
    rec = json.loads(json.dumps(labelled_doc.to_dict()))
    back = Document.from_dict(rec, text=labelled_doc.text)  # records carry no text by default
    assert back == labelled_doc
    flagged = replace(
        labelled_doc,
        sentences=(replace(labelled_doc.sentences[0], flags=("windowed",)),),
        text_extracted=True,
        meta={"main_claims": [{"sentence": 0, "premises": [1]}], "topic": "t"},
    )
    rec = flagged.to_dict()
    rec["meta"] = {"topic": "t"}  # meta is read back when a record has it
    back = Document.from_dict(rec)  # the extracted text travels in the record
    assert back.text == flagged.text
    # the record has no `text_extracted` key: the flag itself is not read back
    assert replace(back, text_extracted=True) == flagged


def test_record_without_text_or_optional_fields() -> None:
    doc = Document.from_dict({"id": 7})
    assert (doc.id, doc.text, doc.source, doc.sentences, doc.spans) == ("7", "", "", (), ())
    assert doc.stance is None and doc.error is None and not doc.text_extracted


def test_gold_stance_may_give_only_its_label() -> None:
    rec = {"id": "p1", "text": "Oui.", "target": "T", "stance": {"label": "favor"}}
    doc = Document.from_dict(rec)
    assert doc.stance is not None and doc.stance.label == "favor"
    assert doc.stance.scores == {"favor": 1.0}
