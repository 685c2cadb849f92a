"""What a corpus adapter is, and the file readers every adapter shares.

An ``Adapter`` says, for one data format: how to read one file into ``Document``s, where the
files lie under the data root (per split), which ``meta`` key groups rows for splitting, and,
for corpora shipped as one part, how that part is divided into train/dev.

Malformed data is never dropped silently: the readers raise ``DataError`` (a ``ValueError``)
whose message starts with ``file:line:``. The one tolerated defect, a BIO line that lost its
token (AbstRCT-FR dev), is skipped as before but reported as a ``DataWarning`` with its line.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from stance.doc import DocStance, Document
from stance.io.conll import Token, iter_blocks

Reader = Callable[[Path, str], list[Document]]  # (file, encoding errors) -> documents
Splitter = Callable[[list[Document], str, Path], list[Document]]  # (docs, split, folder)
STANCE_OF_LABEL = {"favor": "favor", "favour": "favor", "against": "against", "none": "none"}
_BIO_TAG = re.compile(r"^(?:O|[BI]-\S+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Adapter:
    """One data format: its reader, its file layout, how its rows are grouped and split.

    ``files`` maps a split to file patterns under ``folder`` (key ``None``: files that hold
    no one split). ``group_key``: what must not cross a train/dev split (the ``key`` of
    ``splits.split_by_group``: a ``meta`` key or a ``Document`` attribute). ``split``: how
    ``load_dataset(split=...)`` divides a corpus shipped as one part; without it, rows are
    kept whose ``meta["split"]`` is the split. ``language``: the language of rows whose
    ``meta`` does not name one (for ``stats``).
    """

    name: str
    read: Reader
    folder: str
    files: Mapping[str | None, tuple[str, ...]]
    group_key: str | None = None
    split: Splitter | None = None
    language: str | None = None


class DataError(ValueError):
    """A malformed data file or row; the message starts with ``file:line:``."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path, self.line = path, line
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


class DataWarning(UserWarning):
    """A defect in a data file that is tolerated (and said), not an error."""


class Row(NamedTuple):
    """A record of a data file: its index among the records, its first line, its fields."""

    n: int
    line: int
    rec: dict[str, Any]


def read_text(path: Path, errors: str) -> str:
    """UTF-8 text (a BOM is dropped); invalid bytes raise a ``DataError`` with their offset."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if errors == "strict":
            start = err.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)  # in the file
            raise DataError(
                path,
                data[:start].count(b"\n") + 1,
                f"not valid UTF-8 at byte {start} ({err.reason}); "
                "pass encoding_errors='replace' to decode it with replacement characters",
            ) from None
        return data.decode("utf-8-sig", errors)


def json_lines(path: Path, errors: str) -> Iterator[Row]:
    """One JSON object per non-blank line."""
    lines = read_text(path, errors).split("\n")
    n = 0
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            raise DataError(path, line_no, f"record {n} is not JSON ({err.msg})") from None
        if not isinstance(rec, dict):
            raise DataError(path, line_no, f"record {n} is not a JSON object")
        yield Row(n, line_no, rec)
        n += 1


def csv_rows(
    path: Path, errors: str, required: Sequence[str] = (), delimiter: str = ","
) -> Iterator[Row]:
    """Records of a CSV file with a header (TSV: ``delimiter="\\t"``, no quoting).

    A record with more or fewer fields than the header is an error; blank lines are no
    records. ``line`` is the first line of a record (quoted fields may span lines).
    """
    text = io.StringIO(read_text(path, errors), newline="")
    if delimiter == "\t":
        reader = csv.reader(text, delimiter=delimiter, quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(text, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise DataError(path, 1, "empty file, expected a header")
    missing = [k for k in required if k not in header]
    if missing:
        raise DataError(path, 1, f"header lacks {', '.join(map(repr, missing))}")
    n, line = 0, reader.line_num + 1
    for fields in reader:
        if fields:
            if len(fields) != len(header):
                what = f"record {n} has {len(fields)} fields, expected {len(header)}"
                raise DataError(path, line, what)
            yield Row(n, line, dict(zip(header, fields, strict=True)))
            n += 1
        line = reader.line_num + 1


def need(row: Row, path: Path, *keys: str) -> list[Any]:
    """The values of ``keys`` in a record; a missing key is a ``DataError``."""
    missing = [k for k in keys if k not in row.rec]
    if missing:
        raise DataError(path, row.line, f"record {row.n} lacks {', '.join(map(repr, missing))}")
    return [row.rec[k] for k in keys]


def gold_stance(label: Any, path: Path, line: int) -> DocStance:
    """A gold stance from a FAVOR/FAVOUR/AGAINST/NONE label (any case)."""
    norm = STANCE_OF_LABEL.get(str(label).lower())
    if norm is None:
        raise DataError(path, line, f"unknown stance label {label!r}")
    return DocStance(norm, {norm: 1.0})


def split_of(path: Path) -> str | None:
    """``train`` or ``dev`` when the file name says so."""
    name = path.name.lower()
    return "train" if "train" in name else "dev" if "dev" in name else None


def bio_blocks(path: Path, errors: str) -> list[list[Token]]:
    """Blank-line separated blocks of ``token label`` lines, every label checked.

    A label that is not a BIO tag is a ``DataError``; a line holding only a tag has lost its
    token: it is skipped (``stance.io.conll.parse_token_line``) with a ``DataWarning``.
    """
    lines = read_text(path, errors).split("\n")
    for line_no, line in enumerate(lines, start=1):
        fields = line.split("\t") if "\t" in line else line.split()
        if not fields or not line.strip():
            continue
        if len(fields) == 1:
            if _BIO_TAG.match(fields[0].strip()):
                warnings.warn(
                    f"{path}:{line_no}: tag {fields[0].strip()!r} without a token, skipped",
                    DataWarning,
                    stacklevel=2,
                )
                continue
            raise DataError(path, line_no, f"expected 'token<TAB>label', got {line.strip()!r}")
        if not _BIO_TAG.match(fields[-1].strip()):
            raise DataError(path, line_no, f"{fields[-1].strip()!r} is not a BIO tag")
    return list(iter_blocks(lines))
