"""``stance data stats``: rows per source × language × split × label, defects as notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from stance.cli import app
from stance.training.data.base import DataError
from stance.training.data.stats import count_rows, stats_table


def test_counts_per_source_language_split_label(data_root: Path) -> None:
    counts, notes = count_rows(["efra", "fr-nli", "negation-nli", "pe-fr-sentences"], data_root)
    assert counts[("efra", "fr", "-", "against")] == 244
    assert counts[("fr-nli/daccord", "fr", "-", "favor|none")] == 519
    assert counts[("fr-nli/rte3-fr", "fr", "dev", "contradiction")] == 0
    assert counts[("fr-nli/rte3-fr", "fr", "dev", "against")] == 91
    assert counts[("negation-nli/condaqa", "en", "dev", "(unlabelled)")] == 14
    assert counts[("pe-fr-sentences", "fr", "dev", "claim")] == 179
    assert not notes
    out = Console(record=True, width=250)
    out.print(stats_table(counts))
    text = out.export_text()
    assert "negation-nli/hossain-rte" in text and "against|none" in text and "1,184" in text


def test_defects_become_notes(data_root: Path) -> None:
    counts, notes = count_rows(["abstrct"], data_root)
    assert sum(counts.values()) == 4_404 + 679
    assert any("_dev.tsv:228: not valid UTF-8" in n for n in notes)
    assert any("_dev.tsv:8608: tag 'I-Premise' without a token" in n for n in notes)
    assert count_rows(["xnli"], data_root / "pe_fr")[1] == [
        f"xnli: no data file under {data_root}/pe_fr"
    ]


def test_malformed_rows_stop_the_count(tmp_path: Path) -> None:
    (tmp_path / "efra").mkdir()
    (tmp_path / "efra/macron_train.csv").write_text("id,target,text,stance,set\n1,M,t,YES,x\n")
    with pytest.raises(DataError, match=r"macron_train\.csv:2: unknown stance label 'YES'"):
        count_rows(["efra"], tmp_path)


def test_cli(data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["data", "stats", "--format", "efra", "-f", "semeval2016"])
    assert result.exit_code == 0, result.output
    assert "efra" in result.output and "semeval2016" in result.output and "2,814" in result.output
    result = runner.invoke(app, ["data", "stats", "--format", "nope"])
    assert result.exit_code == 2 and "unknown data format 'nope'" in result.output
    (tmp_path / "efra").mkdir()
    (tmp_path / "efra/macron_train.csv").write_text("id,target,text,stance,set\n1,M,t\n")
    monkeypatch.setenv("STANCE_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["data", "stats", "--format", "efra"])
    assert result.exit_code == 2 and "macron_train.csv:2: record 0 has 3 fields" in result.output
