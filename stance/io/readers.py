"""Command-line inputs → ``Document``s: files, directories, and stdin.

Bad input never raises: a file that cannot be read, decoded or parsed yields a ``Document``
carrying ``error`` (types ``not_found``, ``permission``, ``read_error``, ``empty``, ``binary``,
``decode_error``, ``json_error``, ``missing_field``, ``bad_field``, ``csv_error``,
``html_extraction``), so a batch job still writes one record per input and exits 1 instead of
crashing half-way. Messages do not repeat ``source``. JSONL and CSV are streamed row by row,
never loaded whole.

Ids: a file's id is its path as given (for files found in a directory, the directory as given
joined with the relative path); a row's id is its ``id`` field, else ``PATH#row<LINE>`` with the
1-based line number where the row starts. ``source`` is the path, or ``PATH#row<LINE>`` for rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from stance.doc import Document
from stance.io.decode import SNIFF_BYTES, BinaryInputError, decode_bytes, sniff_encoding
from stance.io.extract import extract_main_text

TEXT_EXTS = frozenset({".txt", ".md"})
HTML_EXTS = frozenset({".html", ".htm"})
ROW_EXTS = frozenset({".jsonl", ".csv"})
SUPPORTED_EXTS = TEXT_EXTS | HTML_EXTS | ROW_EXTS
CSV_FIELD_LIMIT = 1 << 24  # characters; the csv module's default (131,072) cuts long articles


@dataclass(frozen=True)
class _Options:
    text_field: str
    id_field: str
    target: str | None
    errors: str


def read_inputs(
    inputs: Sequence[str],
    *,
    text_field: str = "text",
    id_field: str = "id",
    target: str | None = None,
    encoding_errors: str = "strict",
) -> Iterator[Document]:
    """Documents of every input, in input order (directories: sorted, recursive).

    Explicit files with another extension are read as plain text; directories only pick the
    supported extensions and skip hidden entries. ``encoding_errors="replace"`` decodes
    undecodable bytes with U+FFFD instead of reporting ``decode_error``.
    """
    opts = _Options(text_field, id_field, target, encoding_errors)
    for item in inputs:
        if item == "-":
            yield from _read_stdin(opts)
        elif os.path.isdir(item):
            for entry in _walk(item, set()):
                if isinstance(entry, Document):
                    yield entry
                else:
                    yield from _read_path(entry, opts)
        else:
            yield from _read_path(item, opts)


def content_hash(doc: Document) -> str:
    """sha256 over id, target and text: a re-run skips documents whose hash is unchanged."""
    payload = json.dumps([doc.id, doc.target, doc.text], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- directories and files -------------------------------------------------------------------


def _walk(root: str, seen: set[str]) -> Iterator[str | Document]:
    """Supported files under ``root``, depth first in name order; each real directory once.

    Tracking real paths makes symlink loops (a link to a parent) harmless.
    """
    real = os.path.realpath(root)
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as err:
        yield _base(root, None).with_error(*_os_error(err))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if _is_dir(entry):
            yield from _walk(entry.path, seen)
        elif Path(entry.name).suffix.lower() in SUPPORTED_EXTS and _readable_kind(entry):
            yield entry.path


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link to itself raises ELOOP instead of answering
        return False


def _readable_kind(entry: os.DirEntry[str]) -> bool:
    """Regular files, and broken or looping links (so that they get an error record).

    FIFOs and devices are left out: reading them could block or never end.
    """
    try:
        regular = entry.is_file()
    except OSError:
        regular = False
    return regular or (entry.is_symlink() and not os.path.exists(entry.path))


def _read_path(path: str, opts: _Options) -> Iterator[Document]:
    ext = Path(path).suffix.lower()
    if ext in ROW_EXTS:
        yield from _read_rows(path, ext, opts)
        return
    base = _base(path, opts.target)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        yield base.with_error(*_os_error(err))
        return
    yield _html_doc(base, data) if ext in HTML_EXTS else _text_doc(base, data, opts.errors)


def _base(path: str, target: str | None) -> Document:
    return Document(id=path, text="", source=path, target=target)


def _os_error(err: OSError) -> tuple[str, str]:
    kind = {FileNotFoundError: "not_found", PermissionError: "permission"}.get(
        type(err), "read_error"
    )
    return kind, str(err.strerror or err)


def _text_doc(base: Document, data: bytes, errors: str) -> Document:
    """Decode a plain-text (or Markdown) file; offsets will point into this text as is."""
    if not data.strip():
        return base.with_error("empty", "file is empty")
    try:
        text, encoding = decode_bytes(data, errors)
    except BinaryInputError as err:
        return base.with_error("binary", str(err))
    except (UnicodeDecodeError, ValueError) as err:
        return base.with_error("decode_error", str(err))
    if not text.strip():
        return base.with_error("empty", "no text")
    return replace(base, text=text, meta={"encoding": encoding})


def _html_doc(base: Document, data: bytes) -> Document:
    if not data.strip():
        return base.with_error("empty", "file is empty")
    try:
        text, title = extract_main_text(data)
    except Exception as err:  # trafilatura/lxml raise many types on broken markup
        return base.with_error("html_extraction", f"{type(err).__name__}: {err}")
    if not text:
        return base.with_error("html_extraction", "no main text found")
    return replace(base, text=text, text_extracted=True, meta={"title": title})


# --- rows: JSONL and CSV ---------------------------------------------------------------------


def _read_rows(path: str, ext: str, opts: _Options) -> Iterator[Document]:
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with below, errors handled here
    except OSError as err:
        yield _base(path, opts.target).with_error(*_os_error(err))
        return
    with fh:
        try:
            head = fh.read(SNIFF_BYTES)
            encoding = sniff_encoding(head, partial=len(head) == SNIFF_BYTES)
        except BinaryInputError as err:
            yield _base(path, opts.target).with_error("binary", str(err))
            return
        fh.seek(0)
        if ext == ".jsonl" and not encoding.startswith(("utf-16", "utf-32")):
            encoding = "utf-8-sig"  # JSON is UTF-8: a bad line is that line's error only
        bad: set[int] = set()
        if encoding.startswith(("utf-16", "utf-32")):  # not line-splittable as bytes
            lines = _wide_lines(fh, encoding, opts.errors, bad)
        else:
            lines = _decoded_lines(fh, encoding, opts.errors, bad)
        parse = _jsonl_docs if ext == ".jsonl" else _csv_docs
        yield from parse(path, lines, bad, opts)


def _decoded_lines(
    raw_lines: Iterable[bytes], encoding: str, errors: str, bad: set[int]
) -> Iterator[str]:
    """Lines decoded one at a time; with ``strict``, undecodable lines go into ``bad``.

    Decoding per line keeps one broken line from failing the whole file.
    """
    for n, raw in enumerate(raw_lines, 1):
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            if errors == "strict":
                bad.add(n)
            yield raw.decode(encoding, "replace" if errors == "strict" else errors)


def _wide_lines(fh: BinaryIO, encoding: str, errors: str, bad: set[int]) -> Iterator[str]:
    """UTF-16/32 lines (rare for JSONL/CSV); a U+FFFD under ``strict`` marks the line bad."""
    for n, line in enumerate(io.TextIOWrapper(fh, encoding, "replace", newline=""), 1):
        if errors == "strict" and "\ufffd" in line:
            bad.add(n)
        yield line


def _jsonl_docs(
    path: str, lines: Iterable[str], bad: set[int], opts: _Options
) -> Iterator[Document]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        base = _row_base(path, n, opts)
        if n in bad:
            yield base.with_error("decode_error", "line is not valid text")
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            yield base.with_error("json_error", f"{err.msg} (column {err.colno})")
            continue
        except RecursionError:
            yield base.with_error("json_error", "nested too deeply")
            continue
        if not isinstance(rec, dict):
            yield base.with_error("json_error", "expected a JSON object")
            continue
        yield _row_doc(base, rec, opts)


def _csv_docs(path: str, lines: Iterable[str], bad: set[int], opts: _Options) -> Iterator[Document]:
    """One document per row; a row the csv module rejects is that row's error only."""
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))  # whole articles fit
    lines = iter(lines)
    header = next(lines, "")
    delimiter = max(",;\t", key=header.count)
    consumed = [0]  # lines handed to the csv module: exact row starts, even after an error
    reader = csv.DictReader(
        _counted(itertools.chain([header], lines), consumed), delimiter=delimiter
    )
    fields = reader.fieldnames or []
    if opts.text_field not in fields:
        found = ", ".join(fields) or "nothing"
        msg = f"no column {opts.text_field!r} in the header (found: {found})"
        yield _base(path, opts.target).with_error("missing_field", msg)
        return
    while True:
        start = consumed[0] + 1
        try:
            rec = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield _row_base(path, start, opts).with_error("csv_error", str(err))
            continue
        base = _row_base(path, start, opts)
        if bad.intersection(range(start, consumed[0] + 1)):
            yield base.with_error("decode_error", "row is not valid text")
        else:
            yield _row_doc(base, rec, opts)


