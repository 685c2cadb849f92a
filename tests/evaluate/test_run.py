"""``stance evaluate``: a model run over gold data, its predictions handed to the harness.

The models are stand-ins (fixed logits), so the numbers are known in advance.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import stance.evaluate.run as run
from stance.doc import ROLES, STANCES, DocStance, Document, Sentence, Span
from stance.model.part import ModelError
from stance.model.tasks import SPAN_TAGS_MERGED, doc_words, word_tags
from tests.tiny import write_jsonl

XS = ("favor", "against")


class FakePair:
    """Records its inputs; logits favour the first label unless the text says otherwise."""

    def __init__(self, labels: tuple[str, ...], context: int = 0, chars: int = 120) -> None:
        self.labels = labels
        self.info = SimpleNamespace(temperature=1.0, context=context, context_chars=chars)
        self.calls: list[dict[str, Any]] = []

    def logits(
        self, first: list[str], second: list[str] | None, long_side: str
    ) -> tuple[np.ndarray, list[bool]]:
        self.calls.append({"first": first, "second": second, "long_side": long_side})
        texts = second if long_side == "second" and second is not None else first
        out = np.zeros((len(first), len(self.labels)))
        for i, text in enumerate(texts):
            hit = [j for j, label in enumerate(self.labels) if label in text.lower()]
            out[i, hit[0] if hit else 0] = 5.0
        return out, [False] * len(first)


class FakeTagger:
    """Tags each word with its gold tag: every span is found."""

    labels = SPAN_TAGS_MERGED

    def __init__(self, docs: list[Document]) -> None:
        self.docs = docs

    def word_proba(self, words: list[list[str]]) -> list[np.ndarray]:
        out = []
        for doc, ws in zip(self.docs, words, strict=True):
            tags = word_tags(doc, doc_words(doc), merge_majorclaim=True)
            assert len(tags) == len(ws)
            out.append(np.eye(len(self.labels))[[self.labels.index(t) for t in tags]])
        return out


def _nlp(tmp_path: Path, **parts: Any) -> SimpleNamespace:
    return SimpleNamespace(
        component=parts.get("component"),
        stance_model=parts.get("stance_model"),
        span=parts.get("span"),
        directory=tmp_path,
        part_paths={},
        config=SimpleNamespace(stance_threshold=0.0),
    )


def _role_doc(doc_id: str, *sentences: tuple[str, str | None]) -> Document:
    sents, start = [], 0
    for i, (text, role) in enumerate(sentences):
        sents.append(Sentence(i, start, start + len(text), text, role=role))
        start += len(text) + 1
    text = " ".join(t for t, _ in sentences)
    return Document(id=doc_id, text=text, sentences=tuple(sents))


def test_component_predictions_use_the_part_context(tmp_path: Path) -> None:
    docs = [
        _role_doc("a", ("Claim : il faut agir.", "claim"), ("Premise : il pleut.", "premise")),
        _role_doc("b", ("Rien.", None)),
    ]
    part = FakePair(ROLES, context=1, chars=5)
    gold, logits, labels, texts, targets = run.component_predictions(
        _nlp(tmp_path, component=part), docs
    )
    assert gold == ["claim", "premise", "none"]  # no gold role reads as none
    assert labels == ROLES and targets is None
    assert texts == ["Claim : il faut agir.", "Premise : il pleut.", "Rien."]
    assert logits.argmax(1).tolist() == [0, 1, 0]
    (call,) = part.calls
    assert call["long_side"] == "first"
    assert call["second"] == [
        "[début] [phrase] Premi",
        "agir. [phrase] [fin]",
        "[début] [phrase] [fin]",
    ]
    lone = FakePair(ROLES, context=0)
    run.component_predictions(_nlp(tmp_path, component=lone), docs)
    assert lone.calls[0]["second"] is None  # a part trained without context reads sentences


def test_stance_predictions_skip_documents_without_gold(tmp_path: Path) -> None:
    docs = [
        Document("1", "Je suis against.", target="T1", stance=DocStance("against", {})),
        Document("2", "Pas de gold.", target="T2"),
        Document("3", "Plutôt favor.", target="T3", stance=DocStance("favor", {})),
    ]
    part = FakePair(STANCES)
    gold, logits, _, texts, targets = run.stance_predictions(
        _nlp(tmp_path, stance_model=part), docs
    )
    assert gold == ["against", "favor"] and targets == ["T1", "T3"]
    assert texts == ["Je suis against.", "Plutôt favor."]
    assert part.calls[0]["first"] == ["T1", "T3"] and part.calls[0]["long_side"] == "second"
    assert logits.argmax(1).tolist() == [1, 0]


def test_missing_part_is_a_model_error(tmp_path: Path) -> None:
    nlp = _nlp(tmp_path)
    with pytest.raises(ModelError, match="no component part"):
        run.component_predictions(nlp, [])  # type: ignore[arg-type]
    with pytest.raises(ModelError, match="no stance part"):
        run.stance_predictions(nlp, [])  # type: ignore[arg-type]


def test_partitions_keep_keys_that_split_the_data() -> None:
    docs = [
        Document("1", "x", stance=DocStance("favor", {}), meta={"topic": "a", "language": "fr"}),
        Document("2", "y", stance=DocStance("favor", {}), meta={"topic": "b", "language": "fr"}),
        Document("3", "z", meta={"topic": "c"}),  # no gold: not scored, not partitioned
    ]
    assert run._partitions(docs) == {"topic": ["a", "b"]}


def test_evaluate_model_component_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [
        _role_doc("a", ("Claim : il faut agir.", "claim"), ("Premise : il pleut.", "premise")),
        _role_doc("b", ("Claim : oui.", "claim"), ("Rien du tout.", "none")),
    ]
    data = Path(write_jsonl(docs, tmp_path / "gold.jsonl").split(":", 1)[1])
    monkeypatch.setattr(run, "load", lambda model, **kw: _nlp(tmp_path, component=FakePair(ROLES)))
    rep = run.evaluate_model(None, "component", data, "jsonl", tmp_path / "out", baselines=False)
    # "Rien du tout." has no cue: the fake answers claim (first label)
    assert rep["n"] == 4 and rep["accuracy"] == pytest.approx(3 / 4)
    assert rep["per_class"]["premise"]["f1"] == 1.0
    assert json.loads((tmp_path / "out" / "report.json").read_text())["extra"]["data"] == str(data)
    with pytest.raises(ValueError, match="unknown task"):
        run.evaluate_model(None, "topic", data, "jsonl", tmp_path / "o2", baselines=False)


def test_evaluate_model_span_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Il faut taxer le kérosène . Car les avions polluent beaucoup ."
    spans = (Span(0, 25, "claim"), Span(28, 60, "premise"))
    assert text[28:60] == "Car les avions polluent beaucoup"
    docs = [Document("a", text, spans=spans), Document("b", "Rien à signaler ici .")]
    data = Path(write_jsonl(docs, tmp_path / "gold.jsonl").split(":", 1)[1])
    gold_docs = run._load_gold("jsonl", data, None, "auto")
    monkeypatch.setattr(run, "load", lambda model, **kw: _nlp(tmp_path, span=FakeTagger(gold_docs)))
    rep = run.evaluate_model(None, "span", data, "jsonl", tmp_path / "out", baselines=False)
    assert rep["span_f1_exact"] == 1.0 and rep["n_docs"] == 2
    lines = (tmp_path / "out" / "tags.jsonl").read_text().splitlines()
    tags = [json.loads(line) for line in lines]
    assert len(tags) == 2 and all(t["gold"] == t["pred"] for t in tags)  # for paired tests
    assert rep["extra"]["backend"] == "torch" and rep["extra"]["quantize"] is None


def test_no_documents_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(ValueError, match="no documents"):
        run.evaluate_model(None, "component", empty, "jsonl", tmp_path / "out")


def test_a_none_stance_on_binary_xstance_counts_as_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The contract: X-Stance is scored on {favor, against}; the model's `none` is an error."""
    rows = [("Oui, bien sûr.", "FAVOR"), ("Non, jamais.", "AGAINST"), ("Peut-être.", "FAVOR")]
    path = tmp_path / "valid.fr.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": i,
                    "language": "fr",
                    "question_id": 1,
                    "question": "Faut-il ?",
                    "comment": text,
                    "label": label,
                    "topic": "t",
                }
            )
            + "\n"
            for i, (text, label) in enumerate(rows)
        ),
        encoding="utf-8",
    )
    # favor, against, then none for the third comment (columns: favor, against, none)
    logits = np.array([[3.0, 0.0, 0.0], [0.0, 3.0, 0.0], [1.0, 0.0, 3.0]])
    part = SimpleNamespace(
        labels=STANCES,
        info=SimpleNamespace(temperature=1.0),
        logits=lambda targets, texts, long_side: (logits[: len(texts)], None),
    )
    fake = SimpleNamespace(
        stance_model=part,
        directory=tmp_path,
        part_paths={},
        config=SimpleNamespace(stance_threshold=0.0),
    )
    monkeypatch.setattr(run, "load", lambda model, **kw: fake)
    rep = run.evaluate_model(None, "stance", path, "xstance", tmp_path / "out", baselines=False)
    assert rep["labels"] == list(XS)
    assert rep["confusion"]["pred"] == ["favor", "against", "none"]
    assert rep["per_class"]["favor"]["recall"] == 0.5  # the `none` answer is not favor's 2nd best
    assert rep["accuracy"] == pytest.approx(2 / 3)
    # the pipeline's abstain threshold applies, as in `stance predict`: p(favor) = 0.91 < 0.95
    fake.config.stance_threshold = 0.95
    rep = run.evaluate_model(None, "stance", path, "xstance", tmp_path / "out", baselines=False)
    assert rep["per_class"]["favor"]["recall"] == 0.0
    assert rep["per_class"]["against"]["recall"] == 0.0
