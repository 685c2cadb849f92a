"""The ``stance`` command: thin typer wrappers over importable functions.

Every command turns expected failures (bad input, missing model, bad config) into a one-line
message and exit status 2, never a traceback; ``stance label`` exits 1 when some documents
carry an error record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from stance.cli_support import (
    TASK_HELP,
    TRAIN_TASK_HELP,
    check_inputs,
    check_model,
    check_target,
    exit_now,
    friendly,
    run_app,
    task_name,
    train_task_name,
    writing,
)
from stance.pipeline.config import DOC_BATCH
from stance.training.config import train_keys

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Argument mining and stance classification for French (see README.md).",
)
export_app = typer.Typer(no_args_is_help=True, help="Export models to standard formats.")
data_app = typer.Typer(no_args_is_help=True, help="Prepare and count the research data sets.")
config_app = typer.Typer(no_args_is_help=True, help="Training configuration keys.")
app.add_typer(export_app, name="export")
app.add_typer(data_app, name="data")
app.add_typer(config_app, name="config")

ModelOpt = Annotated[
    str | None, typer.Option("--model", "-m", help="Pipeline dir or task checkpoint")
]
TargetOpt = Annotated[str | None, typer.Option("--target", "-t", help="What the stance is toward")]
ThreadsOpt = Annotated[
    int | None, typer.Option(help="CPU threads per model copy (default: physical cores)")
]
QuantizeOpt = Annotated[
    str, typer.Option(help="auto (as pipeline.json says: int8 for the default) | int8 | none")
]
BackendOpt = Annotated[
    str, typer.Option(help="torch | fp32 (torch, never int8) | onnx (ONNX Runtime)")
]


@app.command()
@friendly
def segment(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories or - for stdin")],
    out: Annotated[str | None, typer.Option("-o", "--out")] = None,
    text_field: str = "text",
    id_field: str = "id",
) -> None:
    """Split documents into sentences: one JSON line per sentence with exact offsets."""
    check_inputs(inputs)
    from stance.batch.label import segment_corpus

    with writing(out):
        errors = segment_corpus(inputs, out, text_field=text_field, id_field=id_field)
    raise typer.Exit(1 if errors else 0)


@app.command()
@friendly
def label(
    inputs: Annotated[
        list[str], typer.Argument(help="Files (.txt .md .html .jsonl .csv), dirs, or -")
    ],
    target: TargetOpt = None,
    model: ModelOpt = None,
    out: Annotated[
        str | None, typer.Option("-o", "--out", help="Output file (dir for brat)")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl|csv|brat|conll|html|table")
    ] = "jsonl",
    text_field: str = "text",
    id_field: str = "id",
    overwrite: Annotated[bool, typer.Option(help="Start afresh instead of resuming")] = False,
    batch_size: Annotated[int, typer.Option(help="Documents per model call")] = DOC_BATCH,
    threads: ThreadsOpt = None,
    backend: BackendOpt = "torch",
    quantize: QuantizeOpt = "auto",
    engine: Annotated[str, typer.Option(help="local | ray (Ray Data actor pool)")] = "local",
    actors: Annotated[int, typer.Option(help="Ray: model copies running at once")] = 1,
) -> None:
    """Label documents: one record per input document, resumable with the same -o."""
    check_target(target)
    check_model(model)
    check_inputs(inputs)  # before any model work: torch alone takes seconds to import
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
    with writing(out), runner as (nlp, chunk):
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
@friendly
def predict(
    text: Annotated[str, typer.Argument(help="French text to analyse")],
    target: TargetOpt = None,
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the document record")] = False,
    threads: ThreadsOpt = None,
) -> None:
    """Analyse one text and print a readable table (or the JSON record)."""
    if not text.strip():
        raise ValueError("empty text: give the text to analyse as the argument")
    check_target(target)
    check_model(model)
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
@friendly
def train(
    task: Annotated[str, typer.Option(help=TRAIN_TASK_HELP, callback=train_task_name)],
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
        list[str] | None,
        typer.Option(
            "--set",
            help="Override: key=value, value in TOML (repeatable). Keys: "
            + ", ".join(train_keys())
            + ". `stance config show` gives their types, defaults and meanings.",
        ),
    ] = None,
    resume: Annotated[bool, typer.Option(help="Continue from the last checkpoint in OUT")] = False,
) -> None:
    """Fine-tune a task model; the output opens with transformers.AutoModelFor*.from_pretrained."""
    from stance.training.config import load_config, parse_overrides

    overrides = parse_overrides(set_ or [])
    overrides.update(
        {"task": task, "base": base, "data": data or None, "dev_data": dev_data or None}
    )
    recipe = load_config(config, overrides)  # a bad key fails before the heavy imports

    from stance.training.trainer import train as run_training

    summary = run_training(recipe, out, resume=resume)
    typer.echo(json.dumps(summary, indent=2))


@config_app.command("show")
@friendly
def config_show(
    task: Annotated[
        str | None, typer.Option(help=TRAIN_TASK_HELP, callback=train_task_name)
    ] = None,
    config: Annotated[Path | None, typer.Option(help="TOML recipe to read")] = None,
) -> None:
    """Every `stance train --set` key: type, value (default, or from --config/--task), meaning."""
    from stance.training.config import describe, load_config

    typer.echo(describe(load_config(config, {"task": task})))


@app.command()
@friendly
def evaluate(
    task: Annotated[str, typer.Option(help=TASK_HELP, callback=task_name)] = "component",
    data: Annotated[Path | None, typer.Option(help="Gold data file")] = None,
    data_format: Annotated[
        str,
        typer.Option(
            help="pe-fr-bio|pe-fr-sentences|xstance|efra|fewshot|abstrct|jsonl|consistency, "
            "or another research format (`stance data stats` lists them)"
        ),
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
    backend: BackendOpt = "torch",
    quantize: QuantizeOpt = "auto",
) -> None:
    """Score a model on gold data: report.json, report.md and plots in OUT.

    --backend and --quantize score the model as `stance label` runs it with them.
    """
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
        backend=backend,
        quantize=quantize,
    )
    typer.echo(
        f"{task} on {data.name}: macro-F1 {report['macro_f1']:.3f} (n={report['n']})"
        f" → {out}/report.md"
    )
    if "consistency" in report:
        both = report["consistency"]["both_right"]["value"]
        typer.echo(f"right on target and negation: {both:.3f} (docs/evaluation.md)")


@export_app.command("hf")
@friendly
def export_hf(
    task: Annotated[str, typer.Option(help=TASK_HELP, callback=task_name)],
    out: Annotated[Path, typer.Option("-o", "--out")],
    model: ModelOpt = None,
) -> None:
    """Write one task as a standalone transformers directory (AutoModelFor*/pipeline open it)."""
    from stance.pipeline.export import export_hf as run_export

    typer.echo(str(run_export(model, task, out)))


@export_app.command("onnx")
@friendly
def export_onnx(
    out: Annotated[Path, typer.Option("-o", "--out")],
    task: Annotated[
        str | None,
        typer.Option(help=TASK_HELP + " (default: all + pipeline.json)", callback=task_name),
    ] = None,
    model: ModelOpt = None,
    quantize: Annotated[
        str | None, typer.Option(help="int8: also write int8 weights (--quantize int8 at label)")
    ] = None,
) -> None:
    """ONNX models (dynamic batch/length); `stance label --model OUT` runs them on ONNX Runtime."""
    from stance.pipeline.export import export_onnx as run_export

    typer.echo(str(run_export(model, out, task=task, quantize=quantize)))


@data_app.command("prepare")
@friendly
def data_prepare(out: Annotated[Path, typer.Option("-o", "--out")] = Path("data/prepared")) -> None:
    """Convert every research set in $STANCE_DATA_DIR to the project's JSONL schema."""
    from stance.training.data.export import prepare

    for name, count in prepare(out).items():
        typer.echo(f"{name}\t{count}")


@data_app.command("stats")
@friendly
def data_stats(
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="Data format (repeatable; default: all but jsonl)"),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="Roles recipe: its training sentences per source × genre × label"),
    ] = None,
) -> None:
    """Rows per source × language × split × label of the research sets in $STANCE_DATA_DIR."""
    from rich.console import Console

    from stance.training.data.stats import count_rows, stats_table

    if config is not None:
        from stance.training.data.mix import role_counts

        caption = "training sentences (a|b: the gold allows either)"
        columns = ("source", "genre", "language")
        Console().print(stats_table(role_counts(config), columns, caption))
        return
    counts, notes = count_rows(formats)
    Console().print(stats_table(counts))
    for note in notes:
        typer.echo(f"note: {note}", err=True)


@app.command()
@friendly
def serve(host: str = "127.0.0.1", port: int = 8000, model: ModelOpt = None) -> None:
    """HTTP API (POST /predict, /label; GET /health) and a web page at /."""
    from stance.serve.app import serve as run_server

    run_server(host=host, port=port, model=model)


def main() -> None:
    """The ``stance`` entry point (ends without the interpreter's teardown: see cli_support)."""
    exit_now(run_app(app))


if __name__ == "__main__":  # python -m stance.cli
    main()
