"""Rows per source × language × split × label of the research sets (``stance data stats``).

A row is a document; a document whose sentences carry gold roles (PE-FR, AbstRCT) counts
once per sentence, under the sentence's role. The label is the gold stance, else the stances
a partial label allows (``favor|none``), else the sentence roles, else the roles a partial
role label allows (``claim|premise``); a row with none of these is ``(unlabelled)``.
Files that are not valid UTF-8 are counted with replacement characters, and tolerated defects
(``DataWarning``) are reported: both come back as notes, never silently.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from stance.doc import Document
from stance.training.data.base import Adapter, DataError, DataWarning
from stance.training.data.registry import FORMATS, adapter, data_dir, default_paths

Key = tuple[str, str, str, str]  # source, language, split, label
UNLABELLED = "(unlabelled)"
_FIRST = ("favor", "against", "none", "claim", "premise")


def row_labels(doc: Document) -> list[str]:
    """The label(s) a document counts under (see the module docstring)."""
    if doc.stance:
        return [doc.stance.label]
    if doc.meta.get("stance_labels"):
        return ["|".join(doc.meta["stance_labels"])]
    roles = [s.role for s in doc.sentences if s.role]
    if roles:
        return roles
    if doc.meta.get("role_labels"):
        return ["|".join(doc.meta["role_labels"])]
    return [UNLABELLED]


def count_rows(
    formats: Sequence[str] | None = None, root: str | Path | None = None
) -> tuple[Counter[Key], list[str]]:
    """Row counts of ``formats`` (default: all but ``jsonl``) under ``root``, and notes."""
    base = Path(root) if root is not None else data_dir()
    counts: Counter[Key] = Counter()
    notes: list[str] = []
    for fmt in formats or [f for f in FORMATS if f != "jsonl"]:
        spec = adapter(fmt)
        files = default_paths(fmt, None, base)
        if not files:
            notes.append(f"{fmt}: no data file under {base}")
        for path in files:
            counts.update(_keys(spec, _read(spec, path, notes)))
    return counts, notes


def stats_table(
    counts: Counter[Key],
    columns: tuple[str, str, str] = ("source", "language", "split"),
    caption: str = "rows: documents (sentences where sentences carry gold roles)",
) -> Any:
    """A ``rich`` table: one line per source, language and split (or the three ``columns`` the
    keys start with, e.g. ``role_mix.row_counts``'s), one column per label."""
    from rich.table import Table

    labels = sorted({k[3] for k in counts}, key=_label_order)
    table = Table(caption=caption)
    for name in columns:
        table.add_column(name)
    for label in [*labels, "total"]:
        table.add_column(label, justify="right")
    lines = sorted({k[:3] for k in counts}, key=lambda k: (_source_order(k[0]), k))
    for line in lines:
        row = [counts[(*line, label)] for label in labels]
        table.add_row(*line, *map(_cell, row), _cell(sum(row)))
    totals = [sum(n for k, n in counts.items() if k[3] == label) for label in labels]
    table.add_section()
    table.add_row("total", "", "", *map(_cell, totals), _cell(sum(totals)))
    return table


def _read(spec: Adapter, path: Path, notes: list[str]) -> list[Document]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        try:
            docs = spec.read(path, "strict")
        except DataError as err:
            if "not valid UTF-8" not in str(err):
                raise
            notes.append(f"{err.path}:{err.line}: not valid UTF-8, counted with replacements")
            docs = spec.read(path, "replace")
    notes.extend(str(w.message) for w in caught if issubclass(w.category, DataWarning))
    return docs


def _keys(spec: Adapter, docs: Iterable[Document]) -> Iterable[Key]:
    for doc in docs:
        source = doc.meta.get("source") or doc.meta.get("dataset")
        name = spec.name if not source or source == spec.name else f"{spec.name}/{source}"
        language = doc.meta.get("language") or spec.language or "?"
        split = doc.meta.get("split") or "-"
        for label in row_labels(doc):
            yield name, str(language), str(split), label


def _label_order(label: str) -> tuple[int, str]:
    if label in _FIRST:
        return _FIRST.index(label), ""
    return (len(_FIRST) + (label == UNLABELLED), label)


def _source_order(name: str) -> int:
    fmt = name.split("/")[0]
    return FORMATS.index(fmt) if fmt in FORMATS else len(FORMATS)


def _cell(n: int) -> str:
    return f"{n:,}" if n else ""
