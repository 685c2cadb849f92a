"""Run a model over gold data and hand its predictions to the harness (``stance evaluate``).

The label set comes from the data format, fixed in advance (``harness.LABEL_SETS``): for
X-Stance, which is binary, the model's argmax is taken over {favor, against} only — its
official metric — and the probabilities are renormalised over that set.

Roles and spans come from the part that gives them in ``stance label`` (``Pipeline.process``):
the ``component`` / ``span`` part, else the pipeline's argument tagger (``tagger`` part, or a
single ``stance train --task tagger`` run), read in its windows of sentences as the pipeline
reads it. ``--task tagger`` is refused: a tagger is scored one task at a time.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import numpy as np

from stance.doc import Document
from stance.model.classifier import ArgumentTagger, PairClassifier, TokenTagger, softmax
from stance.model.part import TAGGER, ModelError
from stance.model.tasks import component_inputs, decode_spans, doc_words, word_tags
from stance.pipeline.config import DOC_BATCH
from stance.pipeline.decide import abstain
from stance.pipeline.pipeline import Pipeline, load
from stance.training.data.registry import load_dataset

STANCE_PARTITION_KEYS = ("topic", "target_name", "language")
TAGGER_REFUSED = (
    "--task tagger: a tagger is scored one task at a time, as `stance label` uses it: "
    "--task component (its roles, on role data) or --task span (its BIO spans, on BIO data)"
)


def evaluate_model(
    model: str | Path | None,
    task: str,
    data: Path,
    data_format: str,
    out: Path,
    *,
    split: str | None = None,
    baselines: bool = True,
    encoding_errors: str = "auto",
    backend: str = "torch",
    quantize: str | None = "auto",
) -> dict[str, Any]:
    """Score ``model`` on gold ``data``, run as ``stance label --backend --quantize`` runs it."""
    from stance.evaluate.harness import evaluate_predictions, label_set

    if task == TAGGER:
        raise ValueError(TAGGER_REFUSED)
    runs_on: dict[str, Any] = {"backend": backend, "quantize": quantize}  # for load(), extra
    if data_format == "consistency":
        return _evaluate_consistency(model, task, data, out, baselines, runs_on)
    docs = _load_gold(data_format, data, split, encoding_errors)
    if not docs:
        raise ValueError(f"{data}: no documents read as {data_format}")
    nlp = load(model, **runs_on)
    if task == "span":
        return _evaluate_span(nlp, docs, out, baselines)
    labels = tuple(label_set(data_format, task, data))
    (gold, raw_logits, part_labels, texts, targets), parts = _task_predictions(nlp, task, docs)
    name, part = role_part(nlp) if task == "component" else (task, nlp.stance_model)
    assert part is not None
    probs = softmax(raw_logits, 1.0 if name == TAGGER else part.info.temperature)  # tagger: log p
    # the label `stance predict` gives (the pipeline's abstain threshold included); one outside
    # the fixed set (X-Stance `none`) counts wrong
    threshold = nlp.config.stance_threshold if task == "stance" else 0.0
    pred = abstain(probs, part_labels, threshold)
    train = _baseline_data(task, split) if baselines else (None, None, None)
    return evaluate_predictions(
        task,
        gold,
        pred,
        softmax(raw_logits, 1.0),
        labels,
        prob_labels=part_labels,
        texts=texts,
        targets=targets,
        partitions=parts or None,
        train_texts=train[0],
        train_labels=train[1],
        train_targets=train[2],
        probs_calibrated=probs,
        out_dir=out,
        extra={
            "data": str(data),
            "data_format": data_format,
            "model": str(nlp.part_paths.get(name, nlp.directory)),  # the part scored
            "temperature": part.info.temperature,
            **nlp.runs_on,  # what ran: "auto" resolved
        },
    )


def _task_predictions(
    nlp: Pipeline, task: str, docs: list[Document]
) -> tuple[Predictions, dict[str, list[str]]]:
    """A sentence-level task's model outputs, and the partitions to report (stance only)."""
    if task == "component":
        return component_predictions(nlp, docs), {}
    if task == "stance":
        return stance_predictions(nlp, docs), _partitions(docs)
    raise ValueError(f"unknown task {task!r} (component | span | stance)")


