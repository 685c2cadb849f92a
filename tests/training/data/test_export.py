"""Documents out: ``prepare`` (project JSONL per format and split) and ``to_hf_dataset``."""

from __future__ import annotations

from pathlib import Path

from stance.training.data.export import prepare, to_hf_dataset
from stance.training.data.registry import load_dataset


def test_to_hf_dataset_kinds(data_root: Path) -> None:
    pe = load_dataset("pe-fr-bio", data_root / "pe_fr/dev_PE.fr")[:5]
    xs = load_dataset("xstance", data_root / "xstance/valid.fr.jsonl")[:5]
    stance = to_hf_dataset(xs)
    assert stance.column_names == ["id", "text", "target", "label"] and len(stance) == 5
    component = to_hf_dataset(pe)
    assert component.column_names == ["id", "doc_id", "index", "text", "label"]
    assert len(component) == sum(len(d.sentences) for d in pe)
    span = to_hf_dataset(pe, kind="span")
    assert span[0]["span_labels"] == [s.label for s in pe[0].spans]


def test_prepare_writes_every_set(tmp_path: Path, data_root: Path) -> None:
    counts = prepare(tmp_path)
    assert counts["pe-fr-bio.dev"] == 198 and counts["pe-fr-sentences.train"] == 5_086
    assert counts["efra.train"] + counts["efra.dev"] == 424
    assert counts["abstrct.dev"] == 679 and counts["fewshot.train"] == 3_840
    for name, n in counts.items():
        lines = (tmp_path / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == n
    back = load_dataset("jsonl", tmp_path / "xstance.dev.jsonl", split="dev")
    assert len(back) == counts["xstance.dev"]
