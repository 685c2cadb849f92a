"""House rules that keep the package readable: short modules and functions, a test file for
every module (tests/ mirrors stance/)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p for p in (ROOT / "stance").rglob("*.py") if p.name != "__init__.py")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("module", MODULES, ids=_rel)
def test_module_and_functions_are_short(module: Path) -> None:
    source = module.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (node.end_lineno or node.lineno) - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


@pytest.mark.parametrize("module", MODULES, ids=_rel)
def test_every_module_has_its_test_file(module: Path) -> None:
    parts = module.relative_to(ROOT / "stance").parts
    mirrored = ROOT / "tests" / Path(*parts[:-1]) / f"test_{parts[-1]}"
    assert mirrored.is_file(), f"write {_rel(mirrored)}"
