"""Training pools (``mix``): no dev question or held-out author leaks into training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.doc import Document
from stance.training.data.mix import _detokenise, stance_pool, with_french_questions
from stance.training.data.registry import load_dataset
from stance.training.data.splits import question_key


def test_german_rows_can_take_the_french_question(data_root: Path) -> None:
    de = load_dataset("xstance", data_root / "xstance/valid.de.jsonl")[:50]
    fr = with_french_questions(de, data_root / "xstance/questions.fr.jsonl")
    questions = {
        json.loads(line)["id"]: json.loads(line)["text"]
        for line in (data_root / "xstance/questions.fr.jsonl").read_text().splitlines()
    }
    for before, after in zip(de, fr, strict=True):
        assert after.target == questions[before.meta["question_id"]] != before.target
        assert (after.text, after.stance, after.meta) == (before.text, before.stance, before.meta)
    plain, dev = stance_pool()
    french, dev_fr = stance_pool(french_targets=True)
    assert [d.text for d in plain] == [d.text for d in french] and dev == dev_fr
    changed = [d for d, e in zip(plain, french, strict=True) if d.target != e.target]
    assert changed and all(d.meta.get("language") == "de" for d in changed)


def test_no_training_row_is_on_a_dev_question(data_root: Path) -> None:
    """Dev measures new questions: not by id, not asked again under another id, not few-shot."""
    train, dev = stance_pool(french_targets=True)
    dev_ids = {d.meta["question_id"] for d in dev if "question_id" in d.meta}
    texts: dict[int, set[str]] = {}
    for lang in ("fr", "de"):
        for line in (data_root / f"xstance/questions.{lang}.jsonl").read_text().splitlines():
            rec = json.loads(line)
            texts.setdefault(rec["id"], set()).add(question_key(rec["text"]))
    dev_texts = set().union(*(texts[i] for i in dev_ids))
    assert len(dev_ids) == 30 and {question_key(d.target or "") for d in dev} & dev_texts
    twins = {i for i, t in texts.items() if t & dev_texts} - dev_ids
    assert {45, 58, 59} <= twins  # the same questions as dev's 1479, 1489, 1493
    assert not {d.meta.get("question_id") for d in train} & (dev_ids | twins)
    assert not {question_key(d.target or "") for d in train} & dev_texts
    assert any(d.meta.get("dataset") == "xstance-fr" for d in train)  # few-shot rows remain


def test_held_out_authors_stay_out_of_the_pool_on_request(data_root: Path) -> None:
    held = {
        d.id
        for lang in ("fr", "de")
        for d in load_dataset(
            "xstance", data_root / f"xstance/valid.{lang}.jsonl", split="comments"
        )
    }
    assert len(held) == 106 + 310
    assert not held & {d.id for d in stance_pool(hold_out_authors=True)[0]}
    assert held <= {d.id for d in stance_pool()[0]}  # the shipped recipe trains on them
    # scored on new comments, the harness's baselines do not train on them either
    from stance.evaluate.run import _baseline_data

    fr_held = {d.text for d in load_dataset("xstance", data_root / "xstance", split="comments")}
    assert not fr_held & set(_baseline_data("stance", "comments")[0])
    assert fr_held <= set(_baseline_data("stance", "dev")[0])


def test_pe_fr_tokens_are_written_back_as_prose() -> None:
    text = "De nos jours , l' ordinateur ( un outil ) aide ."
    assert _detokenise(text) == "De nos jours, l'ordinateur (un outil) aide."


def test_every_task_has_default_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tagger reads the roles task's data (PE-FR paragraphs train both its heads)."""
    import stance.training.data.mix as mix
    from stance.training.config import TASKS, TrainConfig

    assert set(mix.DEFAULTS) == set(TASKS)
    roles = ([Document("train", "a")], [Document("dev", "b")])
    monkeypatch.setattr(mix, "_component_defaults", lambda: roles)
    assert mix.DEFAULTS["tagger"](TrainConfig(task="tagger")) == roles
