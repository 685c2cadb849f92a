"""Gold documents out: project JSONL records (``prepare``) and flat ``datasets.Dataset``s."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stance.doc import Document
from stance.training.data.registry import data_dir, load_dataset

_PREPARED = [
    (fmt, split)
    for fmt in ("pe-fr-bio", "pe-fr-sentences", "xstance", "efra", "abstrct")
    for split in ("train", "dev")
] + [("fewshot", "train")]


def to_record(doc: Document) -> dict[str, Any]:
    """The document record plus ``text`` and ``meta``: the ``jsonl`` data format."""
    return {**doc.to_dict(), "text": doc.text, "meta": doc.meta}


def prepare(out_dir: str | Path) -> dict[str, int]:
    """Write every research set as ``<format>.<split>.jsonl`` under ``out_dir``; counts per file.

    AbstRCT-FR dev has an undecodable byte: it is decoded with replacement characters here.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    root = data_dir()
    counts: dict[str, int] = {}
    for fmt, split in _PREPARED:
        errors = "replace" if fmt == "abstrct" else "strict"
        docs = load_dataset(fmt, root, split=split, encoding_errors=errors)
        name = f"{fmt}.{split}"
        with (out / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for doc in docs:
                fh.write(json.dumps(to_record(doc), ensure_ascii=False) + "\n")
        counts[name] = len(docs)
    return counts


def to_hf_dataset(docs: Sequence[Document], kind: str | None = None) -> Any:
    """A flat ``datasets.Dataset``; ``kind`` defaults to stance > component > span.

    * ``stance``: one row per document with a gold stance — ``id, text, target, label``;
    * ``component``: one row per sentence with a role — ``id`` (``doc_id:index``), ``doc_id``,
      ``index, text, label``;
    * ``span``: one row per document — ``id, text, span_starts, span_ends, span_labels``.
    """
    from datasets import Dataset

    kind = kind or _guess_kind(docs)
    rows: list[dict[str, Any]]
    if kind == "stance":
        rows = [
            {"id": d.id, "text": d.text, "target": d.target or "", "label": d.stance.label}
            for d in docs
            if d.stance
        ]
    elif kind == "component":
        rows = [
            {
                "id": f"{d.id}:{s.index}",
                "doc_id": d.id,
                "index": s.index,
                "text": s.text,
                "label": s.role,
            }
            for d in docs
            for s in d.sentences
            if s.role
        ]
    elif kind == "span":
        rows = [_span_row(d) for d in docs]
    else:
        raise ValueError(f"unknown kind {kind!r} (stance | component | span)")
    return Dataset.from_list(rows)


def _guess_kind(docs: Sequence[Document]) -> str:
    if any(d.stance for d in docs):
        return "stance"
    if any(s.role for d in docs for s in d.sentences):
        return "component"
    return "span"


def _span_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "text": doc.text,
        "span_starts": [s.start for s in doc.spans],
        "span_ends": [s.end for s in doc.spans],
        "span_labels": [s.label for s in doc.spans],
    }
