"""Every task: loss goes down, save → load gives the same predictions, AutoModelFor* opens it.

One shared test body runs for each (task, encoder family, method), as flair's BaseModelTest.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stance.model.classifier import PairClassifier, TokenTagger
from stance.model.part import load_part
from stance.training.config import from_dict
from stance.training.trainer import train
from tests.tiny import build_base, component_docs, stance_docs, write_jsonl


@pytest.fixture(scope="session")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bases")
    return {kind: build_base(root / kind, kind) for kind in ("bert", "camembert")}


CASES = [
    ("component", "bert", "full"),
    ("component", "camembert", "lora"),
    ("span", "bert", "lora"),
    ("span", "camembert", "full"),
    ("stance", "bert", "full"),
    ("stance", "camembert", "full"),
    ("component", "bert", "frozen-embeddings"),
    ("component", "bert", "lora+full"),  # LoRA below, the top layer trained in full
    ("component", "camembert", "lora+mean"),  # fixed mean-pooling layer on top (stance.pooling)
    ("stance", "bert", "full+distill"),  # soft labels from TF-IDF + LR (stance.distill)
]


def _run(task: str, base: Path, method: str, tmp: Path) -> tuple[Path, dict]:
    docs = stance_docs() if task == "stance" else component_docs()
    spec = write_jsonl(docs, tmp / "data.jsonl")
    config = from_dict(
        {
            "task": task,
            "base": str(base),
            "data": [spec],
            "dev_data": [spec],
            "method": method.split("+")[0],
            "full_layers": 1 if method.endswith("+full") else 0,
            "mean_pool": method.endswith("+mean"),
            "distill_lexical": 0.5 if method.endswith("+distill") else 0.0,
            "epochs": 12,
            "learning_rate": 5e-3,  # tiny random encoders: lower rates leave some runs at chance
            "full_learning_rate": 5e-3,
            "batch_size": 8,
            "max_length": 64,
            "patience": 100,
            "lora_r": 4,
            "lora_alpha": 8,
            "none_pairs": 0.5,
            "context_chars": 40,
        }
    )
    out = tmp / "model"
    summary = train(config, out)
    return out, summary


def _predict(out: Path, task: str) -> np.ndarray:
    model, tok, info = load_part(out)
    if task == "span":
        return np.concatenate(
            TokenTagger(model, tok, info).word_proba([["Il", "faut", "agir", "."]])
        )
    first = ["Il faut taxer le kérosène.", "Les jeunes n'ont pas de travail."]
    if task == "stance":
        return PairClassifier(model, tok, info).proba(
            ["Faut-il taxer ?", "Faut-il taxer ?"], first, long_side="second"
        )
    return PairClassifier(model, tok, info).proba(first, ["[début] [phrase] [fin]"] * 2)


@pytest.mark.parametrize(("task", "kind", "method"), CASES)
def test_train_save_load(
    task: str, kind: str, method: str, bases: dict[str, Path], tmp_path: Path
) -> None:
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    out, summary = _run(task, bases[kind], method, tmp_path)
    history = json.loads(
        (out / "checkpoints").joinpath(_last(out), "trainer_state.json").read_text()
    )
    losses = [h["loss"] for h in history["log_history"] if "loss" in h]
    assert losses[-1] < losses[0], f"loss did not go down: {losses}"
    first = _predict(out, task)
    again = _predict(out, task)
    np.testing.assert_allclose(first, again, atol=1e-6)
    auto = AutoModelForTokenClassification if task == "span" else AutoModelForSequenceClassification
    opened = auto.from_pretrained(str(out))
    assert opened.config.num_labels == len(
        json.loads((out / "stance_part.json").read_text())["labels"]
    )
    assert (out / "README.md").read_text().startswith("---")
    assert load_part(out)[2].context_chars == 40  # prediction cuts the context as training did
    if method.startswith("lora"):  # the compact form (what models/ ships) predicts the same
        np.testing.assert_allclose(_predict(out / "adapter", task), first, atol=1e-4)
    if method == "lora+full":
        _check_full_layer(out, bases[kind])
    assert summary["dev_macro_f1"] is not None


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


def _last(out: Path) -> str:
    ckpts = sorted(
        (out / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1])
    )
    return ckpts[-1].name


def test_card_states_the_context_the_part_reads() -> None:
    from stance.model.card import recipe_notes

    wide = "\n".join(recipe_notes({"context": 2, "context_chars": 300}))
    assert "plus 2 neighbouring sentence(s) per side (at most 300 characters each)" in wide
    assert "at most 120 characters" in "\n".join(recipe_notes({"context": 1}))  # older runs
    assert not any("Input:" in n for n in recipe_notes({"context": 0, "context_chars": 300}))


def test_init_encoder_starts_from_another_run(bases: dict[str, Path], tmp_path: Path) -> None:
    """`init_encoder` copies a tagger's encoder layers (not embeddings or head) to a classifier."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    from stance.model.part import PartInfo
    from stance.training.trainer import load_encoder

    base = str(bases["bert"])
    tagger = AutoModelForTokenClassification.from_pretrained(base, num_labels=5)
    with torch.no_grad():
        for p in tagger.bert.encoder.parameters():
            p.add_(0.5)
    run = tmp_path / "tagger"
    tagger.save_pretrained(run)
    PartInfo(
        task="span", labels=("O", "B-claim", "I-claim", "B-premise", "I-premise"), base=base
    ).save(run)

    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=3)
    fresh = AutoModelForSequenceClassification.from_pretrained(base, num_labels=3)
    load_encoder(model, run, base)
    layer = "encoder.layer.0.attention.self.query.weight"
    assert torch.equal(model.bert.get_parameter(layer), tagger.bert.get_parameter(layer))
    assert not torch.equal(model.bert.get_parameter(layer), fresh.bert.get_parameter(layer))
    emb = "embeddings.word_embeddings.weight"
    assert torch.equal(model.bert.get_parameter(emb), fresh.bert.get_parameter(emb))
    with pytest.raises(ValueError, match="another base"):
        load_encoder(model, run, "e5-small-offline")
