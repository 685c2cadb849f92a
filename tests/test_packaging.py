"""The wheel's contents: every code package listed, the shipped model carried and found."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from stance.pipeline import config

ROOT = Path(__file__).resolve().parents[1]


def test_every_code_package_is_listed_for_the_wheel() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "stance").rglob("__init__.py")
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - found == {"stance.models"}


def test_wheel_maps_models_folder_into_the_package() -> None:
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert tool["package-dir"]["stance.models"] == "models"
    shipped = ROOT / tool["package-dir"]["stance.models"] / "default"
    patterns = tool["package-data"]["stance.models"]
    carried = {p for pat in patterns for p in shipped.parent.glob(pat) if p.is_file()}
    assert carried == {p for p in shipped.rglob("*") if p.is_file()}


def test_default_model_found_in_package_then_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STANCE_MODEL", raising=False)
    assert config.default_model_dir() == config.REPO_DEFAULT  # a checkout: no stance/models
    installed = tmp_path / "stance"
    (installed / "models" / "default").mkdir(parents=True)
    (installed / "models" / "default" / config.PIPELINE_FILE).write_text("{}")
    monkeypatch.setattr(config.resources, "files", lambda package: installed)
    assert config.default_model_dir() == installed / "models" / "default"
    monkeypatch.setenv("STANCE_MODEL", str(tmp_path / "mine"))
    assert config.default_model_dir() == tmp_path / "mine"
