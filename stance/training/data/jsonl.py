"""The project's own schema (``jsonl``): a document record plus ``text`` and ``meta``.

Written by ``export.to_record`` (``stance data prepare``), read back with
``Document.from_dict``; a record without ``id`` or ``text`` is a ``DataError``.
"""

from __future__ import annotations

from pathlib import Path

from stance.doc import Document
from stance.training.data.base import Adapter, DataError, json_lines


def read(path: Path, errors: str) -> list[Document]:
    docs = []
    for row in json_lines(path, errors):
        if not isinstance(row.rec.get("text"), str) or "id" not in row.rec:
            what = f"record {row.n} lacks 'id' or 'text' (see stance.training.data.export)"
            raise DataError(path, row.line, what)
        try:
            docs.append(Document.from_dict(row.rec))
        except (KeyError, TypeError, AttributeError) as err:
            raise DataError(path, row.line, f"record {row.n} is malformed ({err!r})") from None
    return docs


ADAPTER = Adapter("jsonl", read, "", {None: ("*.jsonl",)})
ADAPTERS = (ADAPTER,)
