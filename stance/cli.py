"""The ``stance`` command: thin typer wrappers over importable functions.

Every command turns expected failures (bad input, missing model, bad config) into a one-line
message and exit status 2, never a traceback; ``stance label`` exits 1 when some documents
carry an error record.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from stance.pipeline.config import DOC_BATCH

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Argument mining and stance classification for French (see README.md).",
)
export_app = typer.Typer(no_args_is_help=True, help="Export models to standard formats.")
data_app = typer.Typer(no_args_is_help=True, help="Prepare the research data sets.")
app.add_typer(export_app, name="export")
app.add_typer(data_app, name="data")

ModelOpt = Annotated[
    str | None, typer.Option("--model", "-m", help="Pipeline dir or task checkpoint")
]
TargetOpt = Annotated[str | None, typer.Option("--target", "-t", help="What the stance is toward")]
ThreadsOpt = Annotated[
    int | None, typer.Option(help="CPU threads per model copy (default: physical cores)")
]
QuantizeOpt = Annotated[str | None, typer.Option(help="int8: dynamic int8 weights (faster)")]


def _friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Expected errors become one line on stderr and exit 2 (usage/model/config problems)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from stance.model.part import ModelError

        try:
            return fn(*args, **kwargs)
        except (
            ModelError,
            ValueError,
            FileNotFoundError,
            NotADirectoryError,
            PermissionError,
        ) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None

    return wrapper


@contextlib.contextmanager
def _writing(out: str | None) -> Iterator[None]:
    """An output that cannot be written (a directory, a full or read-only disk): exit 2."""
    try:
        yield
    except BrokenPipeError:  # `stance ... | head`: click exits quietly
        raise
    except OSError as exc:
        typer.echo(f"error: {exc.filename or out}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
@_friendly
def segment(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories or - for stdin")],
    out: Annotated[str | None, typer.Option("-o", "--out")] = None,
    text_field: str = "text",
    id_field: str = "id",
) -> None:
    """Split documents into sentences: one JSON line per sentence with exact offsets."""
    from stance.batch.label import check_output
    from stance.io.readers import read_inputs
    from stance.segment import split_sentences

    check_output(inputs, Path(out) if out and out != "-" else None)  # never truncate an input
    errors = 0
    with _writing(out):
        stream = open(out, "w", encoding="utf-8") if out and out != "-" else sys.stdout  # noqa: SIM115
        try:
            for doc in read_inputs(inputs, text_field=text_field, id_field=id_field):
                if doc.error:
                    errors += 1
                    typer.echo(f"error: {doc.source}: {doc.error['message']}", err=True)
                    continue
                for s in split_sentences(doc.text):
                    row = {
                        "doc_id": doc.id,
                        "index": s.index,
                        "start": s.start,
                        "end": s.end,
                        "text": s.text,
                    }
                    stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        finally:
            if stream is not sys.stdout:
                stream.close()
    raise typer.Exit(1 if errors else 0)


@app.command()
@_friendly
def label(
    inputs: Annotated[
        list[str], typer.Argument(help="Files (.txt .md .html .jsonl .csv), dirs, or -")
    ],
    target: TargetOpt = None,
    model: ModelOpt = None,
    out: Annotated[
        str | None, typer.Option("-o", "--out", help="Output file (dir for brat)")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl|csv|brat|conll|html")] = "jsonl",
    text_field: str = "text",
    id_field: str = "id",
    overwrite: Annotated[bool, typer.Option(help="Start afresh instead of resuming")] = False,
    batch_size: Annotated[int, typer.Option(help="Documents per model call")] = DOC_BATCH,
    threads: ThreadsOpt = None,
    backend: Annotated[str, typer.Option(help="torch | onnx (ONNX Runtime)")] = "torch",
    quantize: QuantizeOpt = None,
    engine: Annotated[str, typer.Option(help="local | ray (Ray Data actor pool)")] = "local",
    actors: Annotated[int, typer.Option(help="Ray: model copies running at once")] = 1,
) -> None:
    """Label documents: one record per input document, resumable with the same -o."""
    from stance.batch.engines import open_engine
    from stance.batch.label import label_corpus

    runner = open_engine(
        engine,
        model,
        backend=backend,
        quantize=quantize,
        threads=threads,
        actors=actors,
        batch_size=batch_size,
    )
    with _writing(out), runner as (nlp, chunk):
        summary = label_corpus(
            inputs,
            nlp=nlp,
            out=out,
            fmt=fmt,
            target=target,
            text_field=text_field,
            id_field=id_field,
            overwrite=overwrite,
            batch_size=chunk,
        )
    typer.echo(
        f"done {summary.done} · skipped {summary.skipped} (already in output)"
        f" · errors {summary.errors}"
        + (" · interrupted: re-run the same command to resume" if summary.interrupted else ""),
        err=True,
    )
    raise typer.Exit(summary.exit_code)


@app.command()
@_friendly
def predict(
    text: Annotated[str, typer.Argument(help="French text to analyse")],
    target: TargetOpt = None,
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the document record")] = False,
    threads: ThreadsOpt = None,
) -> None:
    """Analyse one text and print a readable table (or the JSON record)."""
    from stance.io.table import print_table
    from stance.model.backends import set_threads
    from stance.pipeline.pipeline import load

    set_threads(threads)
    doc = load(model)(text, target=target)
    if as_json:
        typer.echo(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_table([doc])


@app.command()
@_friendly
def train(
    task: Annotated[str, typer.Option(help="component | span | stance")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output checkpoint directory")],
    config: Annotated[Path | None, typer.Option(help="TOML config file")] = None,
    base: Annotated[
        str | None, typer.Option(help="Encoder: hub name, dir, or e5-small-offline")
    ] = None,
    data: Annotated[
        list[str] | None, typer.Option(help="FORMAT:PATH training data (repeatable)")
    ] = None,
    dev_data: Annotated[
        list[str] | None, typer.Option(help="FORMAT:PATH dev data (repeatable)")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override: key=value (repeatable)")
    ] = None,
    resume: Annotated[bool, typer.Option(help="Continue from the last checkpoint in OUT")] = False,
) -> None:
    """Fine-tune a task model; the output opens with transformers.AutoModelFor*.from_pretrained."""
    from stance.training.config import load_config, parse_overrides
    from stance.training.trainer import train as run_training

    overrides = parse_overrides(set_ or [])
    overrides.update(
        {"task": task, "base": base, "data": data or None, "dev_data": dev_data or None}
    )
    summary = run_training(load_config(config, overrides), out, resume=resume)
    typer.echo(json.dumps(summary, indent=2))


@app.command()
@_friendly
def evaluate(
    task: Annotated[str, typer.Option(help="component | span | stance")] = "component",
    data: Annotated[Path | None, typer.Option(help="Gold data file")] = None,
    data_format: Annotated[
        str, typer.Option(help="pe-fr-bio|pe-fr-sentences|xstance|efra|fewshot|abstrct|jsonl")
    ] = "jsonl",
    out: Annotated[Path, typer.Option("-o", "--out", help="Report directory")] = Path("report"),
    model: ModelOpt = None,
    split: Annotated[
        str | None, typer.Option(help="Split to keep: train|dev (X-Stance also: comments)")
    ] = None,
    baselines: Annotated[bool, typer.Option(help="Train majority + TF-IDF baselines")] = True,
    compare: Annotated[list[Path] | None, typer.Option(help="Diff these report.json files")] = None,
    encoding_errors: Annotated[
        str, typer.Option(help="auto (replace bad bytes, with a warning) | strict | replace")
    ] = "auto",
) -> None:
    """Score a model on gold data: report.json, report.md and plots in OUT."""
    if compare:
        from stance.evaluate.report import compare_reports

        typer.echo(compare_reports(list(compare)))
        return
    if data is None:
        raise ValueError("--data is required (or --compare)")
    from stance.evaluate.run import evaluate_model

    report = evaluate_model(
        model,
        task,
        data,
        data_format,
        out,
        split=split,
        baselines=baselines,
        encoding_errors=encoding_errors,
    )
    typer.echo(
        f"{task} on {data.name}: macro-F1 {report['macro_f1']:.3f} (n={report['n']})"
        f" → {out}/report.md"
    )


@export_app.command("hf")
@_friendly
def export_hf(
    task: Annotated[str, typer.Option(help="component | span | stance")],
    out: Annotated[Path, typer.Option("-o", "--out")],
    model: ModelOpt = None,
) -> None:
    """Write one task as a standalone transformers directory (AutoModelFor*/pipeline open it)."""
    from stance.pipeline.export import export_hf as run_export

    typer.echo(str(run_export(model, task, out)))


@export_app.command("onnx")
@_friendly
def export_onnx(
    out: Annotated[Path, typer.Option("-o", "--out")],
    task: Annotated[
        str | None, typer.Option(help="component | span | stance (default: all + pipeline.json)")
    ] = None,
    model: ModelOpt = None,
    quantize: QuantizeOpt = None,
) -> None:
    """ONNX models (dynamic batch/length); `stance label --model OUT` runs them on ONNX Runtime."""
    from stance.pipeline.export import export_onnx as run_export

    typer.echo(str(run_export(model, out, task=task, quantize=quantize)))


@data_app.command("prepare")
@_friendly
def data_prepare(out: Annotated[Path, typer.Option("-o", "--out")] = Path("data/prepared")) -> None:
    """Convert every research set in $STANCE_DATA_DIR to the project's JSONL schema."""
    from stance.training.data.registry import prepare

    for name, count in prepare(out).items():
        typer.echo(f"{name}\t{count}")


@app.command()
@_friendly
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    model: ModelOpt = None,
) -> None:
    """HTTP API (POST /predict, /label; GET /health) and a web page at /."""
    from stance.serve.app import serve as run_server

    run_server(host=host, port=port, model=model)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
