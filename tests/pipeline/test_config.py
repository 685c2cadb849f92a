"""``pipeline.json``: the shipped manifest reads; an unknown or mistyped key is a ModelError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.model.part import ModelError
from stance.pipeline.config import PIPELINE_FILE, REPO_DEFAULT, PipelineConfig


def _write(tmp_path: Path, manifest: dict) -> Path:
    (tmp_path / PIPELINE_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_the_shipped_manifest_reads_every_key() -> None:
    raw = json.loads((REPO_DEFAULT / PIPELINE_FILE).read_text(encoding="utf-8"))
    config = PipelineConfig.read(REPO_DEFAULT)
    assert config.parts == {"tagger": "tagger", "stance": "stance"}
    assert config.name == "stance-fr-default" and config.version == raw["version"]
    assert {k: getattr(config, k) for k in raw} == raw  # nothing dropped on the way


def test_a_minimal_manifest_gets_the_defaults(tmp_path: Path) -> None:
    config = PipelineConfig.read(_write(tmp_path, {"parts": {"stance": "s"}}))
    assert config.stance_threshold == 0.0 and config.role_weights == {} and config.name == ""


def test_an_unknown_key_is_named(tmp_path: Path) -> None:
    _write(tmp_path, {"parts": {"stance": "s"}, "stance_treshold": 0.4})
    with pytest.raises(ModelError, match=r"pipeline\.json: unknown key 'stance_treshold'") as err:
        PipelineConfig.read(tmp_path)
    assert "did you mean 'stance_threshold'" in str(err.value)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("stance_threshold", "0.4", r"stance_threshold must be float, got '0\.4'"),
        ("parts", ["stance"], r"parts must be dict\[str, str\], got \['stance'\]"),
        ("role_weights", {"claim": "x"}, r"role_weights\.claim must be float, got 'x'"),
        ("meta", None, r"meta must be dict\[str, Any\], got None"),
        ("quantize", "int4", r"quantize must be \"int8\" or null, got 'int4'"),
    ],
)
def test_a_mistyped_value_is_named(tmp_path: Path, key: str, value: object, message: str) -> None:
    _write(tmp_path, {"parts": {"stance": "s"}, key: value})
    with pytest.raises(ModelError, match=rf"pipeline\.json: {message}"):
        PipelineConfig.read(tmp_path)


def test_a_manifest_without_parts_or_not_an_object_fails(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing key 'parts'"):
        PipelineConfig.read(_write(tmp_path, {"base": "x"}))
    (tmp_path / PIPELINE_FILE).write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ModelError, match="must be a JSON object"):
        PipelineConfig.read(tmp_path)
