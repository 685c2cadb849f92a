"""The argument tagger's training rows: BIO on first sub-tokens (markers -100), roles from the
gold or from the spans, roles-only rows with BIO all -100, partial labels, and the dev metric."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from stance.doc import Document, Sentence, Span
from stance.model.tasks import doc_words, span_tags, word_tags
from stance.model.windows import build_windows
from stance.segment import split_sentences
from stance.training.config import TrainConfig
from stance.training.tagging import (
    allowed_roles,
    check_base,
    encode_tagger,
    has_bio,
    lowercase_some,
    metrics_fn,
)
from tests.tiny import build_base, build_tokenizer, component_docs

TAGS = span_tags(True)
CONFIG = TrainConfig(task="tagger", max_length=64)


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from transformers import AutoTokenizer

    out: Path = tmp_path_factory.mktemp("tok")
    build_tokenizer(out)
    return AutoTokenizer.from_pretrained(str(out))


def _spans_only(text: str, spans: tuple[Span, ...]) -> Document:
    """A document with gold spans and sentences that carry no role."""
    return Document("jsonl-doc", text, sentences=tuple(split_sentences(text)), spans=spans)


def test_bio_rows_label_first_sub_tokens_and_sentences(tokenizer: Any) -> None:
    doc = component_docs()[0]
    ds = encode_tagger([doc], tokenizer, TAGS, CONFIG, training=False)
    assert "role_allowed" not in ds.column_names  # no partial label
    (row,) = ds
    (window,) = build_windows([doc], tokenizer, CONFIG.max_length)
    tags = word_tags(doc, doc_words(doc), True)
    assert row["input_ids"] == list(window.input_ids)
    assert all(row["labels"][m] == -100 for m in row["role_positions"])  # markers
    assert {pos: TAGS.index(tags[w]) for w, pos in window.words} == {
        i: t for i, t in enumerate(row["labels"]) if t != -100
    }
    assert row["role_labels"] == [["claim", "premise", "none"].index(s.role) for s in doc.sentences]


def test_roles_come_from_the_spans_where_sentences_have_none() -> None:
    """The span with the most words in a sentence gives its role (majorclaim → claim); no span:
    none (``stance.io.conll.sentence_role``)."""
    text = "Je pense que il faut agir vite. En effet, le train existe. Bravo !"
    claim = text.index("il faut")
    premise = text.index("le train")
    spans = (
        Span(claim, text.index(" vite"), "majorclaim"),
        Span(premise, text.index(" existe"), "premise"),
    )
    doc = _spans_only(text, spans)
    assert has_bio(doc)
    assert allowed_roles(doc, doc_words(doc)) == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]


def test_roles_only_rows_have_no_bio_and_partial_labels(tokenizer: Any) -> None:
    table = Document("pe-fr-sentences:train:0", "il faut agir.", sentences=(
        Sentence(0, 0, 13, "il faut agir.", role="claim"),
    ))  # fmt: skip
    ukp = Document("ukp:1", "Nuclear power is cheap.", meta={"role_labels": ["claim", "premise"]})
    empty_bio = Document("pe-fr-bio:train:7", "Bravo !", sentences=(Sentence(0, 0, 7, "Bravo !"),))
    assert not has_bio(table) and not has_bio(ukp) and has_bio(empty_bio)
    ds = encode_tagger([table, ukp, empty_bio], tokenizer, TAGS, CONFIG, training=False)
    rows = list(ds)
    assert all(set(r["labels"]) == {-100} for r in rows[:2])  # roles only
    assert {t for t in rows[2]["labels"] if t != -100} == {0}  # a paragraph of BIO gold, all O
    assert [r["role_labels"] for r in rows] == [[0], [-100], [2]]
    assert [r["role_allowed"] for r in rows] == [[[1, 0, 0]], [[1, 1, 0]], [[0, 0, 1]]]
    assert [len(r["role_positions"]) for r in rows] == [1, 1, 1]  # the UKP row: one sentence


def test_lowercase_keeps_offsets() -> None:
    docs = component_docs()[:4]
    lowered = lowercase_some(docs, 1.0, seed=0)
    for doc in lowered:
        assert doc.text == doc.text.lower()
        assert all(doc.text[s.start : s.end] == s.text for s in doc.sentences)
    assert lowercase_some(docs, 0.0, seed=0) == docs


def test_metric_is_the_mean_of_bio_and_role_macro_f1() -> None:
    tags = np.array([[0, 1, 2, -100], [3, 4, -100, -100]])
    roles = np.array([[0, 1], [2, -100]])
    token_logits = np.eye(5)[np.where(tags < 0, 0, tags)]  # right everywhere...
    token_logits[1, 1] = np.eye(5)[0]  # ...but one I-premise read as O
    role_logits = np.eye(3)[np.where(roles < 0, 0, roles)]
    pred = SimpleNamespace(predictions=(token_logits, role_logits), label_ids=(tags, roles))
    scores = metrics_fn(TAGS)(pred)
    assert scores["role_macro_f1"] == 1.0
    assert scores["bio_macro_f1"] == pytest.approx(0.75)  # B-claim, I-claim, B-premise: 1; I-p: 0
    assert scores["macro_f1"] == pytest.approx(0.875)


def test_only_bert_encoders(tmp_path: Path) -> None:
    check_base(str(build_base(tmp_path / "bert", "bert")))
    with pytest.raises(ValueError, match="needs a BERT encoder"):
        check_base(str(build_base(tmp_path / "camembert", "camembert")))


def test_span_role_weight_is_the_best_of_the_grid_as_predict_mixes(tmp_path: Path) -> None:
    """The two-pass shortcut scores every weight of the grid as ``ArgumentTagger.predict``
    with that weight would, and the weight returned is the best (the smallest of equals)."""
    from dataclasses import replace

    from sklearn.metrics import f1_score

    from stance.doc import ROLES
    from stance.model.classifier import ArgumentTagger
    from stance.model.part import load_part
    from stance.training.tagging import SPAN_ROLE_WEIGHTS, span_role_weight
    from tests.tiny import build_tagger_part

    base = build_base(tmp_path / "base")
    model, tok, info = load_part(build_tagger_part(base, tmp_path / "tagger"))
    docs = component_docs()[:4]
    weight, scores = span_role_weight(ArgumentTagger(model, tok, info), docs)
    gold = [ROLES.index(s.role) for d in docs for s in d.sentences]
    assert len(set(scores.values())) > 1  # the grid is not flat on these heads
    for w in SPAN_ROLE_WEIGHTS:
        part = ArgumentTagger(
            model, tok, replace(info, extra={**info.extra, "span_role_weight": w})
        )
        probs = np.concatenate([t.role_probs for t in part.predict(docs)])
        order = [part.role_labels.index(r) for r in ROLES]
        f1 = f1_score(gold, probs[:, order].argmax(1), labels=[0, 1, 2], average="macro")
        assert scores[f"span_role_weight_{w}"] == pytest.approx(f1, abs=1e-4)
    best = max(scores.values())
    assert scores[f"span_role_weight_{weight}"] == best
    assert all(scores[f"span_role_weight_{w}"] < best for w in SPAN_ROLE_WEIGHTS if w < weight)
