"""Healing: a short distillation run brings a low-rank adapter closer to its full run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stance.model.classifier import PairClassifier, softmax
from stance.model.part import load_part
from stance.model.tasks import component_inputs
from stance.training.config import from_dict
from stance.training.recipes.compress import adapter_from_full
from stance.training.recipes.heal import heal_adapter
from tests.tiny import ROLE_LABELS, build_base, component_docs, fine_tuned_part, write_jsonl


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


def _full_run(tmp_path: Path) -> Path:
    """What a full run leaves (rank-4 changes to a tiny base), plus its recipe."""
    base = build_base(tmp_path / "base", "bert")
    full = tmp_path / "full"
    fine_tuned_part(base, full, rank=4, mean_pool=True)
    spec = write_jsonl(component_docs(), tmp_path / "data.jsonl")
    recipe = {"task": "component", "base": str(base), "data": [spec], "dev_data": [spec]}
    recipe |= {"context": 1, "mean_pool": True, "batch_size": 8, "max_length": 64}
    (full / "train_config.json").write_text(json.dumps(from_dict(recipe).to_dict()))
    return full


def test_healing_moves_the_adapter_toward_the_full_run(tmp_path: Path) -> None:
    full, adapter = _full_run(tmp_path), tmp_path / "adapter"
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


def test_recipe_changes_reach_the_healing_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``distill_lexical`` mixes TF-IDF + LR into the teacher the healing run is given."""
    import stance.training.trainer
    from stance.model.tasks import component_examples
    from stance.training.distill import lexical_teacher

    full = _full_run(tmp_path)
    adapter_from_full(full, tmp_path / "adapter", rank=1)
    seen = {}

    class Stop(Exception):
        pass

    def capture(**kwargs: object) -> None:
        seen["teacher"] = np.asarray(kwargs["train_dataset"]["teacher"])  # type: ignore[index]
        raise Stop

    monkeypatch.setattr(stance.training.trainer, "_make_weighted_trainer", lambda: capture)
    for share in (0.0, 1.0):
        with pytest.raises(Stop):
            heal_adapter(
                full,
                tmp_path / "adapter",
                epochs=1,
                learning_rate=1e-3,
                distill=1.0,
                recipe={"distill_lexical": share},
            )
        seen[share] = seen.pop("teacher")
    lexical = lexical_teacher(component_examples(component_docs(), context=1), ROLE_LABELS)
    np.testing.assert_allclose(seen[1.0], lexical, atol=1e-6)
    # without it, the full run's probabilities (near uniform for this tiny random model)
    np.testing.assert_allclose(seen[0.0].sum(1), 1.0, atol=1e-5)
    assert np.abs(seen[0.0] - 1 / 3).max() < 0.1 and np.abs(seen[0.0] - lexical).max() > 0.5


def test_healing_refuses_span_parts(tmp_path: Path) -> None:
    (tmp_path / "train_config.json").write_text(json.dumps({"task": "span"}))
    with pytest.raises(ValueError, match="sentence-level"):
        heal_adapter(tmp_path, tmp_path, epochs=1, learning_rate=1e-4, distill=1.0)
