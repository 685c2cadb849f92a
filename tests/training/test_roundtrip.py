"""train → predict in memory → save → load (product path) → predict: the same numbers.

One shared body for every part type, flair-style: component (sentence pair with context),
stance ((target, text) pair), span (token tagger) and tagger (roles and spans in one pass). The
predictions of the model still in memory at the end of ``train`` are taken just before it is
saved, so a lossy save (a weight, a pooling layer, the tokenizer, the temperature or any
``PartInfo`` field not written or not read back) shows up as a difference against the loaded
directory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import stance
import stance.training.trainer as trainer_module
from stance.doc import Document
from stance.model.classifier import ArgumentTagger, PairClassifier, TokenTagger
from stance.model.part import PartInfo, load_part
from stance.model.tasks import component_inputs, doc_words
from stance.pipeline.config import PipelineConfig
from stance.pipeline.decide import THRESHOLDS
from stance.pipeline.pipeline import Pipeline
from stance.segment import split_sentences
from stance.training.config import from_dict
from stance.training.tagging import SPAN_ROLE_WEIGHTS
from tests.tiny import build_base, component_docs, stance_docs, write_jsonl

# an unmerged LoRA and its merged weights differ by float rounding only (< 1e-7 seen); tiny
# random encoders read through <s> give outputs only ~1e-4 apart, so the tolerance is tight
ATOL = 1e-6

TEXTS = [
    "Il faut taxer le kérosène. En effet, les vols courts polluent beaucoup. Le train existe.",
    "Le gouvernement doit agir. Les jeunes n'ont pas de travail.",
    "Bravo pour cette victoire, la France avance !",
]
TARGET = "Faut-il taxer le kérosène ?"


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import torch

    root = tmp_path_factory.mktemp("bases")
    torch.manual_seed(0)  # the same random encoders in every session
    return {kind: build_base(root / kind, kind) for kind in ("bert", "camembert")}


# (task, encoder family, method): every task, both tokenizer families, and every way a part is
# stored (full checkpoint; LoRA adapter; adapter over the fixed mean-pooling layer; adapter that
# carries a whole fully trained layer)
CASES = [
    ("component", "bert", "lora+mean"),
    ("component", "camembert", "full"),
    ("stance", "bert", "full+mean"),  # mean pooling, as the shipped stance part
    ("stance", "camembert", "lora+full"),
    ("span", "bert", "lora"),
    ("span", "camembert", "full"),
    ("tagger", "bert", "full"),  # the tagger is a BERT: no CamemBERT case
    ("tagger", "bert", "lora+full"),
]


@dataclass
class Trained:
    out: Path
    tokenizer: Any
    info: PartInfo
    raw: np.ndarray  # the in-memory model's outputs on the fixed inputs
    logits: np.ndarray  # its bare ``model(**enc).logits`` (what AutoModelFor* gives)
    docs: list[Document]  # the in-memory model run through the pipeline


def _config(task: str, base: Path, method: str, data: str) -> Any:
    return from_dict(
        {
            "task": task,
            "base": str(base),
            "data": [data],
            "dev_data": [data],
            "method": method.split("+")[0],
            "full_layers": 1 if method.endswith("+full") else 0,
            "mean_pool": method.endswith("+mean"),
            "context": 1 if task == "component" else 0,
            "context_chars": 40,  # not the default: the loaded part must cut context the same
            "epochs": 2,
            # high: two epochs must move tiny random encoders enough that inputs tell apart
            "learning_rate": 2e-2,
            "full_learning_rate": 2e-2,
            "batch_size": 8,
            "max_length": 48,
            "patience": 100,
            "lora_r": 4,
            "lora_alpha": 8,
            "none_pairs": 0.5,
        }
    )


def _raw(model: Any, tokenizer: Any, info: PartInfo) -> np.ndarray:
    """Logits (span: probabilities) straight from the classifiers, on inputs built as the
    pipeline builds them; at temperature 1, as a fitted temperature may flatten them."""
    info = replace(info, temperature=1.0)
    if info.task == "tagger":  # word logits (its roles are compared through the pipeline)
        docs = [Document(id="x", text=t, sentences=tuple(split_sentences(t))) for t in TEXTS]
        return np.concatenate(ArgumentTagger(model, tokenizer, info).logits(docs)[1])
    if info.task == "span":
        words = []
        for text in TEXTS:
            doc = Document(id="x", text=text)
            words.append([text[a:b] for a, b in doc_words(doc)])
        return np.concatenate(TokenTagger(model, tokenizer, info).word_proba(words))
    clf = PairClassifier(model, tokenizer, info)
    if info.task == "stance":
        return clf.logits([TARGET] * len(TEXTS), TEXTS, long_side="second")[0]
    firsts: list[str] = []
    seconds: list[str] = []
    for text in TEXTS:
        doc = Document(id="x", text=text, sentences=tuple(split_sentences(text)))
        a, b = component_inputs(doc, info.context, info.context_chars)
        assert b is not None  # trained with context: pairs
        firsts += a
        seconds += b
    return clf.logits(firsts, seconds, long_side="first")[0]


def _pipeline_docs(nlp: Pipeline) -> list[Document]:
    return list(nlp.pipe(TEXTS, target=TARGET, batch_size=2))


def _in_memory_pipeline(task: str, triple: tuple[Any, Any, PartInfo], root: Path) -> Pipeline:
    """A pipeline whose only part is the model still in memory (loader returns it as is)."""
    return Pipeline(root, PipelineConfig(parts={task: "memory"}), loader=lambda _path: triple)


def _train(task: str, kind: str, method: str, bases: dict[str, Path], tmp: Path) -> Trained:
    docs = stance_docs()[:8] if task == "stance" else component_docs()[:4]
    config = _config(task, bases[kind], method, write_jsonl(docs, tmp / "data.jsonl"))
    seen: dict[str, Any] = {}
    real_save = trainer_module.save_trained

    def predict_then_save(model: Any, tokenizer: Any, info: PartInfo, *args: Any) -> None:
        model.eval()
        seen["raw"] = _raw(model, tokenizer, info)
        seen["logits"] = _logits(model, tokenizer)
        seen["docs"] = _pipeline_docs(_in_memory_pipeline(task, (model, tokenizer, info), tmp))
        seen.update(tokenizer=tokenizer, info=info)
        real_save(model, tokenizer, info, *args)

    mp = pytest.MonkeyPatch()
    mp.setattr(trainer_module, "save_trained", predict_then_save)
    try:
        out = tmp / "run"
        trainer_module.train(config, out)
    finally:
        mp.undo()
    return Trained(
        out,
        seen["tokenizer"],
        seen["info"],
        seen["raw"],
        seen["logits"],
        seen["docs"],
    )


def _assert_close_scores(a: dict[str, float] | None, b: dict[str, float] | None) -> None:
    assert (a is None) == (b is None)
    if a is not None and b is not None:
        assert list(a) == list(b)
        np.testing.assert_allclose(list(a.values()), list(b.values()), atol=ATOL, rtol=0)


def _assert_same_docs(a: list[Document], b: list[Document]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert [(s.start, s.end, s.role, s.stance, s.flags) for s in x.sentences] == [
            (s.start, s.end, s.role, s.stance, s.flags) for s in y.sentences
        ]
        for s, t in zip(x.sentences, y.sentences, strict=True):
            _assert_close_scores(s.role_scores, t.role_scores)
            _assert_close_scores(s.stance_scores, t.stance_scores)
        assert [(p.start, p.end, p.label) for p in x.spans] == [
            (p.start, p.end, p.label) for p in y.spans
        ]
        np.testing.assert_allclose(
            [p.score for p in x.spans], [p.score for p in y.spans], atol=ATOL, rtol=0
        )
        assert (x.stance is None) == (y.stance is None)
        if x.stance is not None and y.stance is not None:
            assert (x.stance.label, x.stance.evidence) == (y.stance.label, y.stance.evidence)
            _assert_close_scores(x.stance.scores, y.stance.scores)
        assert x.meta.get("main_claims") == y.meta.get("main_claims")


@pytest.mark.parametrize(("task", "kind", "method"), CASES)
def test_train_save_load_predicts_the_same(
    task: str,
    kind: str,
    method: str,
    bases: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    run = _train(task, kind, method, bases, tmp_path)
    out = run.out
    assert run.raw.shape[1] == len(run.info.labels)
    # the inputs give different outputs, far apart compared with the tolerance
    assert np.ptp(run.raw, axis=0).max() > 10 * ATOL

    # 1. the part as the product opens it: same manifest, same probabilities
    model, tokenizer, info = load_part(out)
    assert info == run.info  # temperature, labels, context, context_chars, extra...
    if task == "tagger":  # the weight of its tags' roles, chosen on dev from the grid
        assert info.extra["span_role_weight"] in SPAN_ROLE_WEIGHTS
        assert len([k for k in info.extra["dev_scores"] if k.startswith("span_role_")]) == 6
    np.testing.assert_allclose(_raw(model, tokenizer, info), run.raw, atol=ATOL, rtol=0)
    if method.startswith("lora"):  # the compact form shipped in models/ predicts the same
        adapter = load_part(out / "adapter")
        assert adapter[2] == run.info
        np.testing.assert_allclose(_raw(*adapter), run.raw, atol=ATOL, rtol=0)

    # 2. the whole product path: stance.load(dir) on the single task checkpoint
    monkeypatch.setenv("STANCE_MODEL", str(tmp_path / "no-default"))  # only this part
    nlp = stance.load(out)
    assert set(nlp.part_paths) == {task}
    _assert_same_docs(_pipeline_docs(nlp), run.docs)
    assert any(d.sentences for d in run.docs)
    if task == "stance":
        assert all(d.stance is not None for d in run.docs)
        summary = json.loads((out / "train_summary.json").read_text(encoding="utf-8"))
        assert summary["none_threshold"] in (0.0, *THRESHOLDS)  # chosen on dev (_calibrate)
    elif task in ("component", "tagger"):
        assert all(s.role_scores for d in run.docs for s in d.sentences)

    # 3. plain transformers opens the checkpoint and computes the same logits
    token = task in ("span", "tagger")  # a tagger opens as a plain span tagger
    auto = AutoModelForTokenClassification if token else AutoModelForSequenceClassification
    opened = auto.from_pretrained(str(out)).eval()
    assert opened.config.num_labels == len(run.info.labels)
    assert opened.config.id2label == dict(enumerate(run.info.labels))
    np.testing.assert_allclose(_logits(opened, tokenizer), run.logits, atol=ATOL, rtol=0)

    assert (out / "README.md").read_text(encoding="utf-8").startswith("---")
    if method.endswith("+full"):
        _check_full_layer(out, bases[kind])


def _logits(model: Any, tokenizer: Any) -> np.ndarray:
    import torch

    enc = tokenizer(TEXTS, [TARGET] * len(TEXTS), padding=True, return_tensors="pt")
    enc = {k: v for k, v in enc.items() if k in ("input_ids", "attention_mask", "token_type_ids")}
    with torch.inference_mode():
        return model(**enc).logits.float().numpy()


def _check_full_layer(out: Path, base: Path) -> None:
    """The top layer is stored whole in the adapter, changed by training; no LoRA on it."""
    from safetensors.numpy import load_file

    saved = load_file(str(out / "adapter" / "adapter_model.safetensors"))
    top = int(json.loads((base / "config.json").read_text())["num_hidden_layers"]) - 1
    mine = [k for k in saved if f"layer.{top}." in k]
    assert mine and not any("lora_" in k for k in mine), mine
    assert any("lora_" in k for k in saved)  # the layers below still have adapters
    key = next(k for k in mine if k.endswith("attention.self.query.weight"))
    base_w = load_file(str(base / "model.safetensors"))
    ref = next(
        v for k, v in base_w.items() if k.endswith(f"layer.{top}.attention.self.query.weight")
    )
    assert not np.allclose(saved[key], ref), "the fully trained layer did not change"