def _counted(lines: Iterable[str], consumed: list[int]) -> Iterator[str]:
    for line in lines:
        consumed[0] += 1
        yield line


def _row_base(path: str, line: int, opts: _Options) -> Document:
    source = f"{path}#row{line}"
    return Document(id=source, text="", source=source, target=opts.target, meta={"row": line})


def _row_doc(base: Document, rec: dict[str, Any], opts: _Options) -> Document:
    """Fill id, target and text from a parsed row; a missing or non-text field is an error.

    JSON escapes can smuggle in lone surrogates ("\\ud800"), which no UTF-8 output can hold:
    they are a ``decode_error`` (or U+FFFD with ``encoding_errors="replace"``).
    """
    broken = _has_surrogates(rec, opts)
    if broken:
        rec = {k: _SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in rec.items()}
    rid = rec.get(opts.id_field)
    target = rec.get("target")
    base = replace(
        base,
        id=str(rid) if rid not in (None, "") else base.id,
        target=target if isinstance(target, str) and target.strip() else base.target,
    )
    if broken and opts.errors == "strict":
        return base.with_error("decode_error", "lone surrogate escape (not valid Unicode)")
    text = rec.get(opts.text_field)
    if text is None:
        return base.with_error("missing_field", f"no {opts.text_field!r} field")
    if not isinstance(text, str):
        return base.with_error("bad_field", f"{opts.text_field!r} is not a string")
    if not text.strip():
        return base.with_error("empty", f"{opts.text_field!r} is empty")
    return replace(base, text=text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogates(rec: dict[str, Any], opts: _Options) -> bool:
    fields = (rec.get(opts.text_field), rec.get(opts.id_field), rec.get("target"))
    return any(isinstance(v, str) and _SURROGATE.search(v) for v in fields)


# --- stdin -----------------------------------------------------------------------------------


def _read_stdin(opts: _Options) -> Iterator[Document]:
    """JSONL when the first non-blank line is a JSON object, else one plain-text document."""
    raw = getattr(sys.stdin, "buffer", None)
    lines: Iterator[bytes] = iter(raw) if raw is not None else (s.encode() for s in sys.stdin)
    head: list[bytes] = []
    for line in lines:
        head.append(line)
        if line.strip():
            break
    if head and _is_json_object(head[-1]):
        bad: set[int] = set()
        decoded = _decoded_lines(itertools.chain(head, lines), "utf-8-sig", opts.errors, bad)
        yield from _jsonl_docs("-", decoded, bad, opts)
        return
    yield _text_doc(_base("-", opts.target), b"".join(itertools.chain(head, lines)), opts.errors)


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.decode("utf-8-sig")), dict)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return False
