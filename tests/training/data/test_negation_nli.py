"""Negation NLI adapter (NaN-NLI, Hossain et al., CondaQA) on the real files, malformed rows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from stance.training.data.base import DataError
from stance.training.data.registry import load_dataset
from tests.training.data.helpers import label_counts


def test_negation_nli(data_root: Path) -> None:
    docs = load_dataset("negation-nli", data_root)
    by_source: dict[str, list] = {}
    for doc in docs:
        by_source.setdefault(doc.meta["source"], []).append(doc)
    counts = {source: label_counts(rows) for source, rows in by_source.items()}
    assert counts == {
        "nan-nli": {"against": 117, "favor": 97, "none": 44},
        "hossain-mnli": {"none": 589, "against": 539, "favor": 372},
        "hossain-rte": {"against|none": 1_184, "favor": 316},
        "hossain-snli": {"none": 847, "against": 405, "favor": 248},
        "condaqa": {"favor": 536, "against": 512, "none": 48, "(unlabelled)": 14},
    }
    assert not any(d.stance for d in by_source["hossain-rte"])  # partial: no one-sided stances
    triples = Counter(d.meta["group"] for d in by_source["hossain-mnli"])
    assert set(triples.values()) == {3} and len(triples) == 500
    question = by_source["condaqa"][0]
    assert question.target and question.target.endswith("is there a chance he will be jailed?")
    assert len({d.meta["group"] for d in by_source["condaqa"]}) == 115


def test_malformed_rows(tmp_path: Path) -> None:
    path = tmp_path / "hossain_MNLI.tsv"
    path.write_text("index\tText\tHypothesis\tgold_label\r\nx\tp\th\tneutral\r\n")
    with pytest.raises(DataError, match=r"hossain_MNLI\.tsv:2: record 0: no group"):
        load_dataset("negation-nli", path)
    path = tmp_path / "condaqa_dev.jsonl"
    path.write_text('{"PassageID": 1, "sentence1": "p", "sentence2": "q?", "label": "MAYBE"}\n')
    with pytest.raises(DataError, match=r"condaqa_dev\.jsonl:1: unknown label 'MAYBE'"):
        load_dataset("negation-nli", path)
