"""``scripts/build_default.py --roles tagger``: a tagger run ships as the roles and spans of the
default pipeline (``{"tagger", "stance"}``), which loads, scores, exports and runs on ONNX."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import torch

import stance
from stance.doc import Document
from stance.model.part import PartInfo, load_part
from stance.model.tagger import BertForArgumentTagging
from stance.segment import split_sentences
from tests.scripts.scripts_dir import import_script
from tests.tiny import CORPUS, build_tagger_part

ROOT = Path(__file__).resolve().parents[2]
TEXT = " ".join(CORPUS[:4])
SCORES = {
    "component/pe-fr-bio": 0.5,
    "span/abstrct": 0.4,
    "span/abstrct/span_f1_exact": 0.3,
    "stance/xstance": 0.6,
}


@pytest.fixture(scope="module")
def build() -> ModuleType:
    """The script as a module (it imports its sibling ``default_roles`` from ``scripts/``)."""
    return import_script("build_default")


@pytest.fixture(scope="module")
def roles(build: ModuleType) -> ModuleType:
    """``scripts/default_roles.py``: which parts give roles and spans, and how they are scored."""
    return sys.modules["default_roles"]


def test_roles_name_the_parts_to_train_and_score(build: ModuleType, roles: ModuleType) -> None:
    everything = ["component", "span", "stance"]
    assert roles.parts_to_train(everything, "parts") == ("component", "span", "stance")
    # the tagger starts from the span part's encoder: span is trained first, not shipped
    assert roles.parts_to_train(everything, "tagger") == ("span", "tagger", "stance")
    assert roles.parts_to_train(["tagger"], "tagger") == ("span", "tagger")
    with pytest.raises(SystemExit, match="--roles tagger"):
        roles.parts_to_train(["tagger"], "parts")
    assert roles.scored_tasks(("tagger", "stance")) == ("component", "span", "stance")
    assert roles.reports_dir(Path("runs"), "parts") == Path("runs/reports")
    assert roles.reports_dir(Path("runs"), "tagger") == Path("runs/reports-tagger")
    probe = [e for e in build.DEV_EVALS["component"] if e[0] == "roles-articles"]
    assert probe == [("roles-articles", "jsonl", "ROLES_PROBE", None)]


def test_a_tagger_build_scores_the_stance_part_it_reuses_once(
    roles: ModuleType, tmp_path: Path
) -> None:
    parts, reports = ("tagger", "stance"), tmp_path / "reports-tagger"
    assert roles.tasks_to_score(("tagger",), parts, reports, "tagger") == (
        "component",
        "span",
        "stance",
    )
    reports.mkdir()
    (reports / "dev_scores.json").write_text(json.dumps({"stance/xstance": 0.6}))
    assert roles.tasks_to_score(("tagger",), parts, reports, "tagger") == ("component", "span")
    assert roles.tasks_to_score(("stance",), ("component", "stance"), tmp_path, "parts") == (
        "stance",
    )


def _runs(
    build: ModuleType, tiny_pipeline: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """``runs/`` with a full tagger run (recipe rank 4) and the tiny stance part as shipped."""
    configs = root / "configs"
    configs.mkdir()
    for task, ship in (("tagger", "adapter_rank = 4"), ("stance", "stance_threshold = 0.3")):
        (configs / f"{task}.toml").write_text(f'[train]\ntask = "{task}"\n[ship]\n{ship}\n')
    monkeypatch.setattr(build, "CONFIGS", configs)
    runs = root / "runs"
    base = Path(PartInfo.load(tiny_pipeline / "stance").base)
    run = build_tagger_part(base, runs / "tagger")
    model = BertForArgumentTagging.from_pretrained(str(run))
    with torch.no_grad():  # a rank-1 change to one encoder layer, as training would make
        query = model.bert.encoder.layer[0].attention.self.query
        query.weight += torch.outer(torch.linspace(-1, 1, 32), torch.linspace(1, -1, 32))
    model.save_pretrained(str(run))
    (run / "train_config.json").write_text(json.dumps({"task": "tagger", "max_length": 40}))
    (run / "train_summary.json").write_text(json.dumps({"macro_f1": 0.5}))
    shutil.copytree(tiny_pipeline / "stance", runs / "stance" / "adapter")
    (runs / "stance" / "README.md").write_text("# stance · stance\n")
    return runs


def test_a_tagger_run_ships_as_the_roles_and_spans(
    build: ModuleType,
    roles: ModuleType,
    tiny_pipeline: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from safetensors.torch import load_file

    from stance.evaluate.run import evaluate_model
    from stance.model.classifier import ArgumentTagger

    runs = _runs(build, tiny_pipeline, tmp_path, monkeypatch)
    with pytest.raises(SystemExit, match="train the tagger"):
        roles.shipped_parts(runs, "tagger")
    build.ship_adapter("tagger", runs / "tagger")
    out = tmp_path / "default"
    build.assemble(runs, out, roles.shipped_parts(runs, "tagger"))
    build.add_scores_to_cards(out, SCORES)
    manifest = json.loads((out / "pipeline.json").read_text())
    assert manifest["parts"] == {"tagger": "tagger", "stance": "stance"}
    assert manifest["stance_threshold"] == 0.3 and manifest["meta"]["dev_scores"] == SCORES
    assert manifest["quantize"] == "int8"  # the default runs int8 (fp32: --backend fp32)
    weights = load_file(str(out / "tagger" / "adapter_model.safetensors"))
    assert {str(t.dtype) for t in weights.values()} == {"torch.float16"}
    assert any("role_classifier" in k for k in weights) and any("pooler" in k for k in weights)
    card = (out / "tagger" / "README.md").read_text()
    assert "rank-4 truncated SVD" in card and "keeps 100.0%" in card
    assert "| component/pe-fr-bio | 0.5000 |" in card
    assert "| span/abstrct/span_f1_exact | 0.3000 |" in card and "xstance" not in card
    stance_card = (out / "stance" / "README.md").read_text()
    assert "| xstance | 0.6000 |" in stance_card and "pe-fr-bio" not in stance_card

    nlp = stance.load(out, backend="fp32")  # the adapter against the run, both fp32
    assert sorted(nlp.part_paths) == ["stance", "tagger"] and nlp.component is None
    doc = nlp(TEXT, target="Faut-il taxer le kérosène ?")
    assert doc.stance is not None and all(s.role for s in doc.sentences)
    gold = Document("d", TEXT, sentences=tuple(split_sentences(TEXT)))
    (full,) = ArgumentTagger(*load_part(runs / "tagger")).predict([gold])
    assert nlp.tagger is not None
    (shipped,) = nlp.tagger.predict([gold])  # the fp16 adapter reads as the full run
    np.testing.assert_allclose(shipped.role_probs, full.role_probs, atol=1e-2)
    np.testing.assert_allclose(shipped.word_probs, full.word_probs, atol=1e-2)
    probe = ROOT / "data/probes/roles_articles.jsonl"
    report = evaluate_model(out, "component", probe, "jsonl", tmp_path / "r", baselines=False)
    assert 0.0 <= report["macro_f1"] <= 1.0
    _exports(out, tmp_path, doc)


def _exports(out: Path, tmp_path: Path, doc: Document) -> None:
    """``stance export hf --task component|span`` and ``stance export onnx`` of the default."""
    from stance.pipeline.export import export_hf, export_onnx

    roles = export_hf(out, "component", tmp_path / "hf-component")
    assert PartInfo.load(roles).task == "component"
    assert PartInfo.load(roles).labels == ("claim", "premise", "none")
    spans = export_hf(out, "span", tmp_path / "hf-span")
    assert PartInfo.load(spans).task == "span" and PartInfo.load(spans).labels[0] == "O"
    onnx_dir = export_onnx(out, tmp_path / "onnx")
    exported = json.loads((onnx_dir / "pipeline.json").read_text())
    assert exported["parts"] == {"tagger": "tagger", "stance": "stance"}
    again = stance.load(onnx_dir)(TEXT, target=doc.target)
    assert [s.role for s in again.sentences] == [s.role for s in doc.sentences]
    assert again.stance is not None and doc.stance is not None
    assert again.stance.label == doc.stance.label
    # one task of a tagger pipeline: the tagger itself (both heads), which loads on its own
    roles_onnx = export_onnx(out, tmp_path / "onnx-roles", task="component")
    assert PartInfo.load(roles_onnx).task == "tagger"
    alone = stance.load(roles_onnx, backend="onnx")(TEXT)
    assert [s.role for s in alone.sentences] == [s.role for s in doc.sentences]
