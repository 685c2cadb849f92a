"""`stance label` as users run it: resume after a kill, clean stop on signals, exit codes.

The CLI runs in a subprocess (real signals, real exit codes, real stderr); the reference
output comes from ``label_corpus`` in-process with the same tiny pipeline and batch size.
Resume bookkeeping (duplicates, edits, foreign files) is checked in-process with a stub model.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from stance.batch.label import label_corpus
from stance.cli import app
from stance.doc import Document, Sentence
from tests.tiny import CORPUS

TARGET = "Taxer le kérosène"
N_DOCS = 30
FAST = ("--threads", "1")  # the tiny model gains nothing from more; a busy machine loses a lot
SUMMARY = re.compile(r"done (\d+) · skipped (\d+)(?: \(already in output\))? · errors (\d+)")


# --- running the CLI -------------------------------------------------------------------------


@dataclass
class Run:
    """A finished ``stance`` process."""

    code: int
    stdout: str
    stderr: str

    def summary(self) -> tuple[int, int, int]:
        """(done, skipped, errors) from the summary line, which every label run must print."""
        match = SUMMARY.search(self.stderr)
        assert match, f"no summary line in stderr:\n{self.stderr[-3000:]}"
        done, skipped, errors = (int(g) for g in match.groups())
        return done, skipped, errors

    def assert_no_traceback(self) -> None:
        assert "Traceback" not in self.stdout + self.stderr, self.stderr[-3000:]


def stance_cmd(*args: object) -> list[str]:
    """The ``stance`` entry point with this interpreter (same venv as the tests)."""
    return [sys.executable, "-c", "from stance.cli import main; main()", *map(str, args)]


def cli_env() -> dict[str, str]:
    repo = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (repo, os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "TOKENIZERS_PARALLELISM": "false"}


def run_cli(*args: object, cwd: Path, timeout: float = 300) -> Run:
    proc = subprocess.run(
        stance_cmd(*args), cwd=cwd, env=cli_env(), capture_output=True, text=True, timeout=timeout
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def start_cli(*args: object, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        stance_cmd(*args),
        cwd=cwd,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_lines(out: Path, n: int, proc: subprocess.Popen[str], timeout: float = 180) -> int:
    """Block until ``out`` holds at least ``n`` complete lines; the count seen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = out.read_bytes().count(b"\n") if out.exists() else 0
        if seen >= n:
            return seen
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"the run ended before writing {n} records:\n{err[-3000:]}")
        time.sleep(0.02)
    proc.kill()
    pytest.fail(f"no {n} records after {timeout} s")


def read_records(path: Path) -> list[dict[str, Any]]:
    """Records of a JSONL output; it must end with a complete line (no partial record)."""
    data = path.read_bytes()
    assert data == b"" or data.endswith(b"\n"), "partial last line"
    return [json.loads(line) for line in data.splitlines()]


# --- comparing outputs -----------------------------------------------------------------------

SCORED = {"role": "role_scores", "stance": "stance_scores"}


def _near_tie(scores: dict[str, float] | None) -> bool:
    """Top two scores within rounding noise: the label may differ between two processes."""
    top = sorted((scores or {}).values(), reverse=True)
    return len(top) > 1 and top[0] - top[1] <= 2e-4


def assert_same_record(got: dict[str, Any], want: dict[str, Any]) -> None:
    """Equal records, scores up to float noise (4-decimal rounding of nearly equal floats)."""
    assert set(got) == set(want), got["id"]
    assert len(got["sentences"]) == len(want["sentences"]), got["id"]
    for a, b in zip(got["sentences"], want["sentences"], strict=True):
        for key in a:
            if key in SCORED.values() and a[key] is not None:
                assert a[key] == pytest.approx(b[key], abs=2e-4), got["id"]
            elif key in SCORED and a[key] != b[key]:
                assert _near_tie(b[SCORED[key]]), (got["id"], key, a[key], b[key])
            elif key not in SCORED:
                assert a[key] == b[key], (got["id"], key)
    for key in set(got) - {"sentences", "stance"}:
        assert got[key] == want[key], (got["id"], key)
    if want["stance"] is not None:
        assert got["stance"]["scores"] == pytest.approx(want["stance"]["scores"], abs=2e-4)
        assert got["stance"]["label"] == want["stance"]["label"] or _near_tie(
            want["stance"]["scores"]
        )


