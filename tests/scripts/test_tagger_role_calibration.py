"""``scripts/tagger_role_calibration.py``: the mixed roles it reads and their ECE."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.scripts.scripts_dir import import_script
from tests.tiny import build_base, build_tagger_part, component_docs


def test_only_sentences_read_beside_others_are_scored(tmp_path: Path) -> None:
    from stance.doc import Document
    from stance.model.classifier import ArgumentTagger
    from stance.model.part import load_part
    from stance.segment import split_sentences

    calib = import_script("tagger_role_calibration")
    base = build_base(tmp_path / "base")
    tagger = ArgumentTagger(*load_part(build_tagger_part(base, tmp_path / "tagger")))
    texts = [s.text for d in component_docs() for s in d.sentences][:4]
    paragraph = " ".join(texts[:3])  # one paragraph, read in windows of 2 or 3 sentences
    docs = [
        Document(str(i), text, sentences=tuple(split_sentences(text)))
        for i, text in enumerate([paragraph, texts[3]])  # the second is read alone
    ]
    assert [len(d.sentences) for d in docs] == [3, 1]
    logs, gold = calib.mixed_roles(tagger, docs)
    windows = tagger.logits(docs)[2]
    beside = [(w.doc, j) for w in windows if len(w.sentences) > 1 for j in w.sentences]
    assert 2 <= len(beside) <= 3 and all(d == 0 for d, _ in beside)  # the lone one is out
    assert len(gold) == len(logs) == len(beside)
    np.testing.assert_allclose(np.exp(logs).sum(1), 1.0, atol=1e-5)
    sure = np.log(np.array([[0.98, 0.01, 0.01], [0.01, 0.98, 0.01]]))
    assert calib.ece(sure, np.array([0, 1]), 1.0) == pytest.approx(0.02, abs=1e-6)
    assert calib.ece(sure, np.array([1, 0]), 1.0) == pytest.approx(0.98, abs=1e-6)
