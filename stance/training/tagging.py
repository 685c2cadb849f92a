"""Training the argument tagger (``--task tagger``): gold documents → window rows, the batch
collator, the loss step and the dev metrics that ``trainer.py`` plugs into the ``Trainer``.

Rows are the windows of ``stance/model/windows.py`` (the same code cuts windows at prediction
time). What each document trains:

- **BIO documents** (they have spans, or come from a BIO format: PE-FR paragraphs, AbstRCT-FR):
  both heads. Each word's tag sits on its first sub-token (markers and other sub-tokens -100);
  each sentence's role is its gold role, or, where the document gives none, the role of the
  span covering the most of its words (MajorClaim / Claim → claim, Premise → premise, no span
  → none: ``stance.io.conll.sentence_role``, the rule the PE-FR and AbstRCT-FR adapters label
  their sentences with, so the tagger's roles and the roles part learn the same gold).
- **Role documents** (no BIO gold: the PE-FR sentence table, the ``[role_mix]`` rows): roles
  only, BIO all -100. A row with ``meta["role_labels"]`` and no sentence role is one sentence
  (a window of one); a set of several roles (UKP *argument*: claim or premise) is a partial
  label, role -100 with a 0/1 ``role_allowed`` row for the partial-label loss.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import torch

from stance.doc import ROLES, Document, Sentence
from stance.io.conll import sentence_role
from stance.model.losses import tagger_loss
from stance.model.part import PartInfo
from stance.model.tasks import doc_words, word_tags
from stance.model.windows import Window, build_windows, pad_rows
from stance.training.config import TrainConfig

BIO_FORMATS = ("pe-fr-bio", "abstrct")  # data formats whose documents carry word-level gold
LABEL_NAMES = ["labels", "role_labels"]  # what the Trainer hands to the metrics, in this order
Words = list[tuple[int, int]]


def has_bio(doc: Document) -> bool:
    """Whether the document's words have gold BIO tags (absent spans then mean all O)."""
    source = doc.meta.get("source") or doc.id.partition(":")[0]
    return bool(doc.spans) or source in BIO_FORMATS


def one_sentence(doc: Document) -> Document:
    """A row with allowed roles and no sentence role, read as one sentence (its whole text)."""
    if not doc.meta.get("role_labels") or any(s.role for s in doc.sentences):
        return doc
    return replace(doc, sentences=(Sentence(0, 0, len(doc.text), doc.text),))


def allowed_roles(doc: Document, words: Words) -> list[list[int]]:
    """0/1 over ``ROLES`` per sentence: its role, the set its gold allows, or nothing."""
    bio = has_bio(doc)
    allowed = set(doc.meta.get("role_labels") or ())
    out = []
    for s in doc.sentences:
        role = s.role or (sentence_role(s.start, s.end, words, doc.spans) if bio else None)
        names = {role} if role in ROLES else (allowed if len(doc.sentences) == 1 else set())
        out.append([int(r in names) for r in ROLES])
    return out


def window_row(
    window: Window, tags: list[str] | None, allowed: list[list[int]], labels: tuple[str, ...]
) -> dict[str, list[Any]]:
    """One training row: the window's inputs, BIO ids (first sub-tokens; -100 elsewhere, and
    everywhere without BIO gold), role ids (-100: partial or none) and allowed roles."""
    row: dict[str, list[Any]] = dict(window.inputs())
    token_labels = [-100] * len(window.input_ids)
    if tags is not None:
        for word, pos in window.words:
            if token_labels[pos] == -100:  # a token shared by two words keeps the first's tag
                token_labels[pos] = labels.index(tags[word])
    sets = [allowed[s] for s in window.sentences]
    row["labels"] = token_labels
    row["role_labels"] = [a.index(1) if sum(a) == 1 else -100 for a in sets]
    row["role_allowed"] = sets
    return row


def encode_tagger(
    docs: Sequence[Document],
    tokenizer: Any,
    labels: tuple[str, ...],
    config: TrainConfig,
    *,
    training: bool,
) -> Any:
    """Documents → a ``datasets.Dataset`` of window rows (``role_allowed`` only when some
    sentence has a partial label, as ``encode.label_columns`` does)."""
    from datasets import Dataset

    docs = [one_sentence(d) for d in docs]
    if training and config.lowercase_aug:
        docs = lowercase_some(docs, config.lowercase_aug, config.seed)
    words = [doc_words(d) for d in docs]
    windows = build_windows(docs, tokenizer, config.max_length, words)
    tags = [
        word_tags(d, w, config.merge_majorclaim) if has_bio(d) else None
        for d, w in zip(docs, words, strict=True)
    ]
    allowed = [allowed_roles(d, w) for d, w in zip(docs, words, strict=True)]
    rows = [window_row(w, tags[w.doc], allowed[w.doc], labels) for w in windows]
    columns = {key: [row[key] for row in rows] for key in rows[0]} if rows else {}
    partial = any(sum(a) > 1 for row in rows for a in row["role_allowed"])
    if not partial:
        columns.pop("role_allowed", None)
    return Dataset.from_dict(columns)


def lowercase_some(docs: list[Document], share: float, seed: int) -> list[Document]:
    """Lowercase a share of documents (user text is often lowercase), where lowercasing keeps
    every character offset."""
    rng = random.Random(seed)
    out = []
    for doc in docs:
        lower = doc.text.lower()
        if rng.random() < share and len(lower) == len(doc.text):
            sentences = tuple(replace(s, text=lower[s.start : s.end]) for s in doc.sentences)
            doc = replace(doc, text=lower, sentences=sentences)
        out.append(doc)
    return out


