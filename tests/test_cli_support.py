"""Checks made before any model work, one-line errors, and the exit without teardown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer

from stance.cli_support import (
    check_inputs,
    check_model,
    check_target,
    friendly,
    run_app,
    task_name,
    train_task_name,
)


def test_task_names() -> None:
    assert task_name("roles") == "component" and task_name("component") == "component"
    assert task_name("span") == "span" and task_name(None) is None
    with pytest.raises(typer.BadParameter, match="choose roles"):
        task_name("claims")
    assert train_task_name("tagger") == "tagger" and train_task_name("roles") == "component"
    with pytest.raises(typer.BadParameter, match=r"choose roles \(or component\).*span"):
        task_name("tagger")  # evaluate and export name the task a tagger serves
    with pytest.raises(typer.BadParameter, match="stance or tagger"):
        train_task_name("claims")


def test_empty_target_and_missing_model_are_refused(tmp_path: Path) -> None:
    check_target(None)
    check_target("Il faut X")
    with pytest.raises(ValueError, match="empty --target"):
        check_target("   ")
    check_model(None)
    check_model(str(tmp_path))
    with pytest.raises(ValueError, match="no such directory"):
        check_model(str(tmp_path / "nope"))


def test_missing_inputs_named_and_all_missing_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    here = tmp_path / "a.txt"
    here.write_text("Bonjour.", encoding="utf-8")
    check_inputs([str(here), "-", str(tmp_path / "gone.txt")])  # some exist: go on
    assert f"{tmp_path / 'gone.txt'}: no such file or directory" in capsys.readouterr().err
    with pytest.raises(typer.Exit) as stop:
        check_inputs([str(tmp_path / "gone.txt")])
    assert stop.value.exit_code == 2


def test_friendly_turns_expected_errors_into_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    @friendly
    def command() -> None:
        raise ValueError("bad key 'epochz'")

    with pytest.raises(typer.Exit) as stop:
        command()
    assert stop.value.exit_code == 2
    assert capsys.readouterr().err.strip() == "error: bad key 'epochz'"


def test_run_app_returns_the_exit_status() -> None:
    app = typer.Typer()

    @app.command()
    def fail(code: int) -> None:
        raise typer.Exit(code)

    @app.command()
    def other() -> None:  # two commands: typer then wants the command name
        pass

    sys_argv = sys.argv
    try:
        sys.argv = ["prog", "fail", "3"]
        assert run_app(app) == 3
        sys.argv = ["prog", "other"]
        assert run_app(app) == 0
    finally:
        sys.argv = sys_argv


def test_exit_now_flushes_output_and_runs_exit_handlers(tmp_path: Path) -> None:
    marker = tmp_path / "handler-ran"
    code = (
        "import atexit, sys\n"
        "from stance.cli_support import exit_now\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('yes'))\n"
        "sys.stdout.write('buffered output, no newline')\n"
        "exit_now(4)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 4
    assert run.stdout == "buffered output, no newline"
    assert marker.read_text() == "yes"
