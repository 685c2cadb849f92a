"""Batch labeling: stream documents in, one record per document out, resumable.

Records are written whole (one ``write`` per record); a record torn by a hard kill is cut off
by the next run. A re-run with the same JSONL output skips documents already written with the
same id and content (a ``hash`` field in each record), appends the rest, and drops the old
record of a document edited in between. SIGINT/SIGTERM let the current batch finish and be
written, then stop cleanly (exit 130); the next run resumes. See docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.doc import Document
from stance.pipeline.config import DOC_BATCH


@dataclass
class Summary:
    """What a labeling run did, printed at the end and used for the exit code."""

    done: int = 0
    skipped: int = 0
    errors: int = 0
    sentences: int = 0  # labelled in this run (for the sentences/s shown on the progress bar)
    interrupted: bool = False
    error_ids: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 130 if self.interrupted else (1 if self.errors else 0)


Key = tuple[str, str]  # (document id, content hash) of a record


def finished_records(out: Path) -> tuple[Counter[Key], set[Key]]:
    """Complete records in an existing JSONL output: key → count, and the keys of error records.

    A torn last line (a killed run) is cut off, and so is everything from the first damaged
    line on: those documents are simply labelled again. A file whose first line is not a
    record of ours is refused rather than truncated: it may be an input or someone's data.
    """
    done: Counter[Key] = Counter()
    failed: set[Key] = set()
    if not out.is_file():
        return done, failed
    good_bytes = 0
    with out.open("rb") as fh:
        for raw in fh:
            parsed = _parse_record(raw) if raw.endswith(b"\n") else None
            if parsed is None:
                if good_bytes == 0 and raw.endswith(b"\n"):
                    raise ValueError(
                        f"{out} exists and is not `stance label` JSONL output: "
                        "use --overwrite to replace it, or choose another -o"
                    )
                break
            done[parsed[0]] += 1
            if parsed[1]:
                failed.add(parsed[0])
            good_bytes += len(raw)
    if good_bytes < out.stat().st_size:
        with out.open("r+b") as fh:
            fh.truncate(good_bytes)
    return done, failed


def _parse_record(raw: bytes) -> tuple[Key, bool] | None:
    """(key, has an error) of one output line, or None when it is not one of our records."""
    try:
        rec = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(rec, dict) or not isinstance(rec.get("hash"), str) or "id" not in rec:
        return None
    return (str(rec["id"]), rec["hash"]), bool(rec.get("error"))


def drop_stale(out: Path, stale: Counter[Key], total: Counter[Key]) -> None:
    """Rewrite ``out`` without the last ``stale[key]`` of its ``total[key]`` records per key.

    Stale records are those of documents edited since they were labelled: their new record
    was appended, so keeping the old one would leave two records for one document. The new
    file replaces the old one atomically: a kill here loses nothing.
    """
    if not stale:
        return
    keep = {key: total[key] - n for key, n in stale.items()}
    tmp = out.with_name(out.name + ".tmp")
    with out.open("rb") as src, tmp.open("wb") as dst:
        for raw in src:
            parsed = _parse_record(raw)
            key = parsed[0] if parsed else None
            if key in keep:
                if keep[key] <= 0:
                    continue
                keep[key] -= 1
            dst.write(raw)
    os.replace(tmp, out)


class _Resume:
    """Records already in the output: the same (id, content) is skipped once per record.

    A skipped error record still counts as an error, so a re-run exits 1 like the first run.
    """

    def __init__(self, done: Counter[Key], failed: set[Key]) -> None:
        self.done, self.failed = done, failed
        self.total = Counter(done)
        self._ids = {doc_id for doc_id, _ in done}
        self.seen: set[str] = set()  # ids of this run's inputs that already had records

    def skip(self, docs: Iterable[Document], summary: Summary) -> Iterator[Document]:
        from stance.io.readers import content_hash

        for doc in docs:
            key = (doc.id, content_hash(doc))
            if doc.id in self._ids:
                self.seen.add(doc.id)
            if self.done[key] <= 0:
                yield doc
                continue
            self.done[key] -= 1
            summary.skipped += 1
            if key in self.failed:
                summary.errors += 1
                summary.error_ids.append(doc.id)

    def stale(self) -> Counter[Key]:
        """Records left unmatched although their id is among the inputs: edited documents."""
        return Counter({k: n for k, n in self.done.items() if n > 0 and k[0] in self.seen})


def missing_inputs(inputs: Sequence[str]) -> list[str]:
    """Input paths that do not exist (``-`` is stdin): checked before any model loads."""
    return [item for item in inputs if item != "-" and not os.path.lexists(item)]


def check_output(inputs: Sequence[str], out: Path | None) -> None:
    """Refuse an output that is an input, or inside an input directory (not hidden there).

    It would be read back as input: a JSONL input would get records appended to it, and a
    re-run over the directory would label the previous run's records.
    """
    if out is None:
        return
    dest = out.resolve()
    for item in inputs:
        if item == "-" or not os.path.exists(item):
            continue
        src = Path(item).resolve()
        inside = src.is_dir() and dest.is_relative_to(src)
        if inside and any(p.startswith(".") for p in dest.relative_to(src).parts):
            continue  # hidden entries are never read from a directory
        if dest == src or inside:
            raise ValueError(f"-o {out} would be read back as input ({item}): write it elsewhere")


class _StopFlag:
    """Turns SIGINT/SIGTERM into a flag checked between batches (SIGKILL stays safe: see above)."""

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
    batch_size: int = DOC_BATCH,
    progress: bool | None = None,
) -> Summary:
    """Label every input document with ``nlp`` and write one record each to ``out``.

    With ``overwrite`` (or another format than JSONL) the output is truncated when the writer
    opens it, so a bad ``fmt`` never deletes a previous output.
    """
    from tqdm import tqdm

    from stance.io.readers import content_hash, read_inputs
    from stance.io.writers import open_writer

    out_path = Path(out) if out and out != "-" else None
    check_output(inputs, out_path)
    resumable = out_path is not None and fmt == "jsonl" and not overwrite
    resume = _Resume(*finished_records(out_path) if resumable and out_path else (Counter(), set()))
    summary = Summary()
    docs = read_inputs(list(inputs), text_field=text_field, id_field=id_field, target=target)
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(docs, unit="doc", disable=not show, desc="labeling")
    with _StopFlag() as stop:
        with open_writer(fmt, out, append=bool(resume.done)) as writer:
            for chunk in _batches(resume.skip(bar, summary), max(1, batch_size)):
                for doc in nlp.process(chunk):
                    writer.write(_with_hash(doc, content_hash(doc)) if fmt == "jsonl" else doc)
                    summary.done += 1
                    summary.sentences += len(doc.sentences)
                    if doc.error:
                        summary.errors += 1
                        summary.error_ids.append(doc.id)
                elapsed = bar.format_dict.get("elapsed") or 0.0
                bar.set_postfix(sent_per_s=f"{summary.sentences / max(elapsed, 1e-9):.1f}")
                if stop.raised:
                    summary.interrupted = True
                    break
        if out_path and resumable and not summary.interrupted:
            drop_stale(out_path, resume.stale(), resume.total)
    return summary


def _with_hash(doc: Document, digest: str) -> Document:
    from dataclasses import replace

    return replace(doc, meta={**doc.meta, "hash": digest})


def segment_corpus(
    inputs: Sequence[str], out: str | None, *, text_field: str = "text", id_field: str = "id"
) -> int:
    """``stance segment``: one JSON line per sentence (``doc_id``, ``index``, ``start``,
    ``end``, ``text``) to ``out`` (stdout for ``None`` or ``-``); returns the documents that
    could not be read, each named on stderr."""
    from stance.io.readers import read_inputs
    from stance.segment import split_sentences

    check_output(inputs, Path(out) if out and out != "-" else None)  # never truncate an input
    errors = 0
    stream = open(out, "w", encoding="utf-8") if out and out != "-" else sys.stdout  # noqa: SIM115
    try:
        for doc in read_inputs(inputs, text_field=text_field, id_field=id_field):
            if doc.error:
                errors += 1
                print(f"error: {doc.source}: {doc.error['message']}", file=sys.stderr)
                continue
            for s in split_sentences(doc.text):
                row = {"doc_id": doc.id, "index": s.index, "start": s.start, "end": s.end}
                stream.write(json.dumps({**row, "text": s.text}, ensure_ascii=False) + "\n")
    finally:
        if stream is not sys.stdout:
            stream.close()
    return errors
