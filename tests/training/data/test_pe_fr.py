"""PE-FR adapters (``pe-fr-bio``, ``pe-fr-sentences``) on the real files, README counts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import assert_offsets, span_counts


@pytest.mark.parametrize(
    ("split", "paragraphs", "tokens", "spans"),
    [
        ("dev", 198, 14_686, {"majorclaim": 64, "claim": 131, "premise": 330}),
        ("train", 1_584, 119_535, {"majorclaim": 533, "claim": 1_072, "premise": 2_695}),
    ],
)
def test_pe_fr_bio_counts(
    data_root: Path, split: str, paragraphs: int, tokens: int, spans: dict[str, int]
) -> None:
    docs = load_dataset("pe-fr-bio", data_root / f"pe_fr/{split}_PE.fr")
    assert len(docs) == paragraphs
    assert sum(len(d.text.split(" ")) for d in docs) == tokens  # tokens joined by single spaces
    assert span_counts(docs) == spans
    assert {d.meta["split"] for d in docs} == {split} and docs[3].meta["paragraph"] == 3
    assert docs[3].id == f"pe-fr-bio:{split}:3"
    assert_offsets(docs)


def test_pe_fr_bio_sentence_roles_match_the_sentence_table(data_root: Path) -> None:
    """Our segmenter + the majority-span rule land within 5% of Rücklé's sentence labels."""
    docs = load_dataset("pe-fr-bio", data_root / "pe_fr/dev_PE.fr")
    ours = Counter(s.role for d in docs for s in d.sentences)
    table = load_dataset("pe-fr-sentences", data_root / "pe_fr/sentences.tsv", split="dev")
    theirs = Counter(d.sentences[0].role for d in table)
    for role in ("claim", "premise", "none"):
        assert abs(ours[role] - theirs[role]) <= 0.05 * theirs[role], (role, ours, theirs)


def test_pe_fr_sentences(data_root: Path) -> None:
    path = data_root / "pe_fr/sentences.tsv"
    train = load_dataset("pe-fr-sentences", path, split="train")
    dev = load_dataset("pe-fr-sentences", path, split="dev")
    assert (len(train), len(dev)) == (5_086, 607)
    assert len(load_dataset("pe-fr-sentences", path)) == 5_086 + 607
    for doc in dev:
        [sent] = doc.sentences
        assert (sent.start, sent.end, sent.text) == (0, len(doc.text), doc.text)
        expected = {"MajorClaim": "claim", "Claim": "claim", "Premise": "premise", "O": "none"}
        assert sent.role == expected[doc.meta["label"]]


def test_malformed_rows_are_reported_with_file_and_line(tmp_path: Path) -> None:
    table = tmp_path / "sentences.tsv"
    table.write_text("split\tlabel\ttext\ntrain\tClaim\tIl faut .\n\ndev\tPremise\n")
    with pytest.raises(DataError, match=r"sentences\.tsv:4: row 1 has 2 fields"):
        load_dataset("pe-fr-sentences", table)
    table.write_text("split\tlabel\ttext\ntrain\tThesis\tIl faut .\n")
    with pytest.raises(DataError, match=r"sentences\.tsv:2: unknown label 'Thesis'"):
        load_dataset("pe-fr-sentences", table)
    table.write_text("label\ttext\n")
    with pytest.raises(DataError, match=r"sentences\.tsv:1: expected the header"):
        load_dataset("pe-fr-sentences", table)
    bio = tmp_path / "train_PE.fr"
    bio.write_text("Il\tB-Claim\nfaut\tI-Claim\n\nOui\tX-Claim\n")
    with pytest.raises(DataError, match=r"train_PE\.fr:4: 'X-Claim' is not a BIO tag"):
        load_dataset("pe-fr-bio", bio)
