"""Healing: a short distillation run brings a low-rank adapter closer to its full run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stance.compress import adapter_from_full
from stance.config import from_dict
from stance.heal import heal_adapter
from stance.model import PairClassifier, load_part, softmax
from stance.tasks import component_inputs
from tests.tiny import build_base, component_docs, fine_tuned_part, write_jsonl


def _probs(part: Path) -> np.ndarray:
    """Temperature-1 probabilities on the training sentences (what the healing run fits)."""
    model, tok, info = load_part(part)
    firsts, seconds = component_inputs_of(component_docs())
    logits, _ = PairClassifier(model, tok, info).logits(firsts, seconds)
    return softmax(logits, 1.0)


def component_inputs_of(docs: list) -> tuple[list[str], list[str]]:
    firsts: list[str] = []
    seconds: list[str] = []
    for doc in docs:
        a, b = component_inputs(doc, context=1)
        firsts += a
        seconds += b or []
    return firsts, seconds


def _kl(p: np.ndarray, q: np.ndarray) -> float:
    return float((p * (np.log(p + 1e-9) - np.log(q + 1e-9))).sum(-1).mean())


def test_healing_moves_the_adapter_toward_the_full_run(tmp_path: Path) -> None:
    base = build_base(tmp_path / "base", "bert")
    full, adapter = tmp_path / "full", tmp_path / "adapter"
    fine_tuned_part(base, full, rank=4, mean_pool=True)  # what a full run leaves, plus its recipe
    spec = write_jsonl(component_docs(), tmp_path / "data.jsonl")
    recipe = {"task": "component", "base": str(base), "data": [spec], "dev_data": [spec]}
    recipe |= {"context": 1, "mean_pool": True, "batch_size": 8, "max_length": 64}
    (full / "train_config.json").write_text(json.dumps(from_dict(recipe).to_dict()))
    adapter_from_full(full, adapter, rank=1)
    teacher, before = _probs(full), _probs(adapter)
    scores = heal_adapter(full, adapter, epochs=10, learning_rate=5e-3, distill=1.0)
    after = _probs(adapter)
    assert _kl(teacher, after) < 0.5 * _kl(teacher, before)
    assert 0.0 <= scores["dev_macro_f1"] <= 1.0
    # same compact form: the rank and the part's settings are unchanged
    saved = json.loads((adapter / "adapter_config.json").read_text())
    assert saved["r"] == 1 and saved["inference_mode"]
    assert len(saved["modules_to_save"]) == len(set(saved["modules_to_save"]))
    _, _, info = load_part(adapter)
    assert info.context == 1 and info.extra["mean_pool"]
    assert info.extra["healed"]["distill"] == 1.0


def test_healing_refuses_span_parts(tmp_path: Path) -> None:
    (tmp_path / "train_config.json").write_text(json.dumps({"task": "span"}))
    with pytest.raises(ValueError, match="sentence-level"):
        heal_adapter(tmp_path, tmp_path, epochs=1, learning_rate=1e-4, distill=1.0)
