"""The pipeline end to end on a tiny model: offsets, labels, records, pipe, loading errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import stance
from stance.doc import ROLES, STANCES
from stance.model.part import ModelError

TEXT = (
    "Le client décide-t-il vraiment ?\n\n"
    "Il faut taxer le kérosène. En effet, les vols courts polluent beaucoup. "
    "M. Dupont, cité par « Le Monde », affirme le contraire !"
)


def test_predict_record_matches_contract(tiny_pipeline: Path) -> None:
    nlp = stance.load(tiny_pipeline)
    doc = nlp(TEXT, target="Il faut taxer le kérosène")
    assert [s.text for s in doc.sentences][0] == "Le client décide-t-il vraiment ?"
    assert len(doc.sentences) == 4
    rec = doc.to_dict()
    assert set(rec) >= {"id", "source", "target", "stance", "sentences", "error"}
    assert rec["stance"]["label"] in STANCES and set(rec["stance"]["scores"]) == set(STANCES)
    for s in rec["sentences"]:
        assert TEXT[s["start"] : s["end"]] == s["text"]
        assert s["role"] in ROLES and set(s["role_scores"]) == set(ROLES)
        assert abs(sum(s["role_scores"].values()) - 1) < 1e-3
        assert s["stance"] in STANCES and set(s["stance_scores"]) == set(STANCES)
    for span in rec.get("spans", []):
        assert span["label"] in ("claim", "premise")
        assert TEXT[span["start"] : span["end"]] == span["text"]
    json.dumps(rec)


def test_no_target_means_no_stance(tiny_pipeline: Path) -> None:
    doc = stance.load(tiny_pipeline)(TEXT)
    assert doc.stance is None
    assert all(s.stance is None and s.stance_scores is None for s in doc.sentences)
    assert all(s.role in ROLES for s in doc.sentences)


def test_pipe_equals_single_calls(tiny_pipeline: Path) -> None:
    nlp = stance.load(tiny_pipeline)
    texts = [TEXT, "Bonjour.", "", "Il faut agir maintenant. Le climat change."]
    piped = list(nlp.pipe(texts, target="agir", batch_size=2))
    assert len(piped) == len(texts)
    for text, doc in zip(texts, piped, strict=True):
        single = nlp(text, target="agir")
        assert [s.role for s in doc.sentences] == [s.role for s in single.sentences]
        for a, b in zip(doc.sentences, single.sentences, strict=True):
            assert a.role_scores and b.role_scores
            assert a.role_scores == pytest.approx(b.role_scores, abs=1e-4)
    assert piped[2].sentences == ()


def test_long_sentence_is_windowed_not_truncated(tiny_pipeline: Path) -> None:
    long_text = " ".join(["le train pollue moins que l'avion"] * 60) + "."
    doc = stance.load(tiny_pipeline)(long_text, target="agir")
    assert len(doc.sentences) == 1
    assert "windowed" in doc.sentences[0].flags


def test_single_task_checkpoint_loads(tiny_pipeline: Path) -> None:
    nlp = stance.load(tiny_pipeline / "stance")
    assert nlp.stance_model is not None


@pytest.mark.parametrize("damage", ["missing", "pickle", "bad_manifest"])
def test_broken_model_dirs_name_the_problem(
    tiny_pipeline: Path, tmp_path: Path, damage: str
) -> None:
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(tiny_pipeline, broken)
    part = broken / "component"
    if damage == "missing":
        shutil.rmtree(part)
    elif damage == "pickle":
        for f in part.glob("*.safetensors"):
            f.rename(f.with_suffix(".bin"))
    else:
        (part / "stance_part.json").write_text("{not json")
    with pytest.raises(ModelError) as err:
        stance.load(broken)("Il faut agir.")
    assert "component" in str(err.value)
