"""AbstRCT-FR adapter (``abstrct``) on the real files, README counts and defects."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data.base import DataError, DataWarning
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import assert_offsets, span_counts


def test_abstrct_train(data_root: Path) -> None:
    docs = load_dataset("abstrct", data_root / "abstrct_fr/fr_neoplasm_nllb_awesome_train.tsv")
    assert len(docs) == 4_404
    assert span_counts(docs) == {"claim": 730, "premise": 1_536}
    assert all(len(d.sentences) == 1 for d in docs)
    assert docs[7].id == "abstrct:train:7" and docs[7].meta == {"sentence": 7, "split": "train"}
    assert_offsets(docs)


def test_abstrct_dev_invalid_utf8_is_reported_or_replaced(data_root: Path) -> None:
    path = data_root / "abstrct_fr/fr_neoplasm_nllb_awesome_dev.tsv"
    with pytest.raises(ValueError, match=r"fr_neoplasm_nllb_awesome_dev\.tsv:228: .*byte 1784"):
        load_dataset("abstrct", path)
    with pytest.warns(DataWarning, match=r"_dev\.tsv:8608: tag 'I-Premise' without a token"):
        docs = load_dataset("abstrct", path, encoding_errors="replace")
    assert len(docs) == 679
    assert any("\ufffd" in d.text for d in docs)
    assert_offsets(docs)


def test_malformed_lines_are_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "x_train.tsv"
    path.write_text("La B-Claim\ndose I-Claim\n\nbaisse\n")
    with pytest.raises(DataError, match=r"x_train\.tsv:4: expected 'token<TAB>label'"):
        load_dataset("abstrct", path)
    path.write_text("La B-Claim\nI-Claim\ndose I-Claim\n")
    with pytest.warns(DataWarning, match=r"x_train\.tsv:2: tag 'I-Claim' without a token"):
        [doc] = load_dataset("abstrct", path)
    assert doc.text == "La dose" and doc.spans[0].label == "claim"
