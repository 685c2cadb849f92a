"""Which gold documents each task trains and selects on.

``--data`` specs look like ``pe-fr-bio:/path/train_PE.fr``; with none given, each task uses the
research sets in ``$STANCE_DATA_DIR`` (see ``registry``). Test splits are never read: model
selection uses dev parts, or a split by question for X-Stance (which only ships validation
rows here) so that dev measures generalisation to unseen questions. A stance recipe with a
``[mix]`` table trains on the cross-lingual transfer mix (``transfer.build_mix``) around the
same pool, with the same dev; a roles recipe with a ``[role_mix]`` table adds other genres'
train rows to its training data (``role_mix.build_role_mix``), with the same dev.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from stance.doc import Document
from stance.training.config import TrainConfig, load_config, mix_config, role_mix_config
from stance.training.data.base import json_lines, need
from stance.training.data.registry import data_dir, load_dataset
from stance.training.data.role_mix import build_role_mix, row_counts
from stance.training.data.splits import (
    dev_question_keys,
    held_out_author,
    question_key,
    split_by_group,
)
from stance.training.data.transfer import build_mix


def load_specs(specs: tuple[str, ...] | list[str]) -> list[Document]:
    docs: list[Document] = []
    for spec in specs:
        fmt, sep, path = spec.partition(":")
        if not sep:
            raise ValueError(
                f"data spec {spec!r} must look like FORMAT:PATH (e.g. xstance:valid.fr.jsonl)"
            )
        docs.extend(load_dataset(fmt, Path(path)))
    return docs


def task_documents(config: TrainConfig) -> tuple[list[Document], list[Document]]:
    """(train, dev) documents for the run: explicit specs or the task's defaults; a roles run
    with a ``[role_mix]`` table trains on them plus the genre mix (``role_mix``)."""
    if config.data:
        train = load_specs(config.data)
        if config.dev_data:
            dev = load_specs(config.dev_data)
        else:
            train, dev = split_by_group(
                train, key="question_id", dev_fraction=0.15, seed=config.seed
            )
    else:
        train, dev = DEFAULTS[config.task](config)
    roles = role_mix_config(config)
    if roles is not None:
        train = build_role_mix(train, roles, data_dir())
    return train, dev


def role_counts(recipe: str | Path) -> Counter[tuple[str, str, str, str]]:
    """Training sentences of a roles recipe per source × genre × language × label
    (``stance data stats --config``)."""
    config = load_config(recipe)
    if config.task not in ("component", "tagger"):
        raise ValueError(f"{recipe}: not a roles recipe (task {config.task!r}, not component)")
    return row_counts(task_documents(config)[0])


def _component_defaults() -> tuple[list[Document], list[Document]]:
    """PE-FR paragraphs (cased, with context) plus the lowercased sentence table (no context)."""
    root = data_dir()
    train = load_dataset("pe-fr-bio", root / "pe_fr/train_PE.fr")
    train += load_dataset("pe-fr-sentences", root / "pe_fr/sentences.tsv", split="train")
    dev = load_dataset("pe-fr-bio", root / "pe_fr/dev_PE.fr")
    dev += load_dataset("pe-fr-sentences", root / "pe_fr/sentences.tsv", split="dev")
    return train, dev


def _span_defaults() -> tuple[list[Document], list[Document]]:
    """PE-FR essays plus AbstRCT-FR abstracts (for out-of-domain robustness)."""
    root = data_dir()
    train = load_dataset("pe-fr-bio", root / "pe_fr/train_PE.fr")
    train += load_dataset("abstrct", root / "abstrct_fr/fr_neoplasm_nllb_awesome_train.tsv")
    dev = load_dataset("pe-fr-bio", root / "pe_fr/dev_PE.fr")
    return train, dev


def stance_pool(
    french_targets: bool = False, hold_out_authors: bool = False
) -> tuple[list[Document], list[Document]]:
    """X-Stance FR+DE (split by question), E-FRA (split by tweet), few-shot X-Stance FR train rows.

    Dev keeps only French rows, so selection measures what users get. The E-FRA few-shot files
    are samples of the same tweets as ``macron_train.csv`` and are not used (they would leak
    into the E-FRA dev part). ``french_targets``: German comments are paired with the French
    wording of their question (``questions.fr.jsonl``), because users type French targets.
    ``hold_out_authors``: the comments of the X-Stance ``comments`` split (held-out authors on
    training questions) stay out, so that a run can be scored on new comments.
    """
    root = data_dir()
    fr = load_dataset("xstance", root / "xstance/valid.fr.jsonl")
    de = load_dataset("xstance", root / "xstance/valid.de.jsonl")
    fr_train, fr_dev = split_by_group(fr, key="question_id", dev_fraction=0.2, seed=13)
    dev_ids, dev_texts = dev_question_keys(
        {d.meta.get("question_id") for d in fr_dev}, root / "xstance"
    )
    dev_texts |= {question_key(d.target or "") for d in fr_dev}
    fr_train = [d for d in fr_train if d.meta.get("question_id") not in dev_ids]
    de_train = [d for d in de if d.meta.get("question_id") not in dev_ids]
    if hold_out_authors:  # the "new comments" dev sets (load_dataset split="comments")
        fr_train = [d for d in fr_train if not held_out_author(d)]
        de_train = [d for d in de_train if not held_out_author(d)]
    if french_targets:
        de_train = with_french_questions(de_train, root / "xstance/questions.fr.jsonl")
    efra = load_dataset("efra", root / "efra/macron_train.csv")
    efra_train, efra_dev = split_by_group(efra, key="id", dev_fraction=0.2, seed=13)
    fewshot: list[Document] = []
    for path in sorted((root / "fewshot").glob("*/xstance-fr_train_*.json")):
        fewshot += load_dataset("fewshot", path)
    fewshot = [d for d in fewshot if question_key(d.target or "") not in dev_texts]
    seen: set[str] = set()
    unique_fewshot = [d for d in fewshot if not (d.text in seen or seen.add(d.text))]  # type: ignore[func-returns-value]
    return fr_train + de_train + efra_train + unique_fewshot, fr_dev + efra_dev


def stance_data(config: TrainConfig) -> tuple[list[Document], list[Document]]:
    """The stance pool, or with a ``[mix]`` table the cross-lingual transfer mix around it."""
    mix = mix_config(config)
    if mix is None:
        return stance_pool(config.french_targets, config.hold_out_authors)
    root = data_dir()
    train, dev = stance_pool(hold_out_authors=config.hold_out_authors)
    if config.french_targets:
        train = french_target_rows(train, root / "xstance/questions.fr.jsonl")
    return build_mix(train, dev, mix, root)


def french_target_rows(docs: list[Document], questions: Path) -> list[Document]:
    """``stance_pool(french_targets=True)``'s rows: German X-Stance comments toward the French
    question, with ``meta["target_language"] = "fr"`` where the target changed."""
    german = iter(
        with_french_questions([d for d in docs if d.meta.get("language") == "de"], questions)
    )
    out = []
    for d in docs:
        e = next(german) if d.meta.get("language") == "de" else d
        changed = e.target != d.target
        out.append(
            dataclasses.replace(e, meta={**e.meta, "target_language": "fr"}) if changed else e
        )
    return out


def neutral_sentences() -> list[str]:
    """Sentences of the PE-FR training essays that are no argument component (role `none`)."""
    docs = load_dataset("pe-fr-bio", data_dir() / "pe_fr/train_PE.fr")
    return [_detokenise(s.text) for d in docs for s in d.sentences if s.role == "none"]


def _detokenise(text: str) -> str:
    """PE-FR is stored as space-separated tokens ("l' ordinateur , ..."): write it as prose."""
    text = re.sub(r"\s+([,.)])", r"\1", text)
    return re.sub(r"([(’'])\s+", r"\1", text)


def with_french_questions(docs: list[Document], questions: Path) -> list[Document]:
    """X-Stance rows with their target replaced by the question's French text (where known)."""
    french = dict(need(row, questions, "id", "text") for row in json_lines(questions, "strict"))
    out = []
    for d in docs:
        text = french.get(d.meta.get("question_id"))
        out.append(dataclasses.replace(d, target=text) if text else d)
    return out


Corpus = tuple[list[Document], list[Document]]
DEFAULTS: dict[str, Callable[[TrainConfig], Corpus]] = {  # task -> (train, dev) for a run
    "component": lambda config: _component_defaults(),
    "span": lambda config: _span_defaults(),
    "stance": lambda config: stance_data(config),
    # roles and spans at once: the roles data (PE-FR BIO paragraphs train both heads)
    "tagger": lambda config: _component_defaults(),
}
