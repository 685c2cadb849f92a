"""Soft labels for distillation: the lexical baseline for stance, the span tagger for roles.

On X-Stance's unseen questions TF-IDF + LR beats the LoRA-tuned encoder on dev (0.700 vs 0.665),
and averaging the two models' probabilities gives 0.743: they make different errors. An average
of two models cannot be exported as one transformers directory, so the encoder is trained toward
the lexical model's probabilities as well as the gold labels (knowledge distillation). Measured
on the full fine-tuning recipe (docs/research-log.md): weight 0.5 lifts X-Stance FR from 0.705 to
0.724 and E-FRA from 0.486 to 0.527, once the teacher leaves the E-FRA tweets alone (fitted on
them too, it cost E-FRA 0.04-0.17).

The probabilities are out-of-fold, with folds by group (X-Stance question): in-fold, the
lexical model would simply repeat the gold label; out-of-fold it shows how it behaves on
questions it has not seen, which is where it helps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from stance.doc import ROLES, Document
from stance.model.tasks import PairExample, doc_words, span_roles
from stance.training.config import TrainConfig

FOLDS = 5


def lexical_inputs(examples: Sequence[PairExample]) -> list[str]:
    """The baseline's text for each example: first text, separator, second text (if any)."""
    from stance.training.baselines import pair_texts

    return pair_texts([e.first for e in examples], [e.second or "" for e in examples])


def lexical_teacher(
    examples: Sequence[PairExample], labels: Sequence[str], folds: int = FOLDS
) -> np.ndarray:
    """Soft labels, one row per example, columns in ``labels`` order.

    Annotated examples get out-of-fold TF-IDF + LR probabilities (the model is fitted on
    them only); pairs built by rule keep their one-hot label, because a bag of n-grams cannot
    tell them apart (a `none` pair repeats a comment seen with its own target). So do groups
    with annotated `none` rows (E-FRA): fitted on those few, the teacher pulled neutral tweets
    toward a side (docs/research-log.md). A label missing from a fold's training part gets
    probability 0 for that fold.
    """
    column = {label: j for j, label in enumerate(labels)}
    probs = np.eye(len(labels), dtype=np.float32)[[column[e.label] for e in examples]]
    neutral = {e.group for e in examples if e.annotated and e.label == "none"}
    rows = np.array(
        [i for i, e in enumerate(examples) if e.annotated and e.group not in neutral], dtype=int
    )
    kept = [examples[i] for i in rows]
    texts = np.array(lexical_inputs(kept), dtype=object)
    gold = np.array([e.label for e in kept], dtype=object)
    fold = fold_ids([e.group for e in kept], list(gold), folds)
    for k in range(folds):
        held, train = np.flatnonzero(fold == k), np.flatnonzero(fold != k)
        if len(held):
            probs[rows[held]] = _fold_proba(texts[train], gold[train], texts[held], labels)
    return probs


def fold_ids(groups: Sequence[str], gold: Sequence[str], folds: int) -> np.ndarray:
    """A fold per row: whole groups, except groups holding most rows of some label.

    X-Stance questions stay whole (soft labels as on unseen questions). A group that holds
    most examples of a label (E-FRA: one target, nearly all annotated `none` rows) is spread
    row by row, else the teacher labelling it would barely know that label.
    """
    rows_of: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        rows_of.setdefault(g, []).append(i)
    label_total = Counter(gold)
    out = np.zeros(len(groups), dtype=int)
    load = np.zeros(folds, dtype=int)
    for _, rows in sorted(rows_of.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        counts = Counter(gold[i] for i in rows)
        if any(2 * n > label_total[label] for label, n in counts.items()):
            out[rows] = np.arange(len(rows)) % folds
            load += np.bincount(out[rows], minlength=folds)
        else:
            k = int(load.argmin())
            out[rows] = k
            load[k] += len(rows)
    return out


def _fold_proba(
    train_texts: np.ndarray, train_gold: np.ndarray, texts: np.ndarray, labels: Sequence[str]
) -> np.ndarray:
    from stance.training.baselines import tfidf_lr_model

    out = np.zeros((len(texts), len(labels)), dtype=np.float32)
    present = sorted(set(train_gold))
    if len(present) < 2:  # one class only: the teacher is certain of it
        out[:, list(labels).index(present[0])] = 1.0
        return out
    model = tfidf_lr_model()
    model.fit(list(train_texts), list(train_gold))
    proba = model.predict_proba(list(texts))
    for j, label in enumerate(model.classes_):
        out[:, list(labels).index(str(label))] = proba[:, j]
    return out


def span_teacher(
    docs: Sequence[Document], config: TrainConfig, labels: Sequence[str]
) -> np.ndarray:
    """Soft roles, one row per component example (``component_examples`` order), from the span
    tagger ``config.span_teacher`` reading each sentence in its paragraph.

    Why: on the essays the tagger's roles beat the roles part (0.769 vs 0.749 on dev), but one
    transformers directory cannot hold both models, so the roles part learns from it. The tagger
    is fitted on the same training paragraphs yet is no copy of their labels (0.786 there).
    Documents without span annotations (the lowercased sentence table, where the tagger has no
    paragraph to read and scores 0.48) keep their one-hot gold label.
    """
    from stance.pipeline.pipeline import load

    tagger = load(config.span_teacher).span
    if tagger is None:
        raise ValueError(f"span_teacher {config.span_teacher}: no span part")
    column = {label: j for j, label in enumerate(labels)}
    order = [column[r] for r in ROLES]
    gold = np.eye(len(labels), dtype=np.float32)
    read = [d for d in docs if d.spans]
    offsets = [doc_words(d) for d in read]
    words = [[d.text[a:b] for a, b in offs] for d, offs in zip(read, offsets, strict=True)]
    read_probs = zip(offsets, tagger.word_proba(words), strict=True)
    probs = dict(zip((d.id for d in read), read_probs, strict=True))
    rows = []
    for doc in docs:
        for sent in doc.sentences:
            if sent.role not in ROLES:
                continue
            row = gold[column[sent.role]].copy()
            if doc.id in probs:
                offs, p = probs[doc.id]
                soft = span_roles(offs, p, tagger.labels, sent.start, sent.end)
                if soft is not None:
                    row[order] = soft
            rows.append(row)
    return np.stack(rows) if rows else np.zeros((0, len(labels)), dtype=np.float32)
