"""`stance export hf`: a standard directory that transformers opens and that predicts as we do."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import stance
from stance.pipeline.export import export_hf


@pytest.mark.parametrize("task", ["component", "stance", "span"])
def test_export_opens_and_matches(tiny_pipeline: Path, tmp_path: Path, task: str) -> None:
    from transformers import AutoConfig, pipeline

    out = export_hf(tiny_pipeline, task, tmp_path / task)
    config = AutoConfig.from_pretrained(out)
    labels = [config.id2label[i] for i in range(config.num_labels)]
    assert (out / "model.safetensors").exists() and (out / "README.md").exists()
    assert not list(out.glob("*.bin"))
    nlp = stance.load(tiny_pipeline)
    if task == "span":
        assert labels[0] == "O" and {"B-claim", "B-premise"} <= set(labels)
        tagger = pipeline("token-classification", model=str(out), device=-1)
        assert isinstance(tagger("Il faut agir."), list)
        return
    expected = {"component": ["claim", "premise", "none"], "stance": ["favor", "against", "none"]}
    assert labels == expected[task]
    clf = pipeline("text-classification", model=str(out), device=-1, top_k=None)
    if task == "stance":
        first, second = "Faut-il taxer le kérosène ?", "Oui, il faut taxer les avions."
        ours = nlp.stance_model.proba([first], [second], long_side="second")[0]
    else:
        first, second = "Il faut taxer le kérosène.", "[début] [phrase] [fin]"
        ours = nlp.component.proba([first], [second])[0]
        card = (out / "README.md").read_text()
        assert "1 neighbouring sentence(s) per side (at most 90 characters each)" in card
    theirs = {d["label"]: d["score"] for d in clf({"text": first, "text_pair": second})}
    np.testing.assert_allclose([theirs[label] for label in labels], ours, atol=1e-4)


def test_export_cli(tiny_pipeline: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from stance.cli import app

    cmd = ["export", "hf", "--task", "stance", "--model", str(tiny_pipeline)]
    result = CliRunner().invoke(app, [*cmd, "-o", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "x" / "stance_part.json").read_text())
    assert manifest["temperature"] == 1.0  # folded into the weights


def test_a_tagger_exports_as_component_and_span(tmp_path: Path) -> None:
    """The roles head as a sequence classifier that, on a one-sentence text, gives the
    pipeline's role scores (temperature folded); the BIO head as a token classifier."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

    from stance.model.part import PartInfo
    from stance.model.windows import build_windows
    from tests.tiny import build_tagger_pipeline

    pipe = build_tagger_pipeline(tmp_path / "built")
    nlp = stance.load(pipe)
    text = "Il faut taxer le kérosène des avions."
    roles = export_hf(pipe, "component", tmp_path / "component")
    assert PartInfo.load(roles).task == "component" and PartInfo.load(roles).context == 0
    clf = pipeline("text-classification", model=str(roles), device=-1, top_k=None)
    theirs = {d["label"]: d["score"] for d in clf([text])[0]}
    ours = nlp(text).sentences[0].role_scores
    assert ours is not None and set(theirs) == set(ours)
    np.testing.assert_allclose([theirs[k] for k in ours], list(ours.values()), atol=1e-5)

    spans = export_hf(pipe, "span", tmp_path / "span")
    assert PartInfo.load(spans).task == "span"
    model = AutoModelForTokenClassification.from_pretrained(str(spans)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(spans))
    doc = stance.Document(id="x", text=text, sentences=nlp(text).sentences)
    assert nlp.tagger is not None
    (tagged,) = nlp.tagger.predict([doc])
    with torch.no_grad():
        probs = model(**tokenizer(text, return_tensors="pt")).logits.softmax(-1)[0].numpy()
    (window,) = build_windows([doc], tokenizer, 40)
    for word, pos in window.words:  # temperature folded: the tagger's word probabilities
        np.testing.assert_allclose(probs[pos], tagged.word_probs[word], atol=1e-5)