def _evaluate_consistency(
    model: str | Path | None,
    task: str,
    data: Path,
    out: Path,
    baselines: bool,
    runs_on: dict[str, Any],
) -> dict[str, Any]:
    """Target view, negated target and unrelated target: ``stance.evaluate.consistency``."""
    from stance.evaluate.consistency import evaluate_consistency, read_consistency

    if task != "stance":
        raise ValueError(f"data format 'consistency' has no {task!r} task (has ('stance',))")
    rows = read_consistency(data)  # a malformed file fails before the model loads
    nlp = load(model, **runs_on)
    if nlp.stance_model is None:
        raise ModelError(f"{nlp.directory}: no stance part")
    extra = {
        "data": str(data),
        "data_format": "consistency",
        "model": str(nlp.part_paths.get("stance", nlp.directory)),
        "stance_threshold": nlp.config.stance_threshold,
        **nlp.runs_on,
    }
    train = _baseline_data("stance") if baselines else None
    return evaluate_consistency(nlp, rows, out, train=train, extra=extra)


def _load_gold(fmt: str, data: Path, split: str | None, errors: str) -> list[Document]:
    """Strict decoding; with ``auto``, undecodable bytes are replaced with a loud warning.

    Real research files contain bad bytes (AbstRCT-FR dev): scoring them should not need a
    flag, but nobody should be surprised that it happened.
    """
    import logging

    try:
        return load_dataset(
            fmt, data, split=split, encoding_errors="strict" if errors == "auto" else errors
        )
    except ValueError as exc:
        if errors != "auto" or "UTF-8" not in str(exc):
            raise
        logging.getLogger(__name__).warning("%s; decoding with replacement characters", exc)
        return load_dataset(fmt, data, split=split, encoding_errors="replace")


Predictions = tuple[list[str], np.ndarray, tuple[str, ...], list[str], list[str] | None]


def role_part(nlp: Pipeline) -> tuple[str, PairClassifier | ArgumentTagger]:
    """The part that gives roles in ``Pipeline.process``: ``component``, else the tagger."""
    if nlp.component is not None:
        return "component", nlp.component
    if nlp.tagger is not None:
        return TAGGER, nlp.tagger
    raise ModelError(f"{nlp.directory}: no component part (nor a tagger part)")


def component_predictions(nlp: Pipeline, docs: list[Document]) -> Predictions:
    """Role logits of the gold sentences (texts: the sentences), from ``role_part``."""
    name, part = role_part(nlp)
    if name == TAGGER:
        return tagger_role_predictions(cast(ArgumentTagger, part), docs)
    part = cast(PairClassifier, part)
    firsts: list[str] = []
    seconds: list[str] = []
    gold: list[str] = []
    for doc in docs:
        a, b = component_inputs(doc, part.info.context, part.info.context_chars)
        firsts += a
        seconds += b if b is not None else [""] * len(a)
        gold += [s.role or "none" for s in doc.sentences]
    logits, _ = part.logits(firsts, seconds if part.info.context > 0 else None, long_side="first")
    return gold, logits, part.labels, firsts, None


def tagger_role_predictions(part: ArgumentTagger, docs: list[Document]) -> Predictions:
    """The log of the tagger's role probabilities for the gold sentences, each read in its
    window of neighbours, as the pipeline reads them (``ArgumentTagger.predict``: calibrated,
    mixed with the roles of the BIO tags where a window holds several sentences); scored at
    temperature 1."""
    roles = [
        np.log(np.maximum(t.role_probs, 1e-12))
        for chunk in _chunks(docs)
        for t in part.predict(chunk)
    ]
    sentences = [s for d in docs for s in d.sentences]
    logits = np.concatenate(roles) if roles else np.zeros((0, len(part.role_labels)))
    gold = [s.role or "none" for s in sentences]
    return gold, logits, part.role_labels, [s.text for s in sentences], None


def _chunks(docs: list[Document]) -> list[list[Document]]:
    """The documents as ``Pipeline.pipe`` hands them to the tagger: its windows are batched
    by length within a chunk, so int8 activation scales are those of ``stance label``."""
    return [docs[lo : lo + DOC_BATCH] for lo in range(0, len(docs), DOC_BATCH)]


