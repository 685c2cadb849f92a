"""Model cards: the README.md written next to every trained part."""

from __future__ import annotations

import json
from pathlib import Path

from stance.model.card import (
    AUTO_CLASS,
    DATA_CREDITS,
    TASK_LIMITS,
    recipe_notes,
    write_model_card,
)
from stance.model.part import PartInfo


def test_card_states_the_context_the_part_reads() -> None:
    wide = "\n".join(recipe_notes({"context": 2, "context_chars": 300}))
    assert "plus 2 neighbouring sentence(s) per side (at most 300 characters each)" in wide
    assert "at most 120 characters" in "\n".join(recipe_notes({"context": 1}))  # older runs
    assert not any("Input:" in n for n in recipe_notes({"context": 0, "context_chars": 300}))


def test_recipe_notes_only_for_choices_that_are_on() -> None:
    assert recipe_notes({}) == []
    assert recipe_notes({"statement_pairs": 0.0, "mean_pool": False, "epochs": 3}) == []
    notes = recipe_notes({"statement_pairs": 0.25, "mean_pool": True, "distill_lexical": 0.5})
    assert notes[0] == ""  # a blank line before the list in the card
    assert len(notes) == 4
    assert any(n.startswith("- 25% of the pairs whose question") for n in notes)
    assert any("Distilled from TF-IDF + LR: 50% of the loss" in n for n in notes)
    assert any("mean of the token states" in n for n in notes)


def _card(tmp_path: Path, task: str, config: dict, scores: dict) -> str:
    info = PartInfo(task=task, labels=("favor", "against", "none"), base="tiny-base")
    path = write_model_card(tmp_path, info, config, scores)
    assert path == tmp_path / "README.md"
    return path.read_text(encoding="utf-8")


def test_card_front_matter_labels_and_scores(tmp_path: Path) -> None:
    scores = {
        "dev_macro_f1": 0.712345,
        "train_examples": 120,
        "task": "stance",
        "per_class": {"favor": 0.7},  # not a scalar: left out of the table
        "missing": None,
    }
    text = _card(tmp_path, "stance", {"task": "stance", "context": 0}, scores)
    lines = text.splitlines()
    assert lines[:6] == [
        "---",
        "language: [fr]",
        "license: cc-by-nc-sa-4.0",
        "base_model: tiny-base",
        "library_name: transformers",
        "---",
    ]
    assert "# stance · stance" in lines and "**Labels.** favor, against, none." in lines
    assert DATA_CREDITS["stance"] in text and "Non-commercial use only." in text
    assert "| dev_macro_f1 | 0.7123 |" in lines
    assert "| train_examples | 120 |" in lines and "| task | stance |" in lines
    assert not any(line.startswith(("| per_class", "| missing")) for line in lines)
    assert all(limit in text for limit in TASK_LIMITS["stance"])
    assert f"from transformers import {AUTO_CLASS['stance']}, AutoTokenizer" in text


def test_card_embeds_the_training_config_as_json(tmp_path: Path) -> None:
    config = {"task": "span", "base": "tiny-base", "data": ["jsonl:été.jsonl"], "epochs": 2.0}
    text = _card(tmp_path, "span", config, {})
    block = text.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(block) == config
    assert "été.jsonl" in block  # not \\u-escaped
    assert "AutoModelForTokenClassification.from_pretrained(path)" in text


def test_card_for_an_unknown_task_still_renders(tmp_path: Path) -> None:
    text = _card(tmp_path, "topic", {}, {})
    assert "**Task.** topic." in text and "see config" in text
    assert "from transformers import AutoModel, AutoTokenizer" in text


def test_a_transfer_mix_lists_every_source_with_its_licence() -> None:
    from stance.model.card import MIX_CREDITS, mix_notes
    from stance.training.config import MIX_SOURCES

    assert set(MIX_CREDITS) == set(MIX_SOURCES)  # a new source needs its credit line
    mix = {"sources": {"xnli": 1.0, "efra": 3.0}, "negated_pairs": 0.7, "unrelated_pairs": 0.2}
    text = "\n".join(mix_notes({"mix": mix}))
    assert "xnli × 1: XNLI" in text and "CC BY-NC 4.0" in text and "efra × 3: E-FRA" in text
    assert "70% of the pairs" in text and "20% of each source" in text
    assert mix_notes({"mix": {}}) == [] and mix_notes({}) == []


def test_a_genre_mix_and_the_tagger_role_weight_are_stated() -> None:
    from stance.model.card import ROLE_MIX_CREDITS, role_mix_notes, span_role_note
    from stance.model.part import PartInfo
    from stance.training.config import ROLE_MIX_SOURCES

    assert set(ROLE_MIX_CREDITS) == set(ROLE_MIX_SOURCES)  # a new source needs its credit line
    text = "\n".join(role_mix_notes({"role_mix": {"sources": {"ukp-sentential": 0.15}}}))
    assert "ukp-sentential × 0.15: UKP Sentential" in text and "CC BY-NC" in text
    assert role_mix_notes({"role_mix": {}}) == [] and role_mix_notes({}) == []
    info = PartInfo(task="tagger", labels=("O",), base="b", extra={"span_role_weight": 0.75})
    assert "25% of the role head's probabilities plus 75%" in "\n".join(span_role_note(info))
    assert span_role_note(PartInfo(task="tagger", labels=("O",), base="b")) == []
