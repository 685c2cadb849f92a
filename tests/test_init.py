"""The package entry points (``stance/__init__.py``): lazy import, ``load``, ``predict``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

import stance


@pytest.fixture
def fresh_default() -> Iterator[None]:
    stance._default.cache_clear()
    yield
    stance._default.cache_clear()


def test_import_loads_no_model_library() -> None:
    code = "import sys, stance; print(sorted({'torch', 'transformers'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_names() -> None:
    assert set(stance.__all__) == {"Document", "DocStance", "Sentence", "Span", "load", "predict"}
    from stance.doc import Document

    assert stance.Document is Document


def test_load_passes_its_options_to_the_pipeline_loader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import stance.pipeline.pipeline as pipeline

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        pipeline, "load", lambda model, backend, quantize: calls.append((model, backend, quantize))
    )
    stance.load("models/x", backend="onnx", quantize="int8")
    stance.load()
    assert calls == [("models/x", "onnx", "int8"), (None, "torch", "auto")]


def test_predict_loads_the_default_once(
    monkeypatch: pytest.MonkeyPatch, fresh_default: None
) -> None:
    loads: list[Any] = []

    def fake_load(model: Any = None, **kwargs: Any) -> Any:
        loads.append(model)
        return lambda text, target=None: (text, target)

    monkeypatch.setattr(stance, "load", fake_load)
    assert stance.predict("Il faut agir.", target="Agir ?") == ("Il faut agir.", "Agir ?")
    assert stance.predict("Encore.") == ("Encore.", None)
    assert loads == [None]  # the shipped default, loaded on the first call only
