"""Roles read from the span tagger, and the soft labels the roles part learns from them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stance.doc import ROLES, Document, Sentence
from stance.model.tasks import doc_words, span_roles
from stance.pipeline.pipeline import load
from stance.training.config import from_dict
from stance.training.distill import span_teacher
from stance.training.encode import pair_examples
from tests.tiny import component_docs

TAGS = ("O", "B-claim", "I-claim", "B-premise", "I-premise", "B-majorclaim", "I-majorclaim")


def _config(teacher: Path) -> object:
    return from_dict(
        {"task": "component", "context": 1, "distill_span": 0.5, "span_teacher": str(teacher)}
    )


def test_span_teacher_rows_follow_the_examples(tiny_pipeline: Path) -> None:
    lone = Document(
        id="table0",
        text="il faut agir .",
        sentences=(Sentence(0, 0, 14, "il faut agir .", role="claim"),),
    )  # a sentence-table row: no spans, so its gold label stays one-hot
    docs = component_docs()[:3] + [lone] + component_docs()[3:4]
    config = _config(tiny_pipeline)
    soft = span_teacher(docs, config, ROLES)  # type: ignore[arg-type]
    examples = pair_examples(docs, config, training=True)  # type: ignore[arg-type]
    assert soft.shape == (len(examples), 3)
    np.testing.assert_allclose(soft.sum(1), 1.0, atol=1e-5)
    tagger = load(tiny_pipeline).span
    assert tagger is not None
    row = 0
    for doc in docs:
        offs = doc_words(doc)
        probs = tagger.word_proba([[doc.text[a:b] for a, b in offs]])[0]
        for sent in doc.sentences:
            assert examples[row].first == sent.text
            if doc.spans:
                want = span_roles(offs, probs, tagger.labels, sent.start, sent.end)
            else:
                want = np.eye(3)[ROLES.index(str(sent.role))]
            np.testing.assert_allclose(soft[row], want, atol=1e-5)
            row += 1
    assert not np.allclose(soft, soft.round())  # the tagger's rows are soft


def test_training_rows_carry_the_span_teacher(tiny_pipeline: Path) -> None:
    from transformers import AutoTokenizer

    from stance.training.encode import encode_pairs

    docs = component_docs()[:4]
    config = _config(tiny_pipeline)
    tok = AutoTokenizer.from_pretrained(str(tiny_pipeline.parent / "base"))
    train = encode_pairs(docs, tok, ROLES, config, training=True)  # type: ignore[arg-type]
    np.testing.assert_allclose(
        np.array(train["teacher"]),
        span_teacher(docs, config, ROLES),
        atol=1e-6,  # type: ignore[arg-type]
    )
    dev = encode_pairs(docs, tok, ROLES, config, training=False)  # type: ignore[arg-type]
    assert "teacher" not in dev.column_names  # dev is scored on gold labels only


@pytest.mark.parametrize(
    "values",
    [
        {"task": "stance", "distill_span": 0.5, "span_teacher": "x"},
        {"task": "component", "distill_span": 0.5},
        {"task": "component", "distill_span": 1.5, "span_teacher": "x"},
        {"task": "component", "distill_span": 0.5, "span_teacher": "x", "distill_lexical": 0.5},
    ],
)
def test_span_distillation_settings_are_checked(values: dict) -> None:
    with pytest.raises(ValueError):
        from_dict(values)
