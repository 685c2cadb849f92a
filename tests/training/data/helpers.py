"""Checks shared by the data adapter tests."""

from __future__ import annotations

from collections import Counter

from stance.doc import Document


def span_counts(docs: list[Document]) -> Counter[str]:
    return Counter(s.label for d in docs for s in d.spans)


def stance_counts(docs: list[Document]) -> Counter[str]:
    return Counter(d.stance.label for d in docs if d.stance)


def assert_offsets(docs: list[Document]) -> None:
    for doc in docs:
        for i, sent in enumerate(doc.sentences):
            assert sent.index == i and doc.text[sent.start : sent.end] == sent.text
        for span in doc.spans:
            assert 0 <= span.start < span.end <= len(doc.text)
            assert doc.text[span.start] != " " and doc.text[span.end - 1] != " "


def label_counts(docs: list[Document]) -> Counter[str]:
    """Project labels as ``stance data stats`` counts them (``favor|none`` for partial ones)."""
    from stance.training.data.stats import row_labels

    return Counter(label for d in docs for label in row_labels(d))
