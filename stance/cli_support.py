"""What every ``stance`` command shares: argument checks made before any model work, one-line
errors with exit 2 instead of tracebacks, and an exit that skips the interpreter's teardown.

Checks come first because importing torch alone takes seconds: a missing input, an empty text
or target and a missing model directory are reported at once (docs/reliability.md).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import typer


def task_name(value: str | None) -> str | None:
    """``roles`` is the user's word for the claim/premise/none task; ``component`` its old name.

    ``tagger`` is refused: evaluate and export name the task of a tagger part they serve.
    """
    if value is None:
        return None
    if value == "tagger":  # a tagger part serves two tasks: the user names which
        raise typer.BadParameter(
            "'tagger': choose roles (or component) for a tagger's roles, span for its BIO spans"
        )
    name = {"roles": "component"}.get(value, value)
    if name not in ("component", "span", "stance"):
        raise typer.BadParameter(f"{value!r}: choose roles (or component), span or stance")
    return name


TASK_HELP = "roles (also: component) | span | stance"
TRAIN_TASK_HELP = TASK_HELP + " | tagger (roles and spans in one model)"


def train_task_name(value: str | None) -> str | None:
    """``task_name``, plus ``tagger``: a task that trains (and exports as component / span)."""
    if value == "tagger":
        return value
    try:
        return task_name(value)
    except typer.BadParameter:
        raise typer.BadParameter(
            f"{value!r}: choose roles (or component), span, stance or tagger"
        ) from None


def friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
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


def check_target(target: str | None) -> None:
    if target is not None and not target.strip():
        raise ValueError("empty --target: name what the stance is toward, or leave it out")


def check_model(model: str | None) -> None:
    if model and not Path(model).exists():
        raise ValueError(
            f"--model {model}: no such directory (a pipeline directory or a task checkpoint; "
            "hub encoders are for `stance train --base`)"
        )


def check_inputs(inputs: list[str]) -> None:
    """Missing paths are named at once, before any model loads. Some missing: the others are
    labelled and the missing ones get error records (exit 1); all missing: usage error."""
    from stance.batch.label import missing_inputs

    missing = missing_inputs(inputs)
    for path in missing:
        typer.echo(f"error: {path}: no such file or directory", err=True)
    if missing and len(missing) == len(inputs):
        raise typer.Exit(2)


@contextlib.contextmanager
def writing(out: str | None) -> Iterator[None]:
    """An output that cannot be written (a directory, a full or read-only disk): exit 2."""
    try:
        yield
    except BrokenPipeError:  # `stance ... | head`: click exits quietly
        raise
    except OSError as exc:
        typer.echo(f"error: {exc.filename or out}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None


def run_app(app: typer.Typer) -> int:
    """Run the typer app and return its exit status instead of raising ``SystemExit``."""
    try:
        app()
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            return 1
        return exc.code or 0
    return 0


def exit_now(code: int) -> None:
    """End the process without the interpreter's teardown, which takes about a second after
    torch and transformers (docs/benchmarks.md, "Start-up"). Exit handlers (logging, tqdm, Ray)
    still run and both output streams are flushed; files were closed by the commands."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a closed pipe
            stream.flush()
    os._exit(code)
