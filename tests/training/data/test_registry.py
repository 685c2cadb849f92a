"""The registry: one adapter per format, file layouts, directory loading, the data root."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.training.data import registry
from stance.training.data.registry import FORMATS, data_dir, default_paths, load_dataset


def test_every_format_has_one_adapter_and_the_old_order_holds() -> None:
    assert FORMATS[:6] == ("pe-fr-bio", "pe-fr-sentences", "xstance", "efra", "fewshot", "abstrct")
    assert all(registry.ADAPTERS[f].name == f for f in FORMATS) and len(set(FORMATS)) == 19
    with pytest.raises(ValueError, match="unknown data format 'conll2003'; choose from pe-fr"):
        registry.adapter("conll2003")


def test_directory_paths_and_splits(data_root: Path) -> None:
    assert default_paths("pe-fr-bio", "train", data_root) == [data_root / "pe_fr/train_PE.fr"]
    assert default_paths("pe-fr-bio", None, data_root / "pe_fr") == [
        data_root / "pe_fr/train_PE.fr",
        data_root / "pe_fr/dev_PE.fr",
    ]
    assert len(load_dataset("pe-fr-bio", data_root, split="dev")) == 198
    assert len(load_dataset("pe-fr-bio", data_root / "pe_fr/dev_PE.fr", split="train")) == 0
    nli = default_paths("fr-nli", None, data_root)  # undivided files and per-split files
    assert [p.name for p in nli] == ["daccord_dataset.tsv", "RTE3-FR-dev-set-3class.tsv"]
    assert [p.name for p in default_paths("fr-nli", "dev", data_root)] == [nli[1].name]
    with pytest.raises(ValueError, match="unknown data format"):
        load_dataset("conll2003", data_root)


def test_nothing_to_read_is_a_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no xstance data file"):
        load_dataset("xstance", tmp_path)
    with pytest.raises(FileNotFoundError):
        load_dataset("xstance", tmp_path / "missing.jsonl")


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCE_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path
    monkeypatch.setenv("STANCE_DATA_DIR", str(tmp_path / "nope"))
    with pytest.raises(FileNotFoundError, match="STANCE_DATA_DIR"):
        data_dir()
