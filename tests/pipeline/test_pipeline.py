"""The pipeline end to end on a tiny model: offsets, labels, records, pipe, loading errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import stance
from stance.doc import NO_WORDS, ROLES, STANCES
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


NO_WORDS_TEXT = "Il faut agir.\n\n***\n\nLe climat change.\n\n12/03/2024\n\nhttps://exemple.fr/x"


def test_lines_without_words_are_none_without_model_work(
    tiny_pipeline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The models never read a line without words; it is role and stance ``none``, flagged,
    and casts no vote in the article's stance."""
    from stance.model.classifier import PairClassifier

    read: list[list[str]] = []
    logits = PairClassifier.logits

    def spy(self: PairClassifier, first: list[str], *args: Any, **kw: Any) -> Any:
        read.append(list(first))
        return logits(self, first, *args, **kw)

    monkeypatch.setattr(PairClassifier, "logits", spy)
    doc = stance.load(tiny_pipeline)(NO_WORDS_TEXT, target="agir")
    lines = [doc.sentences[k] for k in (1, 3, 4)]
    assert [s.text for s in lines] == ["***", "12/03/2024", "https://exemple.fr/x"]
    roles, stances = read  # the stance part reads target first, then the texts
    assert roles == ["Il faut agir.", "Le climat change."]
    assert len(stances) == 3  # two sentences and the whole text
    for s in lines:
        assert s.flags == (NO_WORDS,) and s.role == "none" and s.stance == "none"
        assert s.role_scores == dict.fromkeys(ROLES, 0.0) | {"none": 1.0}
    assert NO_WORDS not in doc.sentences[0].flags + doc.sentences[2].flags
    assert doc.stance is not None
    assert set(doc.stance.evidence) <= {0, 2}


def test_long_sentence_is_windowed_not_truncated(tiny_pipeline: Path) -> None:
    long_text = " ".join(["le train pollue moins que l'avion"] * 60) + "."
    doc = stance.load(tiny_pipeline)(long_text, target="agir")
    assert len(doc.sentences) == 1
    assert "windowed" in doc.sentences[0].flags


def test_without_a_target_the_stance_part_is_never_loaded(tiny_pipeline: Path) -> None:
    nlp = stance.load(tiny_pipeline)
    doc = nlp("Il faut agir. Le train pollue moins.")
    assert doc.stance is None and all(s.role for s in doc.sentences)
    assert "stance_model" not in vars(nlp)  # the cached part was never built
    nlp("Il faut agir.", target="agir")
    assert "stance_model" in vars(nlp)


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


@pytest.fixture(scope="module")
def tagger_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.tiny import build_tagger_pipeline

    return build_tagger_pipeline(tmp_path_factory.mktemp("tagger"))


def _direct(model: Any, tokenizer: Any, info: Any, doc: Any) -> tuple[list[Any], list[Any]]:
    """Roles and spans of one document from the tagger called by hand, one window at a time."""
    import numpy as np
    import torch

    from stance.model.classifier import softmax
    from stance.model.tasks import decode_spans, doc_words
    from stance.model.windows import build_windows

    words = doc_words(doc)
    roles: list[Any] = [None] * len(doc.sentences)
    probs = np.zeros((len(words), len(info.labels)))
    for w in build_windows([doc], tokenizer, info.max_length):
        ids = torch.tensor([w.input_ids])
        with torch.no_grad():
            out = model(input_ids=ids, role_positions=torch.tensor([w.markers]))
        for j, s in enumerate(w.sentences):
            roles[s] = softmax(out.role_logits[0, j].numpy(), info.temperature)
        for word, pos in w.words:
            probs[word] = softmax(out.logits[0, pos].numpy(), info.extra["span_temperature"])
    tags = [info.labels[int(p.argmax())] for p in probs]
    spans = decode_spans(doc.text, words, tags, [float(p.max()) for p in probs])
    return roles, spans


def test_a_tagger_part_gives_what_the_model_gives(tagger_pipeline: Path) -> None:
    """Roles and spans from one tagger pass per window, batched across documents, are what
    the model says window by window; the Document records stay the same shape."""
    from stance.model.part import load_part

    nlp = stance.load(tagger_pipeline)
    assert set(nlp.part_paths) == {"tagger"}
    texts = [TEXT, "Bonjour.", "", "Il faut agir maintenant. Le climat change.\n\n" + TEXT]
    texts.append(NO_WORDS_TEXT)
    docs = list(nlp.pipe(texts, batch_size=3))
    model, tokenizer, info = load_part(tagger_pipeline / "tagger")
    assert any(len(w) > 1 for w in _windows(docs, tokenizer, info))  # windows of several
    assert sum(len(d.spans) for d in docs) > 0
    for doc in docs:
        roles, spans = _direct(model, tokenizer, info, doc)
        for s, want in zip(doc.sentences, roles, strict=True):
            if NO_WORDS in s.flags:  # a line without words: none, whatever the model says
                assert s.text in ("***", "12/03/2024", "https://exemple.fr/x") and s.role == "none"
                continue
            assert s.role_scores == pytest.approx(dict(zip(ROLES, want, strict=True)), abs=1e-5)
            assert s.role == ROLES[int(want.argmax())]
        assert [(p.start, p.end, p.label) for p in doc.spans] == [
            (p.start, p.end, p.label) for p in spans
        ]
        assert [p.score for p in doc.spans] == pytest.approx([p.score for p in spans], abs=1e-5)
        record = doc.to_dict()
        assert record["stance"] is None and all(r["role"] in ROLES for r in record["sentences"])


def _windows(docs: list[Any], tokenizer: Any, info: Any) -> list[tuple[int, ...]]:
    from stance.model.windows import build_windows

    return [w.sentences for w in build_windows(docs, tokenizer, info.max_length)]


def test_a_tagger_replaces_component_and_span_unless_overridden(
    tagger_pipeline: Path, tmp_path: Path
) -> None:
    """Parts listed beside a tagger are never loaded; a part given as override keeps its task."""
    from stance.pipeline.config import PipelineConfig
    from stance.pipeline.export import export_hf
    from stance.pipeline.pipeline import Pipeline

    config = PipelineConfig(parts={"tagger": "tagger", "component": "gone", "span": "gone"})
    nlp = Pipeline(tagger_pipeline, config)
    assert set(nlp.part_paths) == {"tagger"}  # "gone" would fail to load
    alone = nlp("Il faut agir maintenant. Le climat change.")
    roles_dir = export_hf(tagger_pipeline, "component", tmp_path / "roles")
    mixed = Pipeline(tagger_pipeline, config, overrides={"component": roles_dir})
    assert set(mixed.part_paths) == {"tagger", "component"}
    doc = mixed("Il faut agir maintenant. Le climat change.")
    assert doc.spans == alone.spans  # spans: still the tagger
    assert mixed.component is not None
    want = mixed.component.proba([s.text for s in doc.sentences])
    for s, row in zip(doc.sentences, want, strict=True):
        assert s.role_scores == pytest.approx(dict(zip(ROLES, row, strict=True)), abs=1e-5)
