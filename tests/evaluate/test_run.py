"""``stance evaluate``: a model run over gold data, its predictions handed to the harness.

The models are stand-ins (fixed logits), so the numbers are known in advance.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import stance.evaluate.run as run
from stance.doc import ROLES, STANCES, DocStance, Document, Sentence, Span
from stance.model.part import ModelError, PartInfo
from stance.model.tasks import SPAN_TAGS_MERGED, decode_spans, doc_words, word_tags
from tests.tiny import write_jsonl

XS = ("favor", "against")


class FakePair:
    """Records its inputs; logits favour the first label unless the text says otherwise."""

    def __init__(self, labels: tuple[str, ...], context: int = 0, chars: int = 120) -> None:
        self.labels = labels
        self.info = SimpleNamespace(temperature=1.0, context=context, context_chars=chars)
        self.calls: list[dict[str, Any]] = []

    def logits(
        self, first: list[str], second: list[str] | None, long_side: str
    ) -> tuple[np.ndarray, list[bool]]:
        self.calls.append({"first": first, "second": second, "long_side": long_side})
        texts = second if long_side == "second" and second is not None else first
        out = np.zeros((len(first), len(self.labels)))
        for i, text in enumerate(texts):
            hit = [j for j, label in enumerate(self.labels) if label in text.lower()]
            out[i, hit[0] if hit else 0] = 5.0
        return out, [False] * len(first)


class FakeTagger:
    """Tags each word with its gold tag: every span is found."""

    labels = SPAN_TAGS_MERGED

    def __init__(self, docs: list[Document]) -> None:
        self.docs = docs

    def word_proba(self, words: list[list[str]]) -> list[np.ndarray]:
        out = []
        for doc, ws in zip(self.docs, words, strict=True):
            tags = word_tags(doc, doc_words(doc), merge_majorclaim=True)
            assert len(tags) == len(ws)
            out.append(np.eye(len(self.labels))[[self.labels.index(t) for t in tags]])
        return out


def _nlp(tmp_path: Path, **parts: Any) -> SimpleNamespace:
    return SimpleNamespace(
        component=parts.get("component"),
        stance_model=parts.get("stance_model"),
        span=parts.get("span"),
        tagger=parts.get("tagger"),
        directory=tmp_path,
        part_paths={},
        config=SimpleNamespace(stance_threshold=0.0),
        runs_on={"backend": "torch", "quantize": None},
    )


def _role_doc(doc_id: str, *sentences: tuple[str, str | None]) -> Document:
    sents, start = [], 0
    for i, (text, role) in enumerate(sentences):
        sents.append(Sentence(i, start, start + len(text), text, role=role))
        start += len(text) + 1
    text = " ".join(t for t, _ in sentences)
    return Document(id=doc_id, text=text, sentences=tuple(sents))


def test_component_predictions_use_the_part_context(tmp_path: Path) -> None:
    docs = [
        _role_doc("a", ("Claim : il faut agir.", "claim"), ("Premise : il pleut.", "premise")),
        _role_doc("b", ("Rien.", None)),
    ]
    part = FakePair(ROLES, context=1, chars=5)
    gold, logits, labels, texts, targets = run.component_predictions(
        _nlp(tmp_path, component=part), docs
    )
    assert gold == ["claim", "premise", "none"]  # no gold role reads as none
    assert labels == ROLES and targets is None
    assert texts == ["Claim : il faut agir.", "Premise : il pleut.", "Rien."]
    assert logits.argmax(1).tolist() == [0, 1, 0]
    (call,) = part.calls
    assert call["long_side"] == "first"
    assert call["second"] == [
        "[début] [phrase] Premi",
        "agir. [phrase] [fin]",
        "[début] [phrase] [fin]",
    ]
    lone = FakePair(ROLES, context=0)
    run.component_predictions(_nlp(tmp_path, component=lone), docs)
    assert lone.calls[0]["second"] is None  # a part trained without context reads sentences


def test_stance_predictions_skip_documents_without_gold(tmp_path: Path) -> None:
    docs = [
        Document("1", "Je suis against.", target="T1", stance=DocStance("against", {})),
        Document("2", "Pas de gold.", target="T2"),
        Document("3", "Plutôt favor.", target="T3", stance=DocStance("favor", {})),
    ]
    part = FakePair(STANCES)
    gold, logits, _, texts, targets = run.stance_predictions(
        _nlp(tmp_path, stance_model=part), docs
    )
    assert gold == ["against", "favor"] and targets == ["T1", "T3"]
    assert texts == ["Je suis against.", "Plutôt favor."]
    assert part.calls[0]["first"] == ["T1", "T3"] and part.calls[0]["long_side"] == "second"
    assert logits.argmax(1).tolist() == [1, 0]


def test_missing_part_is_a_model_error(tmp_path: Path) -> None:
    nlp = _nlp(tmp_path)
    with pytest.raises(ModelError, match="no component part"):
        run.component_predictions(nlp, [])  # type: ignore[arg-type]
    with pytest.raises(ModelError, match="no stance part"):
        run.stance_predictions(nlp, [])  # type: ignore[arg-type]


def test_partitions_keep_keys_that_split_the_data() -> None:
    docs = [
        Document("1", "x", stance=DocStance("favor", {}), meta={"topic": "a", "language": "fr"}),
        Document("2", "y", stance=DocStance("favor", {}), meta={"topic": "b", "language": "fr"}),
        Document("3", "z", meta={"topic": "c"}),  # no gold: not scored, not partitioned
    ]
    assert run._partitions(docs) == {"topic": ["a", "b"]}


def test_evaluate_model_component_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [
        _role_doc("a", ("Claim : il faut agir.", "claim"), ("Premise : il pleut.", "premise")),
        _role_doc("b", ("Claim : oui.", "claim"), ("Rien du tout.", "none")),
    ]
    data = Path(write_jsonl(docs, tmp_path / "gold.jsonl").split(":", 1)[1])
    monkeypatch.setattr(run, "load", lambda model, **kw: _nlp(tmp_path, component=FakePair(ROLES)))
    rep = run.evaluate_model(None, "component", data, "jsonl", tmp_path / "out", baselines=False)
    # "Rien du tout." has no cue: the fake answers claim (first label)
    assert rep["n"] == 4 and rep["accuracy"] == pytest.approx(3 / 4)
    assert rep["per_class"]["premise"]["f1"] == 1.0
    assert json.loads((tmp_path / "out" / "report.json").read_text())["extra"]["data"] == str(data)
    with pytest.raises(ValueError, match="unknown task"):
        run.evaluate_model(None, "topic", data, "jsonl", tmp_path / "o2", baselines=False)


def test_evaluate_model_span_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Il faut taxer le kérosène . Car les avions polluent beaucoup ."
    spans = (Span(0, 25, "claim"), Span(28, 60, "premise"))
    assert text[28:60] == "Car les avions polluent beaucoup"
    docs = [Document("a", text, spans=spans), Document("b", "Rien à signaler ici .")]
    data = Path(write_jsonl(docs, tmp_path / "gold.jsonl").split(":", 1)[1])
    gold_docs = run._load_gold("jsonl", data, None, "auto")
    monkeypatch.setattr(run, "load", lambda model, **kw: _nlp(tmp_path, span=FakeTagger(gold_docs)))
    rep = run.evaluate_model(None, "span", data, "jsonl", tmp_path / "out", baselines=False)
    assert rep["span_f1_exact"] == 1.0 and rep["n_docs"] == 2
    lines = (tmp_path / "out" / "tags.jsonl").read_text().splitlines()
    tags = [json.loads(line) for line in lines]
    assert len(tags) == 2 and all(t["gold"] == t["pred"] for t in tags)  # for paired tests
    assert rep["extra"]["backend"] == "torch" and rep["extra"]["quantize"] is None


def test_no_documents_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(ValueError, match="no documents"):
        run.evaluate_model(None, "component", empty, "jsonl", tmp_path / "out")


def test_a_none_stance_on_binary_xstance_counts_as_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The contract: X-Stance is scored on {favor, against}; the model's `none` is an error."""
    rows = [("Oui, bien sûr.", "FAVOR"), ("Non, jamais.", "AGAINST"), ("Peut-être.", "FAVOR")]
    path = tmp_path / "valid.fr.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": i,
                    "language": "fr",
                    "question_id": 1,
                    "question": "Faut-il ?",
                    "comment": text,
                    "label": label,
                    "topic": "t",
                }
            )
            + "\n"
            for i, (text, label) in enumerate(rows)
        ),
        encoding="utf-8",
    )
    # favor, against, then none for the third comment (columns: favor, against, none)
    logits = np.array([[3.0, 0.0, 0.0], [0.0, 3.0, 0.0], [1.0, 0.0, 3.0]])
    part = SimpleNamespace(
        labels=STANCES,
        info=SimpleNamespace(temperature=1.0),
        logits=lambda targets, texts, long_side: (logits[: len(texts)], None),
    )
    fake = SimpleNamespace(
        stance_model=part,
        directory=tmp_path,
        part_paths={},
        config=SimpleNamespace(stance_threshold=0.0),
        runs_on={"backend": "torch", "quantize": None},
    )
    monkeypatch.setattr(run, "load", lambda model, **kw: fake)
    rep = run.evaluate_model(None, "stance", path, "xstance", tmp_path / "out", baselines=False)
    assert rep["labels"] == list(XS)
    assert rep["confusion"]["pred"] == ["favor", "against", "none"]
    assert rep["per_class"]["favor"]["recall"] == 0.5  # the `none` answer is not favor's 2nd best
    assert rep["accuracy"] == pytest.approx(2 / 3)
    # the pipeline's abstain threshold applies, as in `stance predict`: p(favor) = 0.91 < 0.95
    fake.config.stance_threshold = 0.95
    rep = run.evaluate_model(None, "stance", path, "xstance", tmp_path / "out", baselines=False)
    assert rep["per_class"]["favor"]["recall"] == 0.0
    assert rep["per_class"]["against"]["recall"] == 0.0


