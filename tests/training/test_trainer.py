"""The trainer's own pieces; train → save → load → predict for every task is in
``test_roundtrip.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.tiny import build_base


@pytest.fixture(scope="module")
def bert_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base(tmp_path_factory.mktemp("bases") / "bert", "bert")


def _ukp_dir(root: Path) -> Path:
    """A data directory holding a tiny UKP Sentential: arguments (claim|premise) and none."""
    import json

    folder = root / "xling/ukp_sentential"
    folder.mkdir(parents=True)
    sentences = {
        "train": [
            ("Il faut taxer les avions.", "Argument_for"),
            ("Le train existe.", "NoArgument"),
        ],
        "val": [("Bravo pour cette victoire.", "NoArgument")],
    }
    for split, rows in sentences.items():
        lines = [
            json.dumps({"topic": "avions", "sentence": text, "label": label})
            for text, label in rows * 4
        ]
        (folder / f"{split}.jsonl").write_text("\n".join(lines) + "\n")
    return root


def test_a_role_mix_trains_partial_labels(
    bert_base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tiny roles run with a [role_mix]: the partial rows reach the loss as an allowed mask."""
    import json

    import stance.training.trainer as trainer_module
    from stance.training.config import from_dict
    from stance.training.losses import mixed_loss
    from tests.tiny import component_docs, write_jsonl

    monkeypatch.setenv("STANCE_DATA_DIR", str(_ukp_dir(tmp_path / "data")))
    masks: list[list[list[int]]] = []

    def spy(
        logits: Any, labels: Any, weights: Any, teacher: Any, distill: float, allowed: Any
    ) -> Any:
        if allowed is not None:
            masks.append(allowed.tolist())
        return mixed_loss(logits, labels, weights, teacher, distill, allowed)

    monkeypatch.setattr(trainer_module, "mixed_loss", spy)
    docs = component_docs()[:4]
    spec = write_jsonl(docs, tmp_path / "essays.jsonl")
    config = from_dict(
        {"task": "component", "base": str(bert_base), "data": [spec], "dev_data": [spec],
         "method": "full", "epochs": 1, "batch_size": 4, "max_length": 48, "context": 1,
         "learning_rate": 1e-3, "role_mix": {"sources": {"ukp-sentential": 1.0}}}
    )  # fmt: skip
    summary = trainer_module.train(config, tmp_path / "run")
    n_essays = sum(len(d.sentences) for d in docs)
    assert summary["train_examples"] == n_essays + 8  # the UKP val rows never train
    assert summary["dev_examples"] == n_essays
    rows = [row for batch in masks for row in batch]
    assert rows.count([1, 1, 0]) == 4 and rows.count([0, 0, 1]) >= 4
    saved = json.loads((tmp_path / "run/train_config.json").read_text())
    assert saved["role_mix"] == {"sources": {"ukp-sentential": 1.0}}
