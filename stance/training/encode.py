"""Gold documents → tokenised ``datasets.Dataset`` for the ``Trainer``.

The inputs are the same as at prediction time (``tasks.py``): component = (sentence, context),
stance = (target, text), span = words of a paragraph cut into overlapping windows. A roles row
whose gold allows several roles (``meta["role_labels"]``, e.g. a UKP *argument*: claim or
premise) gets label -100 and an ``allowed`` 0/1 row for the partial-label loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stance.doc import ROLES, STANCES, Document, Sentence
from stance.model.classifier import window_stride
from stance.model.tasks import (
    PairExample,
    component_examples,
    context_string,
    doc_words,
    span_tags,
    word_tags,
)
from stance.training import targets
from stance.training.config import TrainConfig, mix_config


def labels_for(config: TrainConfig) -> tuple[str, ...]:
    """The part's labels (the tagger's are its BIO tags; its roles are ``ROLES``)."""
    if config.task in ("span", "tagger"):
        return span_tags(config.merge_majorclaim)
    return ROLES if config.task == "component" else STANCES


def pair_examples(
    docs: Sequence[Document], config: TrainConfig, *, training: bool
) -> list[PairExample]:
    if config.task == "component":
        examples = component_examples(docs, config.context, config.context_chars)
        examples += role_set_examples(docs, config.context, config.context_chars)
        return (
            _lowercase_some(examples, config.lowercase_aug, config.seed) if training else examples
        )
    # dev gets `none` pairs too (other seed) so that selection sees all three classes
    examples = targets.stance_examples(
        docs, config.none_pairs, config.seed + (0 if training else 1)
    )
    if not training:
        return examples
    mix = mix_config(config)
    if mix and (mix.negated_pairs or mix.unrelated_pairs):  # target consistency, every source
        examples += targets.derived_pairs(docs, mix.negated_pairs, mix.unrelated_pairs, mix.seed)
    return _augment_stance(examples, config)


def role_set_examples(docs: Sequence[Document], context: int, chars: int) -> list[PairExample]:
    """Rows with no gold sentence role but ``meta["role_labels"]`` (the roles their gold
    allows: ``data/rows.py``), one example each; a partial label is written ``claim|premise``.

    Such a row is one sentence, so its context is the paragraph edges (``[début] [phrase]
    [fin]``), as for the PE-FR sentence table. Documents with gold roles add nothing here.
    """
    out = []
    for doc in docs:
        allowed = doc.meta.get("role_labels")
        if not allowed or any(s.role for s in doc.sentences):
            continue
        label = "|".join(r for r in ROLES if r in allowed)
        second = context_string([Sentence(0, 0, len(doc.text), doc.text)], 0, context, chars)
        out.append(PairExample(doc.text, second, label, doc.id))
    return out


def label_columns(examples: Sequence[PairExample], labels: tuple[str, ...]) -> dict[str, list[Any]]:
    """``labels`` (the label's index; -100 for a partial label) and, when some example has a
    partial label, ``allowed``: 0/1 per label, what the partial-label loss reads
    (``trainer.mixed_loss``). Without partial labels the columns are as they always were."""
    ids = [labels.index(e.label) if e.label in labels else -100 for e in examples]
    if all(i >= 0 for i in ids):
        return {"labels": ids}
    allowed = []
    for e in examples:
        names = e.label.split("|")
        unknown = set(names) - set(labels)
        if unknown:
            raise ValueError(f"unknown label {sorted(unknown)[0]!r} of example {e.group!r}")
        allowed.append([int(label in names) for label in labels])
    return {"labels": ids, "allowed": allowed}


def _augment_stance(examples: list[PairExample], config: TrainConfig) -> list[PairExample]:
    """The recipe's extra stance rows (``stance/training/targets.py``), each one off at 0."""
    if config.statement_pairs:
        examples += targets.statement_examples(examples, config.statement_pairs, config.seed)
    if config.reasoned_pairs:
        examples += targets.reasoned_examples(examples, config.reasoned_pairs, config.seed)
    if config.negated_targets:
        examples += targets.negated_examples(examples, config.negated_targets, config.seed)
    if config.rebuttal_pairs:
        examples += targets.rebuttal_examples(examples, config.rebuttal_pairs, config.seed)
    if config.neutral_pairs:
        from stance.training.data.mix import neutral_sentences

        sentences = neutral_sentences()
        examples += targets.neutral_examples(examples, sentences, config.neutral_pairs, config.seed)
    if config.casual_targets:
        examples = targets.casual_targets(examples, config.casual_targets, config.seed)
    return examples


def _lowercase_some(examples: list[PairExample], share: float, seed: int) -> list[PairExample]:
    """Lowercase a share of examples: user text (and PE-FR's sentence table) is often lowercase."""
    import random
    from dataclasses import replace

    rng = random.Random(seed)
    return [
        replace(e, first=e.first.lower(), second=e.second.lower() if e.second else e.second)
        if rng.random() < share
        else e
        for e in examples
    ]


def encode_pairs(
    docs: Sequence[Document],
    tokenizer: Any,
    labels: tuple[str, ...],
    config: TrainConfig,
    *,
    training: bool,
) -> Any:
    """Tokenise pair examples; over-long inputs are truncated for training (rare, documented)."""
    from datasets import Dataset

    examples = pair_examples(docs, config, training=training)
    first = [e.first for e in examples]
    second: list[str] | None = None
    if any(e.second for e in examples):  # same trimming of the short side as at prediction time
        from stance.model.classifier import cap_tokens, short_side_budget

        budget = short_side_budget(config.max_length)
        second = [e.second or "" for e in examples]
        if config.task == "component":  # the context is the short side
            second = cap_tokens(tokenizer, second, budget)
        else:  # the target is
            first = cap_tokens(tokenizer, first, budget)
    enc = tokenizer(
        first,
        second,
        truncation="only_first" if config.task == "component" and second else True,
        max_length=config.max_length,
    )
    data = {k: enc[k] for k in ("input_ids", "attention_mask")}
    data.update(label_columns(examples, labels))
    if training and config.consistency:  # negated pairs carry their twin's tokens
        from stance.training.consistency import twin_columns, twin_indices

        data.update(twin_columns(enc, twin_indices(examples)))
    if "allowed" in data and (config.distill_lexical or config.distill_span):
        raise ValueError("distillation needs one gold role per row: drop the partial labels")
    if training and config.distill_lexical:
        from stance.training.distill import lexical_teacher

        data["teacher"] = lexical_teacher(examples, labels).tolist()
    if training and config.distill_span:
        from stance.training.distill import span_teacher

        data["teacher"] = span_teacher(docs, config, labels)[: len(examples)].tolist()
    return Dataset.from_dict(data)


def encode_spans(
    docs: Sequence[Document], tokenizer: Any, labels: tuple[str, ...], config: TrainConfig
) -> Any:
    """Word-level BIO labels on the first sub-token of each word; windows over long paragraphs."""
    from datasets import Dataset

    words_all, tags_all = [], []
    for doc in docs:
        offsets = doc_words(doc)
        if not offsets:
            continue
        words_all.append([doc.text[a:b] for a, b in offsets])
        tags_all.append(word_tags(doc, offsets, config.merge_majorclaim))
    enc = tokenizer(
        words_all,
        is_split_into_words=True,
        truncation=True,
        max_length=config.max_length,
        stride=window_stride(config.max_length, config.window_stride),
        return_overflowing_tokens=True,
    )
    rows: dict[str, list] = {"input_ids": [], "attention_mask": [], "labels": []}
    for r, owner in enumerate(enc["overflow_to_sample_mapping"]):
        tags = tags_all[owner]
        prev = None
        row_labels = []
        for wid in enc.word_ids(r):
            row_labels.append(-100 if wid is None or wid == prev else labels.index(tags[wid]))
            prev = wid
        rows["input_ids"].append(enc["input_ids"][r])
        rows["attention_mask"].append(enc["attention_mask"][r])
        rows["labels"].append(row_labels)
    return Dataset.from_dict(rows)
