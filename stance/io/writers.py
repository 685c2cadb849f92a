"""Output writers: ``open_writer(fmt, out)`` → ``write(doc)`` per document → ``close()``.

Every writer renders a whole document first and then writes it with a single call followed by
a flush, so a crash or a kill between documents never leaves half a record behind (what a
resumed run relies on). New formats register in ``WRITERS`` (the HTML report does).

* ``jsonl`` — one document record (docs/architecture.md) per line; ``doc.meta["hash"]`` is added as
  ``"hash"`` when present, for resuming.
* ``csv`` — one row per sentence (a document without sentences still gets one row, carrying
  its error); a UTF-8 BOM starts new files so that spreadsheet programs read the accents.
* ``brat`` — ``out`` is a directory: ``<id>.txt`` + ``<id>.ann`` per document
  (see ``stance.io.brat``).
* ``conll`` — ``token<TAB>BIO tag`` lines, a blank line after each sentence, a ``# doc_id``
  comment before each document (see ``stance.io.conll``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from pathlib import Path
from types import TracebackType

from stance.doc import Document
from stance.io.brat import write_brat, write_conf
from stance.io.conll import conll_block


class Writer:
    """Base class: subclasses implement ``write``; ``close`` releases what ``__init__`` took."""

    def __init__(self, out: str | None, *, append: bool = False) -> None:
        self.out = out
        self.append = append

    def write(self, doc: Document) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Nothing to release by default."""

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class StreamWriter(Writer):
    """A text stream (file, or stdout for ``None``/``-``) receiving one chunk per document."""

    def __init__(self, out: str | None, *, append: bool = False) -> None:
        super().__init__(out, append=append)
        self._fd: int | None = None
        fresh = True
        if out not in (None, "-"):
            path = Path(out)
            path.parent.mkdir(parents=True, exist_ok=True)
            fresh = not (append and path.exists() and path.stat().st_size > 0)
            flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
            self._fd = os.open(path, flags, 0o644)
        if fresh:
            self._emit(self.preamble(to_file=self._fd is not None))

    def preamble(self, *, to_file: bool) -> str:
        """Text written once at the start of a new output (a CSV header, say)."""
        return ""

    def render(self, doc: Document) -> str:
        raise NotImplementedError

    def write(self, doc: Document) -> None:
        self._emit(self.render(doc))

    def _emit(self, chunk: str) -> None:
        if not chunk:
            return
        if self._fd is None:
            sys.stdout.write(chunk)
            sys.stdout.flush()
            return
        data = memoryview(chunk.encode("utf-8"))
        while data:  # os.write may write less than asked (signals, pipes): finish the chunk
            data = data[os.write(self._fd, data) :]

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class JsonlWriter(StreamWriter):
    def render(self, doc: Document) -> str:
        record = doc.to_dict()
        if "hash" in doc.meta:
            record["hash"] = doc.meta["hash"]
        return json.dumps(record, ensure_ascii=False) + "\n"


CSV_COLUMNS = (
    "doc_id", "source", "target", "index", "start", "end", "text",
    "role", "role_claim", "role_premise", "role_none",
    "stance", "stance_favor", "stance_against", "stance_none",
    "doc_stance", "doc_stance_favor", "doc_stance_against", "doc_stance_none",
    "error",
)  # fmt: skip


class CsvWriter(StreamWriter):
    def preamble(self, *, to_file: bool) -> str:
        return ("\ufeff" if to_file else "") + _csv_lines([list(CSV_COLUMNS)])

    def render(self, doc: Document) -> str:
        return _csv_lines(csv_rows(doc))


def csv_rows(doc: Document) -> list[list[object]]:
    """One row per sentence in ``CSV_COLUMNS`` order; one row for a document without any."""
    error = f"{doc.error.get('type')}: {doc.error.get('message')}" if doc.error else ""
    head: list[object] = [doc.id, doc.source, doc.target or ""]
    tail: list[object] = [*_scored(doc.stance.label if doc.stance else None,
                                   doc.stance.scores if doc.stance else None,
                                   ("favor", "against", "none")), error]  # fmt: skip
    if not doc.sentences:
        return [head + [""] * 12 + tail]
    return [
        head
        + [s.index, s.start, s.end, s.text]
        + _scored(s.role, s.role_scores, ("claim", "premise", "none"))
        + _scored(s.stance, s.stance_scores, ("favor", "against", "none"))
        + tail
        for s in doc.sentences
    ]


def _scored(
    label: str | None, scores: dict[str, float] | None, keys: tuple[str, ...]
) -> list[object]:
    values = [round(scores[k], 4) if scores and k in scores else "" for k in keys]
    return [label or "", *values]


def _csv_lines(rows: list[list[object]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


class ConllWriter(StreamWriter):
    def render(self, doc: Document) -> str:
        return conll_block(doc)


class BratWriter(Writer):
    """One ``.txt``/``.ann`` pair per document in the directory ``out``."""

    def __init__(self, out: str | None, *, append: bool = False) -> None:
        if out in (None, "-"):
            raise ValueError("--format brat writes a directory: give it with -o DIR")
        super().__init__(out, append=append)
        self.directory = Path(str(out))
        self.directory.mkdir(parents=True, exist_ok=True)
        write_conf(self.directory)
        self._used: set[str] = set()

    def write(self, doc: Document) -> None:
        write_brat(doc, self.directory, self._unique(safe_name(doc.id)))

    def _unique(self, name: str) -> str:
        """Two ids may map to the same file name ("a/b" and "a_b"): number the later ones."""
        candidate, n = name, 1
        while candidate in self._used:
            n += 1
            candidate = f"{name}_{n}"
        self._used.add(candidate)
        return candidate


def safe_name(doc_id: str) -> str:
    """A file name for a document id: path separators and odd characters become ``_``."""
    name = re.sub(r"[^\w.-]+", "_", doc_id).strip("._")
    return name[:150] or "doc"


class HtmlReportWriter(Writer):
    """One self-contained page for the whole run (``stance.io.html``); never appended to."""

    def __init__(self, out: str | None, *, append: bool = False) -> None:
        from stance.io.html import HtmlWriter

        super().__init__(out, append=False)
        self._inner = HtmlWriter(sys.stdout if out in (None, "-") else str(out))

    def write(self, doc: Document) -> None:
        self._inner.write(doc)

    def close(self) -> None:
        self._inner.close()


class TableWriter(Writer):
    """A readable terminal table per document (what the README's first command prints)."""

    def write(self, doc: Document) -> None:
        from stance.io.table import print_table

        print_table([doc])


WRITERS: dict[str, type[Writer]] = {
    "jsonl": JsonlWriter,
    "csv": CsvWriter,
    "brat": BratWriter,
    "conll": ConllWriter,
    "html": HtmlReportWriter,
    "table": TableWriter,
}


def open_writer(fmt: str, out: str | None, *, append: bool = False) -> Writer:
    """A writer for ``fmt`` (a key of ``WRITERS``) to ``out`` (``None`` or ``-``: stdout)."""
    try:
        cls = WRITERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown output format {fmt!r}; choose from {', '.join(WRITERS)}"
        ) from None
    return cls(out, append=append)