def assert_same_output(out: Path, reference: list[dict[str, Any]]) -> None:
    records = read_records(out)
    assert [r["id"] for r in records] == [r["id"] for r in reference]  # once each, in order
    for got, want in zip(records, reference, strict=True):
        assert_same_record(got, want)


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 short French documents, d01.txt … d30.txt."""
    root = tmp_path_factory.mktemp("corpus") / "docs"
    root.mkdir()
    for n in range(N_DOCS):
        text = f"Texte {n + 1}. {CORPUS[n % len(CORPUS)]} {CORPUS[(n * 5 + 1) % len(CORPUS)]}"
        (root / f"d{n + 1:02d}.txt").write_text(text + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def reference(
    tiny_pipeline: Path, corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[dict[str, Any]]:
    """The records of an uninterrupted run (same batch size as the CLI runs)."""
    import torch

    import stance

    out = tmp_path_factory.mktemp("reference") / "out.jsonl"
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as the CLI runs (FAST), and much faster on a busy machine
    try:
        summary = label_corpus(
            [str(corpus)],
            nlp=stance.load(tiny_pipeline),
            out=str(out),
            target=TARGET,
            batch_size=1,
            progress=False,
        )
    finally:
        torch.set_num_threads(threads)
    assert (summary.done, summary.skipped, summary.errors) == (N_DOCS, 0, 0)
    return read_records(out)


def label_args(corpus: Path, out: Path, model: Path, *extra: object) -> list[object]:
    return ["label", corpus, "-o", out, "--model", model, "--target", TARGET, *FAST, *extra]


# --- resume, signals, overwrite --------------------------------------------------------------


@pytest.mark.parametrize("torn", [False, True], ids=["sigkill", "sigkill-torn-line"])
def test_resume_after_a_killed_run(
    tiny_pipeline: Path,
    corpus: Path,
    reference: list[dict[str, Any]],
    tmp_path: Path,
    torn: bool,
) -> None:
    out = tmp_path / "out.jsonl"
    args = label_args(corpus, out, tiny_pipeline, "--batch-size", 1)
    proc = start_cli(*args, cwd=tmp_path)
    wait_for_lines(out, 3, proc)
    proc.kill()
    proc.communicate()
    data = out.read_bytes()
    if torn:  # a write cut in the middle of a record, as a full disk or a crash could leave
        last = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
        data = data[: len(data) - len(last) // 2 - 1]
        out.write_bytes(data)
    complete = data.count(b"\n")
    assert 2 <= complete < N_DOCS, "the kill did not land mid-way"

    run = run_cli(*args, cwd=tmp_path)
    run.assert_no_traceback()
    assert run.code == 0, run.stderr[-3000:]
    assert run.summary() == (N_DOCS - complete, complete, 0)
    assert_same_output(out, reference)


@pytest.mark.parametrize(
    ("sig", "rerun"),
    [(signal.SIGTERM, "resume"), (signal.SIGINT, "--overwrite")],
    ids=["sigterm-then-resume", "sigint-then-overwrite"],
)
def test_signal_stops_after_the_batch_and_a_rerun_completes(
    tiny_pipeline: Path,
    corpus: Path,
    reference: list[dict[str, Any]],
    tmp_path: Path,
    sig: signal.Signals,
    rerun: str,
) -> None:
    out = tmp_path / "out.jsonl"
    args = label_args(corpus, out, tiny_pipeline, "--batch-size", 1)
    proc = start_cli(*args, cwd=tmp_path)
    seen = wait_for_lines(out, 2, proc)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=120)
    stopped = Run(proc.returncode, stdout, stderr)
    stopped.assert_no_traceback()
    assert stopped.code == 130, stderr[-3000:]
    assert "interrupted" in stderr
    written = len(read_records(out))  # every line complete
    assert stopped.summary() == (written, 0, 0)
    assert seen <= written <= seen + 2 < N_DOCS  # batch size 1: stops within a record or two
    assert_same_output(out, reference[:written])

    extra = [] if rerun == "resume" else [rerun]
    run = run_cli(*args, *extra, cwd=tmp_path)
    run.assert_no_traceback()
    assert run.code == 0, run.stderr[-3000:]
    skipped = written if rerun == "resume" else 0  # --overwrite starts afresh
    assert run.summary() == (N_DOCS - skipped, skipped, 0)
    assert_same_output(out, reference)


# --- bad inputs and usage errors -------------------------------------------------------------


def test_mixed_good_and_bad_inputs_one_record_each_exit_1(
    tiny_pipeline: Path, tmp_path: Path
) -> None:
    (tmp_path / "good.txt").write_text("Il faut agir. Le climat change.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    (tmp_path / "rows.jsonl").write_text('{"id": "r1", "text": "Bonjour."}\n{"id": "r2", "te\n')
    (tmp_path / "wrong.csv").write_text("id,contenu\n1,salut\n", encoding="utf-8")
    names = ["good.txt", "empty.txt", "photo.jpg", "rows.jsonl", "wrong.csv", "gone.txt"]
    args = ["label", *names, "-o", "out.jsonl", "--model", tiny_pipeline, *FAST]
    run = run_cli(*args, cwd=tmp_path)
    run.assert_no_traceback()
    assert run.code == 1
    assert run.summary() == (7, 0, 5)
    records = read_records(tmp_path / "out.jsonl")
    got = [(r["id"], r["error"]["type"] if r["error"] else None) for r in records]
    assert got == [
        ("good.txt", None),
        ("empty.txt", "empty"),
        ("photo.jpg", "binary"),
        ("r1", None),
        ("rows.jsonl#row2", "json_error"),
        ("wrong.csv", "missing_field"),
        ("gone.txt", "not_found"),  # a path that does not exist is bad input, not a usage error
    ]
    for rec in records:
        if rec["error"]:
            assert set(rec["error"]) == {"type", "message"} and rec["error"]["message"]
            assert rec["sentences"] == [] and rec["stance"] is None
        else:
            assert rec["sentences"]

    again = run_cli(*args, cwd=tmp_path)  # nothing left to do, but the errors are still there
    assert (again.code, again.summary()) == (1, (0, 7, 5))
    assert read_records(tmp_path / "out.jsonl") == records


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["label", "a.txt", "--format", "nope", "-o", "out.jsonl"], "unknown output format"),
        (["label"], "Missing argument"),
        (["label", "a.txt", "--model", "no/such/dir"], "no/such/dir"),
        (["label", "a.txt", "-o", "a.txt"], "read back as input"),
        (["label", ".", "-o", "out.jsonl"], "read back as input"),
        (["label", "a.txt", "-o", "notes.jsonl"], "not `stance label` JSONL output"),
        (["label", "a.txt", "-o", "sub"], "Is a directory"),
        (["segment", "a.txt", "-o", "a.txt"], "read back as input"),
        (["segment", "a.txt", "-o", "sub"], "Is a directory"),
    ],
    ids=[
        "unknown-format",
        "no-input",
        "missing-model",
        "out-is-input",
        "out-in-input",
        "foreign",
        "out-is-a-dir",
        "segment-out-is-input",
        "segment-out-is-a-dir",
    ],
)
def test_usage_errors_exit_2_without_traceback(
    tiny_pipeline: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    (tmp_path / "a.txt").write_text("Il faut agir.\n", encoding="utf-8")
    (tmp_path / "out.jsonl").write_text("précieux\n", encoding="utf-8")
    (tmp_path / "notes.jsonl").write_text('{"id": "x", "text": "mes notes"}\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)  # in-process (a subprocess per case is slow); real runs: above
    needs_model = args[0] == "label" and "--model" not in args and len(args) > 1
    model = ["--model", str(tiny_pipeline)] if needs_model else []
    result = CliRunner().invoke(app, [*args, *model])
    assert not isinstance(result.exception, Exception), result.exception  # only SystemExit
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    # nothing was truncated or deleted on the way out
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "précieux\n"
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "Il faut agir.\n"
    assert "mes notes" in (tmp_path / "notes.jsonl").read_text(encoding="utf-8")


# --- resume bookkeeping, in-process with a stub model ----------------------------------------


class StubNlp:
    """Stands in for a pipeline: one sentence per document, and counts what it was given."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def process(self, docs: list[Document]) -> list[Document]:
        self.seen += [d.id for d in docs]
        return [
            d if d.error else replace(d, sentences=(Sentence(0, 0, len(d.text), d.text),))
            for d in docs
        ]


