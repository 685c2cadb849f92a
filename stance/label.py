"""Batch labeling: stream documents in, one record per document out, resumable.

Records are written whole (one ``write`` + flush per record), so a crash or a kill never leaves
a half record; a re-run with the same output skips documents already written with the same id
and content (a ``hash`` field in each JSONL record) and appends the rest. SIGINT/SIGTERM
finish the record being written, then stop cleanly; the next run resumes.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.doc import Document


@dataclass
class Summary:
    """What a labeling run did, printed at the end and used for the exit code."""

    done: int = 0
    skipped: int = 0
    errors: int = 0
    interrupted: bool = False
    error_ids: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 130 if self.interrupted else (1 if self.errors else 0)


def finished_hashes(out: Path) -> dict[str, str]:
    """id → hash of complete records in an existing JSONL output; a torn last line is cut off."""
    if not out.exists():
        return {}
    done: dict[str, str] = {}
    good_bytes = 0
    with out.open("rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError:
                break
            done[str(rec.get("id"))] = str(rec.get("hash", ""))
            good_bytes += len(raw)
    if good_bytes < out.stat().st_size:
        with out.open("r+b") as fh:
            fh.truncate(good_bytes)
    return done


class _StopFlag:
    """Turns SIGINT/SIGTERM into a flag checked between records."""

    def __init__(self) -> None:
        self.raised = False
        self._old: dict[int, Any] = {}

    def __enter__(self) -> _StopFlag:
        for sig in (signal.SIGINT, signal.SIGTERM):
            # outside the main thread (e.g. inside a server) signals keep their defaults
            with contextlib.suppress(ValueError):
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        self.raised = True

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def label_corpus(
    inputs: Sequence[str],
    *,
    nlp: Any,
    out: str | None,
    fmt: str = "jsonl",
    target: str | None = None,
    text_field: str = "text",
    id_field: str = "id",
    overwrite: bool = False,
    batch_size: int = 16,
    progress: bool | None = None,
) -> Summary:
    """Label every input document with ``nlp`` and write one record each to ``out``."""
    from tqdm import tqdm

    from stance.io.readers import content_hash, read_inputs
    from stance.io.writers import open_writer

    out_path = Path(out) if out and out != "-" else None
    if overwrite and out_path and out_path.exists() and out_path.is_file():
        out_path.unlink()
    done = finished_hashes(out_path) if (out_path and fmt == "jsonl") else {}
    summary = Summary()
    docs = read_inputs(list(inputs), text_field=text_field, id_field=id_field, target=target)
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(docs, unit="doc", disable=not show, desc="labeling")
    with _StopFlag() as stop, open_writer(fmt, out, append=bool(done)) as writer:
        for chunk in _batches(_skip_done(bar, done, summary), batch_size):
            for doc in nlp.process(chunk):
                writer.write(_with_hash(doc, content_hash(doc)) if fmt == "jsonl" else doc)
                summary.done += 1
                if doc.error:
                    summary.errors += 1
                    summary.error_ids.append(doc.id)
            bar.set_postfix(sent=sum(len(d.sentences) for d in chunk))
            if stop.raised:
                summary.interrupted = True
                break
    return summary


def _skip_done(
    docs: Iterable[Document], done: dict[str, str], summary: Summary
) -> Iterator[Document]:
    from stance.io.readers import content_hash

    for doc in docs:
        if done.get(doc.id) == content_hash(doc):
            summary.skipped += 1
            continue
        yield doc


def _with_hash(doc: Document, digest: str) -> Document:
    from dataclasses import replace

    return replace(doc, meta={**doc.meta, "hash": digest})