def stance_predictions(nlp: Pipeline, docs: list[Document]) -> Predictions:
    part = nlp.stance_model
    if part is None:
        raise ModelError(f"{nlp.directory}: no stance part")
    docs = [d for d in docs if d.stance is not None]
    logits, _ = part.logits(
        [d.target or "" for d in docs], [d.text for d in docs], long_side="second"
    )
    gold = [d.stance.label for d in docs if d.stance is not None]
    return gold, logits, part.labels, [d.text for d in docs], [d.target or "" for d in docs]


def _partitions(docs: list[Document]) -> dict[str, list[str]]:
    docs = [d for d in docs if d.stance is not None]
    out = {}
    for key in STANCE_PARTITION_KEYS:
        values = [str(d.meta.get(key, "")) for d in docs]
        if len(set(values)) > 1:
            out[key] = values
    return out


def _baseline_data(
    task: str, split: str | None = None
) -> tuple[list[str], list[str], list[str] | None]:
    """The task's default training data, as the baselines' training set.

    Scored on the X-Stance ``comments`` split, the baselines train without those authors.
    """
    from stance.training.config import TrainConfig
    from stance.training.data.mix import DEFAULTS

    config = TrainConfig(task=task, hold_out_authors=split == "comments")
    train_docs, _ = DEFAULTS[task](config)  # the default recipe's data
    if task == "component":
        pairs = [(s.text, s.role) for d in train_docs for s in d.sentences if s.role]
        return [p[0] for p in pairs], [str(p[1]) for p in pairs], None
    rows = [d for d in train_docs if d.stance is not None]
    labels = [d.stance.label for d in rows if d.stance]
    return [d.text for d in rows], labels, [d.target or "" for d in rows]


SpanPredictions = tuple[str, list[list[tuple[int, int]]], list[np.ndarray], tuple[str, ...]]


def span_predictions(nlp: Pipeline, docs: list[Document]) -> SpanPredictions:
    """The part scored, each document's words, their BIO probabilities and the part's tags.

    As in ``Pipeline.process``: the ``span`` part reads whole texts; else the tagger reads the
    sentences ``stance label`` cuts (``split_sentences``, not the gold ones) in its windows.
    """
    from stance.segment import split_sentences

    if nlp.span is not None:
        part: TokenTagger = nlp.span
        offsets = [doc_words(d) for d in docs]
        words = [[d.text[a:b] for a, b in offs] for d, offs in zip(docs, offsets, strict=True)]
        return "span", offsets, part.word_proba(words), part.labels
    if nlp.tagger is not None:
        cut = [replace(d, sentences=tuple(split_sentences(d.text))) for d in docs]
        tagged = [t for chunk in _chunks(cut) for t in nlp.tagger.predict(chunk)]
        return TAGGER, [t.words for t in tagged], [t.word_probs for t in tagged], nlp.tagger.labels
    raise ModelError(f"{nlp.directory}: no span part (nor a tagger part)")


def _evaluate_span(
    nlp: Pipeline, docs: list[Document], out: Path, baselines: bool
) -> dict[str, Any]:
    from stance.evaluate.harness import evaluate_spans

    name, offsets, word_probs, labels = span_predictions(nlp, docs)
    gold_tags, pred_tags, gold_spans, pred_spans = [], [], [], []
    for doc, offs, probs in zip(docs, offsets, word_probs, strict=True):
        tags = [labels[int(p.argmax())].replace("majorclaim", "claim") for p in probs]
        pred_tags.append(tags)
        gold_tags.append(word_tags(doc, offs, merge_majorclaim=True))
        pred_spans.append([(s.start, s.end, s.label) for s in decode_spans(doc.text, offs, tags)])
        gold_spans.append(
            [(s.start, s.end, "claim" if s.label == "majorclaim" else s.label) for s in doc.spans]
        )
    return evaluate_spans(
        gold_spans,
        pred_spans,
        gold_tags,
        pred_tags,
        out_dir=out,
        extra={
            "model": str(nlp.part_paths.get(name, nlp.directory)),
            "n_docs": len(docs),
            **nlp.runs_on,
        },
    )