def label(inputs: list[Path], out: Path, **kwargs: Any) -> tuple[StubNlp, Any]:
    nlp = StubNlp()
    summary = label_corpus([str(p) for p in inputs], nlp=nlp, out=str(out), **kwargs)
    return nlp, summary


def texts(out: Path) -> list[tuple[str, str]]:
    return [(r["id"], r["sentences"][0]["text"]) for r in read_records(out)]


def test_duplicate_ids_do_not_grow_the_output_on_reruns(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"id": "a", "text": "Un."}\n{"id": "a", "text": "Deux."}\n{"id": "a", "text": "Un."}\n'
    )
    out = tmp_path / "out.jsonl"
    label([rows], out)
    first = texts(out)
    assert first == [("a", "Un."), ("a", "Deux."), ("a", "Un.")]
    nlp, summary = label([rows], out)
    assert (nlp.seen, summary.skipped, texts(out)) == ([], 3, first)


def make_docs(tmp_path: Path, names: str, template: str) -> Path:
    """A folder with one small .txt file per name, its text from ``template``."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in names:
        (docs / f"{name}.txt").write_text(template.format(name))
    return docs


def test_an_edited_document_is_relabelled_and_its_old_record_dropped(tmp_path: Path) -> None:
    docs = make_docs(tmp_path, "abc", "Texte {}.")
    out = tmp_path / "out.jsonl"
    label([docs], out)
    (docs / "b.txt").write_text("Texte b, modifié.")
    nlp, summary = label([docs], out)
    assert nlp.seen == [str(docs / "b.txt")] and summary.skipped == 2
    assert texts(out) == [
        (str(docs / "a.txt"), "Texte a."),
        (str(docs / "c.txt"), "Texte c."),
        (str(docs / "b.txt"), "Texte b, modifié."),  # one record each; the edited one last
    ]
    assert not out.with_name("out.jsonl.tmp").exists()


def test_records_of_other_inputs_are_kept(tmp_path: Path) -> None:
    """Labelling files one by one into the same output accumulates their records."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("A.")
    b.write_text("B.")
    out = tmp_path / "out.jsonl"
    label([a], out)
    label([b], out)
    assert texts(out) == [(str(a), "A."), (str(b), "B.")]


