"""The real shipped model (models/default on the offline e5 base): slow, run in CI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import stance
from stance.doc import ROLES, STANCES
from stance.pipeline.config import REPO_DEFAULT

pytestmark = pytest.mark.slow

TEXT = (
    "Il faut interdire les vols intérieurs courts. En effet, le train émet quarante fois moins "
    "de CO2 que l'avion. M. Durand, élu local, affirme pourtant le contraire !"
)
TARGET = "Il faut interdire les vols intérieurs courts"


def test_shipped_default_is_compact_and_safe() -> None:
    manifest = json.loads((REPO_DEFAULT / "pipeline.json").read_text())
    assert set(manifest["parts"]) == {"tagger", "stance"}  # roles and spans: one tagger
    files = [p for p in REPO_DEFAULT.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 25 * 1024 * 1024
    assert not [p for p in files if p.suffix in {".bin", ".pt", ".pth", ".pkl"}]
    for task in manifest["parts"]:
        assert "Harness dev scores" in (REPO_DEFAULT / task / "README.md").read_text()


def test_predict_with_the_shipped_model() -> None:
    doc = stance.predict(TEXT, target=TARGET)
    assert [s.text for s in doc.sentences] == [
        "Il faut interdire les vols intérieurs courts.",
        "En effet, le train émet quarante fois moins de CO2 que l'avion.",
        "M. Durand, élu local, affirme pourtant le contraire !",
    ]
    for s in doc.sentences:
        assert TEXT[s.start : s.end] == s.text
        assert s.role in ROLES and s.stance in STANCES
    # the two argumentative sentences are recognised as such, the article verdict is right
    assert doc.sentences[0].role != "none" and doc.sentences[1].role != "none"
    assert doc.sentences[0].stance != "against"
    assert doc.stance is not None and doc.stance.label == "favor"


def test_readme_main_command_prints_a_table(tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "stance.cli",
        "label",
        "data/examples",
        "--target",
        TARGET,
        "--format",
        "table",
    ]
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "stance toward" in run.stdout and "Traceback" not in run.stderr
    examples = [p for p in (root / "data/examples").iterdir() if p.suffix in {".txt", ".html"}]
    assert any(p.suffix == ".html" for p in examples)  # the README's command reads a web page too
    assert run.stdout.count("stance toward") == len(examples)
