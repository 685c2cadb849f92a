"""Shared pytest fixtures (keep small: each test module builds what only it needs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.doc import DocStance, Document, Sentence, Span


@pytest.fixture(scope="session")
def data_root() -> Path:
    """The research data directory; tests needing it skip only when it is truly absent."""
    from stance.training.data.registry import data_dir

    try:
        return data_dir()
    except FileNotFoundError as err:
        pytest.skip(f"research data absent: {err}")


@pytest.fixture
def labelled_doc() -> Document:
    """A predicted document: two sentences with roles/stances, spans, an article stance."""
    text = "Il faut taxer le kérosène. Les avions polluent beaucoup trop aujourd'hui."
    s1, s2 = (0, 26), (27, len(text))
    return Document(
        id="blog/n°1 été",
        text=text,
        source="blog/n°1 été.txt",
        target="Taxer le kérosène ?",
        sentences=(
            Sentence(
                0,
                *s1,
                text[s1[0] : s1[1]],
                "claim",
                {"claim": 0.8, "premise": 0.1, "none": 0.1},
                "favor",
                {"favor": 0.9, "against": 0.05, "none": 0.05},
            ),
            Sentence(
                1,
                *s2,
                text[s2[0] : s2[1]],
                "premise",
                {"claim": 0.2, "premise": 0.7, "none": 0.1},
                "favor",
                {"favor": 0.6, "against": 0.3, "none": 0.1},
            ),
        ),  # fmt: skip
        spans=(Span(0, 25, "claim", 0.8), Span(27, 46, "premise", 0.7)),
        stance=DocStance("favor", {"favor": 0.8, "against": 0.15, "none": 0.05}),
    )


@pytest.fixture(scope="session")
def tiny_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete tiny pipeline (three LoRA parts on a random 2-layer BERT), built once."""
    from tests.tiny import build_tiny_pipeline

    return build_tiny_pipeline(tmp_path_factory.mktemp("tiny"))
