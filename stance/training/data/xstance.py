"""X-Stance validation rows, French and German (``xstance``): one document per comment.

Text = the comment, target = the question, gold stance FAVOR/AGAINST; ``meta`` keeps
``question_id, topic, language, numerical_label, author``; the id is X-Stance's.

The corpus ships one part here, divided by question (``split_by_group``): rows whose question
text is a dev question's, asked again under another id, are left out of ``train``; the
``comments`` split holds the comments on *training* questions by held-out authors
(``held_out_author``), the "new comments" case of the X-Stance test, kept out of ``train``.
"""

from __future__ import annotations

from pathlib import Path

from stance.doc import Document
from stance.training.data.base import Adapter, gold_stance, json_lines, need
from stance.training.data.splits import assign, dev_question_keys, split_by_group

_KEYS = ("question_id", "topic", "language", "numerical_label", "author")


def read(path: Path, errors: str) -> list[Document]:
    docs = []
    for row in json_lines(path, errors):
        doc_id, comment, question, label = need(row, path, "id", "comment", "question", "label")
        docs.append(Document(str(doc_id), comment, f"{path}#row{row.n}", target=question,
                             stance=gold_stance(label, path, row.line),
                             meta={k: row.rec.get(k) for k in _KEYS}))  # fmt: skip
    return docs


def split(docs: list[Document], part: str, folder: Path) -> list[Document]:
    """Train/dev by question (dev questions' twins out of train), held-out authors apart."""
    train, dev = split_by_group(docs, key="question_id")
    asked, _ = dev_question_keys({d.meta.get("question_id") for d in dev}, folder)
    train = [d for d in train if d.meta.get("question_id") not in asked]
    return assign(train, dev, part)


ADAPTER = Adapter(
    "xstance",
    read,
    "xstance",
    {None: ("valid.fr.jsonl", "valid.de.jsonl")},
    group_key="question_id",
    split=split,
)
ADAPTERS = (ADAPTER,)