# --- a real (tiny, trained) argument tagger: scored as `stance label` runs it ---


@pytest.fixture(scope="module")
def tagger_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A `stance train --task tagger` run (its stance_part.json says task "tagger"; a few
    seconds on a tiny encoder, enough for roles and spans that vary), a pipeline whose only
    part is that tagger, and a default pipeline that lists component, span and stance parts
    (never opened: a tagger run given alone takes their tasks)."""
    import shutil

    import torch

    from stance.training.config import from_dict
    from stance.training.trainer import train
    from tests.tiny import build_base, component_docs

    root = tmp_path_factory.mktemp("tagger")
    torch.manual_seed(0)
    base = build_base(root / "base")
    data = write_jsonl(component_docs(), root / "train.jsonl")
    keys = {"task": "tagger", "base": str(base), "data": [data], "dev_data": [data]}
    keys |= {"method": "full", "epochs": 3, "learning_rate": 2e-2, "batch_size": 8}
    train(from_dict({**keys, "max_length": 48, "patience": 100}), root / "run")
    pipe = root / "pipeline"
    shutil.copytree(root / "run", pipe / "tagger", ignore=shutil.ignore_patterns("checkpoints"))
    (pipe / "pipeline.json").write_text(json.dumps({"name": "t", "parts": {"tagger": "tagger"}}))
    default = root / "default"
    default.mkdir()
    parts = {t: t for t in ("component", "span", "stance")}
    (default / "pipeline.json").write_text(json.dumps({"name": "d", "parts": parts}))
    return {"pipeline": pipe, "run": root / "run", "default": default}


def _bio_file(path: Path) -> Path:
    """PE-FR BIO paragraphs (``pe-fr-bio``: gold spans, sentences with roles) from the tiny
    component documents; the first claim is a MajorClaim (scored as a claim)."""
    from tests.tiny import component_docs

    lines = []
    for n, doc in enumerate(component_docs()[:6]):
        offsets = doc_words(doc)
        tags = word_tags(doc, offsets, merge_majorclaim=False)
        for (a, b), tag in zip(offsets, tags, strict=True):
            kind = "MajorClaim" if n == 0 and "claim" in tag else tag[2:].capitalize()
            lines.append(f"{doc.text[a:b]}\t{'O' if tag == 'O' else tag[:2] + kind}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _model(models: dict[str, Path], which: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The model to pass, and the default pipeline a single run directory completes."""
    monkeypatch.setenv("STANCE_MODEL", str(models["default"]))
    return models[which]


