"""One row, one document: the reader shared by the cross-lingual sets (``xling/``).

A ``Schema`` names a set's fields and maps its label values to project labels. Every row
becomes a ``Document`` with ``text`` (NLI: the premise), ``target`` (NLI: the hypothesis) and
``meta``: ``source`` (the data set), ``language``, ``group`` (what must not cross a train/dev
split: topic, question, claim, pair), ``split`` (from the file name: train, dev — ``val`` is
dev — or None for a set shipped undivided) and ``source_label`` (the label as written).

Labels: a value that maps to one stance gives the gold ``stance``. A set where some value only
narrows the stance down (DACCORD *compatibles* = favor or none; RTE *not_entailment* = against
or none) is partial: none of its rows gets a ``stance``, each carries ``meta["stance_labels"]``
(the stances it allows), so that stance training never sees only one side of such a set. Role
labels work the same way: with one role per value the row is one gold ``Sentence``, else every
row carries ``meta["role_labels"]`` (an *argument* is ``["claim", "premise"]``). A value the
schema does not know is a ``DataError`` naming file and line; values listed as ``unlabelled``
(free-text answers in CondaQA) are kept, with no gold label.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from stance.doc import DocStance, Document, Sentence
from stance.training.data.base import DataError, Reader, Row, csv_rows, json_lines, need

Labels = Mapping[str, Sequence[str]]  # source label -> the project labels it allows


@dataclass(frozen=True)
class Schema:
    """How the rows of one file (or one family of files) become documents."""

    source: str  # meta["source"], and the prefix of the ids
    text: str  # field: the text (NLI: the premise)
    target: str | None  # field: the target (NLI: the hypothesis); None: ``fixed_target``
    label: str  # field: the label
    group: str | Callable[[dict[str, Any]], Any]  # field naming the group, or a function
    language: str = "en"
    language_field: str | None = None  # the row names its language (overrides ``language``)
    stances: Labels = field(default_factory=dict)
    roles: Labels = field(default_factory=dict)
    unlabelled: frozenset[str] = frozenset()
    fixed_target: str | None = None
    keep: tuple[str, ...] = ()  # more fields copied into ``meta``
    delimiter: str | None = None  # None: JSON lines; "," CSV; "\t" TSV

    def fields(self) -> tuple[str, ...]:
        """The fields every row must have (``keep`` fields may be missing)."""
        named = (self.text, self.target, self.label, self.language_field)
        group = (self.group,) if isinstance(self.group, str) else ()
        return tuple(f for f in (*named, *group) if f)


def reader(schema: Schema) -> Reader:
    """The adapter reader of a one-schema set."""
    return partial(read_rows, schema=schema)


def by_file(schemas: Mapping[str, Schema]) -> Reader:
    """The reader of a set whose files differ: the schema of the first matching name pattern."""

    def read(path: Path, errors: str) -> list[Document]:
        for pattern, schema in schemas.items():
            if fnmatch.fnmatch(path.name, pattern):
                return read_rows(path, errors, schema)
        raise DataError(path, None, f"no schema for this file (known: {', '.join(schemas)})")

    return read


def text_hash(name: str) -> Callable[[dict[str, Any]], str]:
    """A group function: rows with the same text in field ``name`` form one group."""
    return lambda rec: hashlib.sha1(str(rec[name]).encode()).hexdigest()[:12]


def file_split(path: Path) -> str | None:
    """``train`` or ``dev`` (``val`` is dev) from the file name; None when it names neither."""
    name = path.stem.lower().replace("-", "_").replace(".", "_")
    parts = set(name.split("_"))
    return "train" if "train" in parts else "dev" if parts & {"dev", "val"} else None


def read_rows(path: Path, errors: str, schema: Schema) -> list[Document]:
    """Every row of ``path`` as a document (see the module docstring)."""
    if schema.delimiter is None:
        rows = json_lines(path, errors)
    else:
        rows = csv_rows(path, errors, required=schema.fields(), delimiter=schema.delimiter)
    split = file_split(path)
    return [_document(schema, path, row, split) for row in rows]


def _document(schema: Schema, path: Path, row: Row, split: str | None) -> Document:
    text, raw = need(row, path, schema.text, schema.label)
    target = need(row, path, schema.target)[0] if schema.target else schema.fixed_target
    for name, value in (("text", text), ("target", target)):
        if not isinstance(value, str) or not value.strip():
            raise DataError(path, row.line, f"record {row.n} has an empty {name}")
    raw = str(raw)
    meta: dict[str, Any] = {
        "source": schema.source,
        "language": need(row, path, schema.language_field)[0]
        if schema.language_field
        else schema.language,
        "group": _group(schema, path, row),
        "split": split,
        "source_label": raw,
        **{k: row.rec.get(k) for k in schema.keep},
    }
    stance: str | None = None
    sentences: tuple[Sentence, ...] = ()
    if raw not in schema.unlabelled:
        if raw not in schema.stances and raw not in schema.roles:
            known = sorted({*schema.stances, *schema.roles, *schema.unlabelled})
            raise DataError(path, row.line, f"unknown label {raw!r} (known: {', '.join(known)})")
        stance = _gold(schema.stances, raw, meta, "stance_labels")
        role = _gold(schema.roles, raw, meta, "role_labels")
        if role is not None:
            sentences = (Sentence(0, 0, len(text), text, role=role),)
    return Document(
        f"{schema.source}:{path.stem}:{row.n}",
        text,
        f"{path}#row{row.n}",
        target=target,
        stance=DocStance(stance, {stance: 1.0}) if stance else None,
        sentences=sentences,
        meta=meta,
    )


def _gold(labels: Labels, raw: str, meta: dict[str, Any], partial_key: str) -> str | None:
    """The one project label of ``raw``; for a partial label set, None (``meta`` says more)."""
    if raw not in labels:
        return None
    if all(len(v) == 1 for v in labels.values()):
        return labels[raw][0]
    meta[partial_key] = list(labels[raw])
    return None


def _group(schema: Schema, path: Path, row: Row) -> str:
    try:
        value = schema.group(row.rec) if callable(schema.group) else row.rec[schema.group]
    except (KeyError, ValueError, TypeError) as err:
        raise DataError(path, row.line, f"record {row.n}: no group ({err!r})") from None
    return str(value)
