"""Gold documents → training rows: label sets, pair trimming as at prediction time, span
windows with first-sub-token labels, and every stance augmentation switch (training rows only)."""

from __future__ import annotations

from typing import Any

import pytest

from stance.doc import ROLES, STANCES, Document, Sentence, Span
from stance.model.classifier import short_side_budget
from stance.model.tasks import (
    SPAN_TAGS_FULL,
    SPAN_TAGS_MERGED,
    component_inputs,
    doc_words,
    word_tags,
)
from stance.training.config import from_dict
from stance.training.encode import encode_pairs, encode_spans, labels_for, pair_examples
from tests.tiny import build_tokenizer, component_docs, stance_docs

SWITCHES = [
    "statement_pairs",
    "reasoned_pairs",
    "negated_targets",
    "rebuttal_pairs",
    "neutral_pairs",
    "casual_targets",
]


@pytest.mark.parametrize("switch", SWITCHES)
def test_switch_changes_training_rows_only(switch: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import stance.training.data.mix

    neutral = ["La piscine municipale ouvre le dimanche."] * 3
    monkeypatch.setattr(stance.training.data.mix, "neutral_sentences", lambda: neutral)
    docs = stance_docs()
    plain = from_dict({"task": "stance", "none_pairs": 0.0})
    on = from_dict({"task": "stance", "none_pairs": 0.0, switch: 1.0})
    before = pair_examples(docs, plain, training=True)
    after = pair_examples(docs, on, training=True)
    assert after != before
    if switch == "casual_targets":
        assert {e.first for e in after} == {e.first.rstrip(" ?").lower() for e in before}
    else:
        assert after[: len(before)] == before and len(after) > len(before)
    assert pair_examples(docs, on, training=False) == pair_examples(docs, plain, training=False)


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from transformers import AutoTokenizer

    out = tmp_path_factory.mktemp("tok")
    build_tokenizer(out)
    return AutoTokenizer.from_pretrained(str(out))


def test_label_sets_per_task() -> None:
    assert labels_for(from_dict({"task": "component"})) == ROLES
    assert labels_for(from_dict({"task": "stance"})) == STANCES
    assert labels_for(from_dict({"task": "span"})) == SPAN_TAGS_MERGED
    assert labels_for(from_dict({"task": "span", "merge_majorclaim": False})) == SPAN_TAGS_FULL


def test_component_rows_are_sentence_and_context_pairs(tokenizer: Any) -> None:
    config = from_dict({"task": "component", "context": 1, "max_length": 128})
    docs = component_docs()[:2]
    ds = encode_pairs(docs, tokenizer, ROLES, config, training=True)
    sentences = [s for d in docs for s in d.sentences]
    assert ds["labels"] == [ROLES.index(s.role or "") for s in sentences]
    sep = tokenizer.sep_token_id
    firsts, seconds = [], []
    for d in docs:
        a, b = component_inputs(d, 1, config.context_chars)
        firsts += a
        seconds += b or []
    for row, first, second in zip(ds["input_ids"], firsts, seconds, strict=True):
        assert len(row) <= 128 and row.count(sep) == 3  # <s> A </s></s> B </s>
        cut = row.index(sep)
        assert row[1:cut] == tokenizer(first, add_special_tokens=False)["input_ids"]
        assert row[cut + 2 : -1] == tokenizer(second, add_special_tokens=False)["input_ids"]
    assert len(ds[0]["attention_mask"]) == len(ds[0]["input_ids"])


def test_long_context_is_capped_not_the_sentence(tokenizer: Any) -> None:
    """The context (short side) is cut to its budget as at prediction time."""
    long = "Le train pollue beaucoup moins que l'avion et coûte moins cher. " * 6
    text = f"{long.strip()} Il faut agir. {long.strip()}"
    start = text.index("Il faut agir.")
    sents = (
        Sentence(0, 0, start - 1, text[: start - 1], role="none"),
        Sentence(1, start, start + 13, "Il faut agir.", role="claim"),
        Sentence(2, start + 14, len(text), text[start + 14 :], role="none"),
    )
    doc = Document(id="d", text=text, sentences=sents)
    config = from_dict({"task": "component", "context": 1, "max_length": 64, "context_chars": 400})
    ds = encode_pairs([doc], tokenizer, ROLES, config, training=False)
    row = ds["input_ids"][1]
    sep = tokenizer.sep_token_id
    assert len(row) <= 64
    assert (
        row[1 : row.index(sep)] == tokenizer("Il faut agir.", add_special_tokens=False)["input_ids"]
    )
    context = row[row.index(sep) + 2 : -1]
    n_dots = len(tokenizer(" … ", add_special_tokens=False)["input_ids"])
    assert short_side_budget(64) < len(context) <= short_side_budget(64) + n_dots


def test_stance_rows_are_target_text_pairs_with_none_pairs(tokenizer: Any) -> None:
    config = from_dict({"task": "stance", "none_pairs": 1.0, "max_length": 64})
    docs = stance_docs()
    train = encode_pairs(docs, tokenizer, STANCES, config, training=True)
    dev = encode_pairs(docs, tokenizer, STANCES, config, training=False)
    labels = [STANCES[i] for i in train["labels"]]
    assert labels[: len(docs)] == [d.stance.label for d in docs if d.stance]
    assert "none" in labels[len(docs) :] and "none" in [STANCES[i] for i in dev["labels"]]
    target = tokenizer(docs[0].target, add_special_tokens=False)["input_ids"]
    assert train["input_ids"][0][1 : 1 + len(target)] == target  # the target comes first


def test_lowercase_augmentation_touches_training_rows_only() -> None:
    config = from_dict({"task": "component", "context": 1, "lowercase_aug": 1.0})
    docs = component_docs()[:1]
    train = pair_examples(docs, config, training=True)
    dev = pair_examples(docs, config, training=False)
    assert [e.first for e in train] == [e.first.lower() for e in dev]
    assert [e.second for e in train] == [(e.second or "").lower() for e in dev]
    assert any(e.first != e.first.lower() for e in dev)


def test_span_rows_label_the_first_sub_token_of_each_word(tokenizer: Any) -> None:
    config = from_dict({"task": "span", "max_length": 128})
    docs = component_docs()[:2] + [Document(id="empty", text="  ")]
    ds = encode_spans(docs, tokenizer, SPAN_TAGS_MERGED, config)
    assert len(ds) == 2  # the document without words gives no row
    for doc, ids, labels in zip(docs, ds["input_ids"], ds["labels"], strict=False):
        offsets = doc_words(doc)
        words = [doc.text[a:b] for a, b in offsets]
        enc = tokenizer(words, is_split_into_words=True)
        assert ids == enc["input_ids"]
        want = [SPAN_TAGS_MERGED.index(t) for t in word_tags(doc, offsets, True)]
        assert [lab for lab in labels if lab != -100] == want
        seen: set[int] = set()
        for wid, lab in zip(enc.word_ids(), labels, strict=True):
            assert (lab != -100) == (wid is not None and wid not in seen)
            if wid is not None:
                seen.add(wid)


def test_long_paragraphs_become_overlapping_windows(tokenizer: Any) -> None:
    text = " ".join(["Il faut taxer le kérosène car les vols courts polluent."] * 8)
    doc = Document(id="long", text=text, spans=(Span(0, 25, "claim"),))
    config = from_dict({"task": "span", "max_length": 40, "window_stride": 8})
    ds = encode_spans([doc], tokenizer, SPAN_TAGS_MERGED, config)
    assert len(ds) > 2 and all(len(row) <= 40 for row in ds["input_ids"])
    labelled = sum(lab != -100 for row in ds["labels"] for lab in row)
    assert labelled > len(doc_words(doc))  # words in the overlaps are labelled twice
    assert ds["labels"][0][1] == SPAN_TAGS_MERGED.index("B-claim")


def _role_rows() -> list[Document]:
    """Rows as the cross-lingual adapters give them: no sentence, the roles the gold allows."""
    meta = [["claim", "premise"], ["none"], ["none", "claim"]]
    return [
        Document(id=f"r{i}", text=f"Phrase {i}.", meta={"role_labels": allowed})
        for i, allowed in enumerate(meta)
    ]


def test_role_sets_get_an_allowed_mask(tokenizer: Any) -> None:
    config = from_dict({"task": "component", "context": 1, "max_length": 64})
    docs = component_docs()[:1] + _role_rows()
    examples = pair_examples(docs, config, training=True)
    assert [e.label for e in examples[-3:]] == ["claim|premise", "none", "claim|none"]
    assert examples[-1].second == "[début] [phrase] [fin]"  # one sentence: paragraph edges
    ds = encode_pairs(docs, tokenizer, ROLES, config, training=True)
    assert ds["labels"][-3:] == [-100, 2, -100]
    assert ds["allowed"][-3:] == [[1, 1, 0], [0, 0, 1], [1, 0, 1]]
    n = len(docs[0].sentences)
    assert ds["allowed"][:n] == [[int(i == j) for j in range(3)] for i in ds["labels"][:n]]
    plain = encode_pairs(docs[:1], tokenizer, ROLES, config, training=True)
    assert plain.column_names == ["input_ids", "attention_mask", "labels"]  # as ever
    lexical = from_dict({**config.to_dict(), "distill_lexical": 0.5})
    with pytest.raises(ValueError, match="one gold role per row"):
        encode_pairs(docs, tokenizer, ROLES, lexical, training=True)