def test_unknown_format_deletes_nothing_even_with_overwrite(tmp_path: Path) -> None:
    a, out = tmp_path / "a.txt", tmp_path / "out.jsonl"
    a.write_text("A.")
    label([a], out)
    before = out.read_bytes()
    with pytest.raises(ValueError, match="unknown output format"):
        label([a], out, fmt="nope", overwrite=True)
    assert out.read_bytes() == before


def test_damaged_middle_line_relabels_from_there(tmp_path: Path) -> None:
    docs = make_docs(tmp_path, "abcd", "{}.")
    out = tmp_path / "out.jsonl"
    label([docs], out)
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(lines[0] + b"garbage\n" + b"".join(lines[2:]))
    nlp, summary = label([docs], out)
    assert summary.skipped == 1 and len(nlp.seen) == 3
    assert [i for i, _ in texts(out)] == [str(docs / f"{n}.txt") for n in "abcd"]


def test_hidden_output_inside_the_input_directory_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A.")
    out = tmp_path / ".stance" / "out.jsonl"
    label([tmp_path], out)
    nlp, summary = label([tmp_path], out)  # the output is not read back as input
    assert (nlp.seen, summary.skipped) == ([], 1)


def test_progress_bar_shows_documents_and_sentences_per_second(
    tiny_pipeline: Path, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import stance

    summary = label_corpus(
        [str(corpus)],
        nlp=stance.load(tiny_pipeline),
        out=str(tmp_path / "out.jsonl"),
        target=TARGET,
        batch_size=8,
        progress=True,
    )
    bar = capsys.readouterr().err
    assert "doc/s" in bar or "s/doc" in bar, bar[-500:]
    rates = [float(x) for x in re.findall(r"sent_per_s=([0-9.]+)", bar)]
    assert rates and rates[-1] > 0, bar[-500:]
    assert summary.sentences == sum(
        len(r["sentences"]) for r in read_records(tmp_path / "out.jsonl")
    )
