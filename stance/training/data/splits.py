"""Dividing corpora into train/dev so that dev measures what it claims to.

``split_by_group`` keeps every group (question, tweet, topic, pair) on one side.
X-Stance needs more: a question asked again under another id is the same question
(``dev_question_keys``), and its "new comments" dev part holds out authors on training
questions (``held_out_author``); ``assign`` turns (train, dev) into the rows of one split.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from stance.doc import Document
from stance.training.data.base import json_lines, need

NEW_COMMENT_AUTHORS = 0.15  # X-Stance: share of authors whose training-question comments are dev


def split_by_group(
    docs: Sequence[Document], key: str = "question_id", dev_fraction: float = 0.2, seed: int = 13
) -> tuple[list[Document], list[Document]]:
    """(train, dev) with every group (``meta[key]``, else the attribute, else the id) on one side.

    Deterministic for a given seed: groups are sorted, then shuffled with ``random.Random``.
    """
    groups = sorted({group_of(d, key) for d in docs})
    random.Random(seed).shuffle(groups)
    n_dev = max(1, round(len(groups) * dev_fraction)) if len(groups) > 1 and dev_fraction else 0
    dev_groups = set(groups[:n_dev])
    train = [d for d in docs if group_of(d, key) not in dev_groups]
    dev = [d for d in docs if group_of(d, key) in dev_groups]
    return train, dev


def group_of(doc: Document, key: str) -> str:
    """A document's group: ``meta[key]``, else its attribute ``key``, else its id."""
    value = doc.meta.get(key)
    if value is None:
        value = getattr(doc, key, None)
    return str(value if value is not None else doc.id)


def assign(train: list[Document], dev: list[Document], split: str) -> list[Document]:
    """The rows of ``split`` (train, dev or comments), ``meta["split"]`` set.

    ``comments``: training rows by held-out authors (``held_out_author``), kept out of train.
    """
    held = [held_out_author(d) for d in train]  # one hash per comment
    comments = [d for d, h in zip(train, held, strict=True) if h]
    train = [d for d, h in zip(train, held, strict=True) if not h]
    chosen = {"train": train, "dev": dev, "comments": comments}.get(split, [])
    return [replace(d, meta={**d.meta, "split": split}) for d in chosen]


def question_key(text: str) -> str:
    """A question's text as X-Stance repeats it: spacing and case do not make a new question."""
    return " ".join(text.split()).casefold()


def dev_question_keys(dev_ids: set[Any], folder: Path) -> tuple[set[Any], set[str]]:
    """Ids and texts (``question_key``) of the dev questions and their twins: none may train.

    X-Stance asks some questions again under another id (another election: 45 and 1479 are
    the same French text), and the few-shot files hold X-Stance *train* comments, whose
    questions are the validation questions, named by text only. Rows on either would put
    comments on a dev question into training, and dev would no longer measure new questions.
    ``folder`` holds ``questions.{fr,de}.jsonl`` (where missing, only ``dev_ids`` count).
    """
    texts: dict[Any, list[str]] = {}
    for path in (folder / "questions.fr.jsonl", folder / "questions.de.jsonl"):
        for row in json_lines(path, "strict") if path.exists() else ():
            qid, text = need(row, path, "id", "text")
            texts.setdefault(qid, []).append(question_key(text))
    dev_texts = {t for i in dev_ids for t in texts.get(i, [])}
    twins = {i for i, ts in texts.items() if dev_texts.intersection(ts)}
    return set(dev_ids) | twins, dev_texts


def held_out_author(doc: Document) -> bool:
    """Whether an X-Stance comment's author is held out of training ("new comments" dev).

    Decided by a hash of the author alone, so the same authors are held out whichever file or
    subset is read (French, German, both), and a held-out author's comments never train.
    """
    author = doc.meta.get("author")
    if not author:
        return False
    digest = int(hashlib.sha256(str(author).encode()).hexdigest(), 16)
    return digest % 100 < NEW_COMMENT_AUTHORS * 100
