"""The pipeline package hands out its names on first use, so reading the manifest config (as the
CLI does before any model work) does not import torch."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_names_resolve_lazily_to_the_real_objects() -> None:
    import stance.pipeline as package
    from stance.pipeline.config import PipelineConfig
    from stance.pipeline.pipeline import Pipeline, load

    assert package.PipelineConfig is PipelineConfig
    assert package.Pipeline is Pipeline and package.load is load
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = package.nope  # type: ignore[attr-defined]


def test_reading_the_config_does_not_import_torch() -> None:
    code = "import sys, stance.pipeline.config, stance.cli; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