def collator(tokenizer: Any) -> Any:
    """The ``Trainer``'s data collator: ``pad_rows`` with the tokenizer's pad id."""
    return functools.partial(pad_rows, pad_id=tokenizer.pad_token_id)


def loss_step(
    model: Any,
    inputs: dict[str, Any],
    token_weights: torch.Tensor | None,
    role_weights: torch.Tensor | None,
) -> tuple[torch.Tensor, Any]:
    """The class-weighted loss of one batch (``tagger_loss``), and the model's outputs."""
    labels = inputs.pop("labels", None)
    role_labels = inputs.pop("role_labels", None)
    allowed = inputs.pop("role_allowed", None)
    outputs = model(**inputs)
    loss = tagger_loss(
        outputs.logits,
        labels,
        outputs.role_logits,
        role_labels,
        allowed,
        token_weights,
        role_weights,
    )
    return loss, outputs


def metrics_fn(labels: tuple[str, ...]) -> Any:
    """Dev scores: BIO macro-F1 (tags other than O, on first sub-tokens), role macro-F1 (on
    sentences with one gold role), and their mean, ``macro_f1``, which selects the model."""
    from sklearn.metrics import f1_score

    tags = [i for i, t in enumerate(labels) if t != "O"]

    def f1(gold: np.ndarray, logits: np.ndarray, scored: list[int]) -> float:
        keep = gold >= 0
        guess = logits.argmax(-1)[keep]
        return float(f1_score(gold[keep], guess, labels=scored, average="macro", zero_division=0))

    def compute(pred: Any) -> dict[str, float]:
        token_logits, role_logits = pred.predictions
        gold_tags, gold_roles = pred.label_ids
        bio = f1(gold_tags, token_logits, tags)
        roles = f1(gold_roles, role_logits, list(range(len(ROLES))))
        return {"macro_f1": (bio + roles) / 2, "bio_macro_f1": bio, "role_macro_f1": roles}

    return compute


def check_base(base: str) -> None:
    """The tagger is a BERT (the e5 base is one): refuse other encoders with a clear message."""
    from transformers import AutoConfig

    kind = AutoConfig.from_pretrained(base).model_type
    if kind != "bert":
        raise ValueError(f"the tagger task needs a BERT encoder; {base} is {kind!r}")


SPAN_ROLE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)  # the grid `span_role_weight` is chosen from


def span_role_weight(tagger: Any, docs: Sequence[Document]) -> tuple[float, dict[str, float]]:
    """The argument tagger's ``extra["span_role_weight"]``, chosen on dev ``docs``: the weight
    in ``SPAN_ROLE_WEIGHTS`` (the smallest of equals) whose roles score the best macro-F1 over
    the sentences with one gold role, mixed as ``ArgumentTagger.predict`` mixes them. The mix
    is linear in the weight, so one encoder pass read at weights 0 and 1 gives the whole grid.

    Why: on PE-FR paragraphs, roles read off a span tagger's BIO tags scored better than a roles
    classifier, and a mix of the two better still (docs/research-log.md)."""
    from sklearn.metrics import f1_score

    from stance.model.classifier import ArgumentTagger

    docs = [one_sentence(d) for d in docs]
    allowed = np.array([a for d in docs for a in allowed_roles(d, doc_words(d))])
    if not len(allowed):
        return 0.0, {}
    keep = allowed.sum(1) == 1
    gold = allowed[keep].argmax(1)
    order = [tagger.role_labels.index(r) for r in ROLES]
    read: list[list[np.ndarray]] = [[], []]
    parts = [
        ArgumentTagger(tagger.model, tagger.tokenizer, replace(tagger.info, extra=extra))
        for extra in ({**tagger.info.extra, "span_role_weight": w} for w in (0.0, 1.0))
    ]
    for lo in range(0, len(docs), 64):  # one encoder pass, read at both ends of the grid
        chunk = docs[lo : lo + 64]
        words = [doc_words(d) for d in chunk]
        logits = tagger.logits(chunk, 16, words)
        for end, part in zip(read, parts, strict=True):
            end += [t.role_probs for t in part.scores(chunk, words, *logits)]
    ends = [np.concatenate(end)[:, order][keep] for end in read]
    scores = {}
    for weight in SPAN_ROLE_WEIGHTS:
        guess = ((1 - weight) * ends[0] + weight * ends[1]).argmax(-1)
        f1 = f1_score(gold, guess, labels=[0, 1, 2], average="macro", zero_division=0)
        scores[f"span_role_weight_{weight}"] = round(float(f1), 4)
    best = max(SPAN_ROLE_WEIGHTS, key=lambda w: (scores[f"span_role_weight_{w}"], -w))
    return best, scores


def with_span_role_weight(
    model: Any, tokenizer: Any, info: PartInfo, config: TrainConfig
) -> PartInfo:
    """``info`` with the ``span_role_weight`` chosen on the run's dev documents; the grid's
    scores go into ``info.extra["dev_scores"]`` (the run's ``train_summary.json``)."""
    from stance.model.classifier import ArgumentTagger
    from stance.training.data.mix import task_documents

    model.to("cpu").eval()  # the product's tagger reads CPU tensors
    tagger = ArgumentTagger(model, tokenizer, info)
    weight, scores = span_role_weight(tagger, task_documents(config)[1])
    info.extra.get("dev_scores", {}).update(scores, span_role_weight=weight)
    return replace(info, extra={**info.extra, "span_role_weight": weight})