def _tagger_dir(models: dict[str, Path], which: str) -> str:
    return str(models["pipeline"] / "tagger" if which == "pipeline" else models["run"])


def _by_hand(model: Path, docs: list[Document], **runs_on: Any) -> tuple[Any, list[Document]]:
    """The pipeline of ``stance label`` (same load options) over the gold texts."""
    from stance.pipeline.pipeline import load

    nlp = load(model, **runs_on)
    assert nlp.tagger is not None and "component" not in nlp.part_paths
    return nlp, list(nlp.pipe([d.text for d in docs]))


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("which", ["pipeline", "run"])
def test_a_tagger_scores_roles_as_the_pipeline_labels_them(
    which: str, tagger_models: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stance.evaluate.metrics import classification_report

    model = _model(tagger_models, which, monkeypatch)
    data = _bio_file(tmp_path / "dev_PE.fr")
    rep = run.evaluate_model(model, "component", data, "pe-fr-bio", tmp_path / "o", baselines=False)
    gold_docs = run._load_gold("pe-fr-bio", data, None, "auto")
    _, labelled = _by_hand(model, gold_docs)
    # the gold sentences are the segmenter's: `stance label` reads the same units
    assert [[(s.start, s.end) for s in d.sentences] for d in labelled] == [
        [(s.start, s.end) for s in d.sentences] for d in gold_docs
    ]
    gold = [s.role for d in gold_docs for s in d.sentences]
    pred = [s.role for d in labelled for s in d.sentences]
    assert len(set(pred)) > 1  # the tiny tagger's roles vary
    assert _lines(tmp_path / "o" / "predictions.jsonl") == [
        {"gold": g, "pred": p} for g, p in zip(gold, pred, strict=True)
    ]
    want = classification_report(gold, pred, ROLES)
    assert rep["macro_f1"] == pytest.approx(want["macro_f1"])
    assert rep["accuracy"] == pytest.approx(want["accuracy"]) and rep["n"] == len(gold)
    tagger_dir = _tagger_dir(tagger_models, which)
    assert rep["extra"]["model"] == tagger_dir
    assert rep["extra"]["temperature"] == PartInfo.load(Path(tagger_dir)).temperature  # roles'
    assert rep["calibration"]["ece_after"] is not None
    # the report has the keys of a component part's report
    monkeypatch.setattr(run, "load", lambda model, **kw: _nlp(tmp_path, component=FakePair(ROLES)))
    part_rep = run.evaluate_model(
        None, "component", data, "pe-fr-bio", tmp_path / "p", baselines=False
    )
    assert set(rep) == set(part_rep) and set(rep["extra"]) == set(part_rep["extra"])


@pytest.mark.parametrize("which", ["pipeline", "run"])
def test_a_tagger_scores_spans_as_the_pipeline_labels_them(
    which: str, tagger_models: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stance.evaluate import spans
    from stance.evaluate.metrics import classification_report
    from stance.evaluate.spans import BIO_TAGS

    model = _model(tagger_models, which, monkeypatch)
    data = _bio_file(tmp_path / "dev_PE.fr")
    rep = run.evaluate_model(model, "span", data, "pe-fr-bio", tmp_path / "o", baselines=False)
    gold_docs = run._load_gold("pe-fr-bio", data, None, "auto")
    nlp, labelled = _by_hand(model, gold_docs)
    # tags: the argmax of the tagger's word probabilities, on the sentences `stance label` cuts
    tags = [
        [nlp.tagger.labels[int(p.argmax())] for p in t.word_probs]
        for t in nlp.tagger.predict(labelled)
    ]
    gold_tags = [word_tags(d, doc_words(d), merge_majorclaim=True) for d in gold_docs]
    assert _lines(tmp_path / "o" / "tags.jsonl") == [
        {"gold": g, "pred": p} for g, p in zip(gold_tags, tags, strict=True)
    ]
    pred_spans = [[(s.start, s.end, s.label) for s in d.spans] for d in labelled]
    gold_spans = [
        [(s.start, s.end, s.label.replace("majorclaim", "claim")) for s in d.spans]
        for d in gold_docs
    ]
    assert any(pred_spans) and any(s[2] == "claim" for d in gold_spans for s in d)
    for level, key in ((spans.EXACT, "span_f1_exact"), (spans.PARTIAL, "span_f1_partial")):
        assert rep[key] == pytest.approx(spans.span_scores(gold_spans, pred_spans, level)["f1"])
    flat_gold, flat_pred = spans.flatten_tags(gold_tags, tags)
    assert rep["macro_f1"] == pytest.approx(
        classification_report(flat_gold, flat_pred, BIO_TAGS)["macro_f1"]
    )
    assert rep["extra"]["model"] == _tagger_dir(tagger_models, which)
    assert rep["n_docs"] == len(gold_docs)
    # the report has the keys of a span part's report
    monkeypatch.setattr(run, "load", lambda model, **kw: _nlp(tmp_path, span=FakeTagger(gold_docs)))
    part_rep = run.evaluate_model(None, "span", data, "pe-fr-bio", tmp_path / "p", baselines=False)
    assert set(rep) == set(part_rep) and set(rep["extra"]) == set(part_rep["extra"])


def test_a_tagger_scored_on_its_own_labels_is_right_everywhere(
    tagger_models: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gold = what `stance label` wrote: every role right, every span found exactly."""
    model = _model(tagger_models, "run", monkeypatch)
    texts = [d.text for d in run._load_gold("pe-fr-bio", _bio_file(tmp_path / "x"), None, "auto")]
    _, labelled = _by_hand(model, [Document(str(i), t) for i, t in enumerate(texts)])
    data = Path(write_jsonl(labelled, tmp_path / "gold.jsonl").split(":", 1)[1])
    roles = run.evaluate_model(model, "component", data, "jsonl", tmp_path / "r", baselines=False)
    assert roles["accuracy"] == 1.0
    found = run.evaluate_model(model, "span", data, "jsonl", tmp_path / "s", baselines=False)
    assert found["span_f1_exact"] == 1.0 and found["spans"]["exact"]["tp"] > 0


@pytest.mark.parametrize(("backend", "quantize"), [("torch", "int8"), ("onnx", None)])
def test_a_tagger_is_scored_as_label_runs_it_with_backend_and_quantize(
    backend: str,
    quantize: str | None,
    tagger_models: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STANCE_CACHE_DIR", str(tmp_path / "cache"))  # the ONNX export
    model = _model(tagger_models, "run", monkeypatch)
    data = _bio_file(tmp_path / "dev_PE.fr")
    runs_on: dict[str, Any] = {"backend": backend, "quantize": quantize}
    rep = run.evaluate_model(
        model, "component", data, "pe-fr-bio", tmp_path / "r", baselines=False, **runs_on
    )
    found = run.evaluate_model(
        model, "span", data, "pe-fr-bio", tmp_path / "s", baselines=False, **runs_on
    )
    assert rep["extra"]["backend"] == found["extra"]["backend"] == backend
    assert rep["extra"]["quantize"] == found["extra"]["quantize"] == quantize
    gold_docs = run._load_gold("pe-fr-bio", data, None, "auto")
    nlp, labelled = _by_hand(model, gold_docs, **runs_on)
    assert nlp.loader is not run.load(model).loader  # not the plain torch loader
    roles = [s.role for d in labelled for s in d.sentences]
    assert [line["pred"] for line in _lines(tmp_path / "r" / "predictions.jsonl")] == roles
    tags = _lines(tmp_path / "s" / "tags.jsonl")
    decoded = [
        [(s.start, s.end, s.label) for s in decode_spans(d.text, doc_words(d), t["pred"])]
        for d, t in zip(gold_docs, tags, strict=True)
    ]
    assert decoded == [[(s.start, s.end, s.label) for s in d.spans] for d in labelled]


def test_task_tagger_is_refused_with_the_tasks_to_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"--task component .*--task span"):
        run.evaluate_model(None, "tagger", tmp_path / "none.jsonl", "jsonl", tmp_path / "o")


def test_a_component_or_span_part_keeps_its_task_beside_a_tagger(tmp_path: Path) -> None:
    """As in the pipeline: a part given as override scores its task, the tagger the other."""
    tagger = SimpleNamespace(labels=SPAN_TAGS_MERGED, role_labels=ROLES)
    part = FakePair(ROLES)
    assert run.role_part(_nlp(tmp_path, component=part, tagger=tagger)) == ("component", part)  # type: ignore[arg-type]
    assert run.role_part(_nlp(tmp_path, tagger=tagger)) == ("tagger", tagger)  # type: ignore[arg-type]
    docs = [Document("a", "Rien à signaler ici .")]
    name, *_ = run.span_predictions(_nlp(tmp_path, span=FakeTagger(docs), tagger=tagger), docs)  # type: ignore[arg-type]
    assert name == "span"
    with pytest.raises(ModelError, match="no span part"):
        run.span_predictions(_nlp(tmp_path), docs)  # type: ignore[arg-type]
