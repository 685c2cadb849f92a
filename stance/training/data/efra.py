"""E-FRA: French tweets on Emmanuel Macron, 2017 (``efra``): one document per tweet.

``macron_train.csv`` (``id, target, text, stance, set``): text = the tweet, target = the
target column, gold stance AGAINST/FAVOUR/NONE. Shipped as one part, divided by tweet
(``split_by_group`` on the id) for ``train``/``dev``.
"""

from __future__ import annotations

from pathlib import Path

from stance.doc import Document
from stance.training.data.base import Adapter, csv_rows, gold_stance
from stance.training.data.splits import assign, split_by_group

_COLUMNS = ("id", "target", "text", "stance", "set")


def read(path: Path, errors: str) -> list[Document]:
    return [
        Document(
            row.rec["id"],
            row.rec["text"],
            f"{path}#row{row.n}",
            target=row.rec["target"],
            stance=gold_stance(row.rec["stance"], path, row.line),
            meta={"target_name": row.rec["target"], "set": row.rec["set"]},
        )  # fmt: skip
        for row in csv_rows(path, errors, required=_COLUMNS)
    ]


def split(docs: list[Document], part: str, folder: Path) -> list[Document]:
    """Train/dev by tweet."""
    return assign(*split_by_group(docs, key="id"), part)


ADAPTER = Adapter(
    "efra", read, "efra", {None: ("macron_train.csv",)}, group_key="id", split=split, language="fr"
)
ADAPTERS = (ADAPTER,)
