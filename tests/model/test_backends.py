"""Faster backends (int8, ONNX Runtime) must give the fp32 pipeline's labels, in its shapes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stance.doc import Document
from stance.pipeline.pipeline import load
from tests.tiny import CORPUS

TARGET = "Faut-il taxer le kérosène ?"


def _texts() -> list[str]:
    return [" ".join(CORPUS[i : i + 3]) for i in range(0, len(CORPUS), 2)]


def _run(nlp: object, target: str | None = TARGET) -> list[Document]:
    return list(nlp.pipe(_texts(), target=target, batch_size=4))  # type: ignore[attr-defined]


def _labels(docs: list[Document]) -> list[str | None]:
    out: list[str | None] = []
    for doc in docs:
        out += [s.role for s in doc.sentences] + [s.stance for s in doc.sentences]
        out += [doc.stance.label if doc.stance else None]
    return out


def _assert_same_shape(a: list[Document], b: list[Document]) -> None:
    assert [d.id for d in a] == [d.id for d in b]
    for x, y in zip(a, b, strict=True):
        assert [(s.start, s.end) for s in x.sentences] == [(s.start, s.end) for s in y.sentences]
        assert [set(s.role_scores or {}) for s in x.sentences] == [
            set(s.role_scores or {}) for s in y.sentences
        ]
        assert (x.stance is None) == (y.stance is None)
        assert x.to_dict().keys() == y.to_dict().keys()


def _agreement(a: list[Document], b: list[Document]) -> float:
    la, lb = _labels(a), _labels(b)
    return float(np.mean([x == y for x, y in zip(la, lb, strict=True)]))


@pytest.fixture(scope="module")
def fp32(tiny_pipeline: Path) -> list[Document]:
    return _run(load(tiny_pipeline))


@pytest.fixture(scope="module")
def onnx_dir(tiny_pipeline: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole tiny pipeline exported once (``stance export onnx`` without --task)."""
    from stance.pipeline.export import export_onnx

    return export_onnx(tiny_pipeline, tmp_path_factory.mktemp("onnx"))


def test_int8_matches_fp32(tiny_pipeline: Path, fp32: list[Document]) -> None:
    import torch

    from stance.model.int8 import RowInt8Linear

    nlp = load(tiny_pipeline, quantize="int8")
    docs = _run(nlp)
    assert nlp.component is not None
    # every linear layer runs int8 with a scale per token (stance/model/int8.py)
    for part in (nlp.component, nlp.span):
        assert part is not None
        kinds = {type(m) for m in part.model.modules()}
        assert RowInt8Linear in kinds and torch.nn.Linear not in kinds
    _assert_same_shape(fp32, docs)
    assert _agreement(fp32, docs) >= 0.9


def test_export_onnx_opens_in_onnxruntime(onnx_dir: Path) -> None:
    import onnxruntime as ort

    from stance.model.onnx import ONNX_FILE

    for task in ("component", "span", "stance"):
        session = ort.InferenceSession(str(onnx_dir / task / ONNX_FILE))
        names = {i.name for i in session.get_inputs()}
        assert {"input_ids", "attention_mask"} <= names
        assert [o.name for o in session.get_outputs()] == ["logits"]


def test_onnx_matches_fp32(onnx_dir: Path, fp32: list[Document]) -> None:
    nlp = load(onnx_dir)  # the manifest says onnx: no backend argument needed
    assert nlp.component is not None
    assert type(nlp.component.model).__name__ == "OnnxEncoder"
    docs = _run(nlp)
    _assert_same_shape(fp32, docs)
    assert _agreement(fp32, docs) >= 0.9
    for x, y in zip(fp32, docs, strict=True):
        for s, t in zip(x.sentences, y.sentences, strict=True):
            assert s.role_scores and t.role_scores
            assert max(abs(s.role_scores[k] - t.role_scores[k]) for k in s.role_scores) < 1e-3


def test_onnx_int8_matches_fp32(onnx_dir: Path, fp32: list[Document]) -> None:
    from stance.model.onnx import ONNX_INT8_FILE

    docs = _run(load(onnx_dir, quantize="int8"))
    assert (onnx_dir / "span" / ONNX_INT8_FILE).exists()
    _assert_same_shape(fp32, docs)
    assert _agreement(fp32, docs) >= 0.9


def test_export_unknown_task(tiny_pipeline: Path, tmp_path: Path) -> None:
    from stance.model.part import ModelError
    from stance.pipeline.export import export_onnx

    with pytest.raises(ModelError):
        export_onnx(tiny_pipeline, tmp_path / "x", task="nope")


def test_auto_runs_as_the_manifest_says(tiny_pipeline: Path, tmp_path: Path) -> None:
    """``quantize="auto"`` (the default) follows ``pipeline.json``; fp32 and None opt out."""
    import json
    import shutil

    import torch

    int8_dir = tmp_path / "int8"
    shutil.copytree(tiny_pipeline, int8_dir)
    manifest = json.loads((int8_dir / "pipeline.json").read_text())
    (int8_dir / "pipeline.json").write_text(json.dumps({**manifest, "quantize": "int8"}))

    def linears(nlp: object) -> set[type]:
        part = nlp.component  # type: ignore[attr-defined]
        return {type(m) for n, m in part.model.named_modules() if "attention.self.query" in n}

    assert load(tiny_pipeline).runs_on == {"backend": "torch", "quantize": None}
    nlp = load(int8_dir)
    assert nlp.runs_on == {"backend": "torch", "quantize": "int8"}
    assert torch.nn.Linear not in linears(nlp)  # quantised
    for fp32 in (load(int8_dir, backend="fp32"), load(int8_dir, quantize=None)):
        assert fp32.runs_on == {"backend": "torch", "quantize": None}
        assert linears(fp32) == {torch.nn.Linear}
    with pytest.raises(ValueError, match="fp32 runs without quantisation"):
        load(int8_dir, backend="fp32", quantize="int8")


def test_runs_as_resolves_auto_per_backend() -> None:
    from stance.model.backends import runs_as

    assert runs_as("torch", "auto", "int8") == ("torch", "int8")
    assert runs_as("torch", "auto", None) == ("torch", None)
    assert runs_as("torch", "none", "int8") == ("torch", None)
    assert runs_as("onnx", "auto", "int8") == ("onnx", None)  # measured on torch only
    assert runs_as("onnx", "int8", None) == ("onnx", "int8")
    assert runs_as("fp32", "auto", "int8") == ("torch", None)
    with pytest.raises(ValueError, match="unknown backend"):
        runs_as("tensorrt", None, None)


def test_bad_options_and_threads() -> None:
    import torch

    from stance.model.backends import part_loader, physical_cores, set_threads

    with pytest.raises(ValueError):
        part_loader("tensorrt")
    with pytest.raises(ValueError):
        part_loader("torch", "int4")
    before = torch.get_num_threads()
    try:
        assert set_threads(1) == 1 and torch.get_num_threads() == 1
        assert set_threads(None) == physical_cores()
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize("backend", ["fp32", "torch"])
def test_prediction_parts_run_small_and_tokenise_as_saved(
    tiny_pipeline: Path, backend: str
) -> None:
    """Every torch part a pipeline loads has its feed-forward blocks in chunks and the compact
    tokenizer (``stance.model.memory``, ``stance.model.unigram``), same ids."""
    from transformers import AutoTokenizer

    from stance.model.e5 import resolve_base

    nlp = load(tiny_pipeline, backend=backend)
    part = nlp.component
    assert part is not None
    layers = [m for m in part.model.modules() if hasattr(m, "feed_forward_chunk")]
    assert layers and all("_in_chunks" in m.feed_forward_chunk.__qualname__ for m in layers)
    standard = AutoTokenizer.from_pretrained(resolve_base(part.info.base))
    assert type(part.tokenizer.backend_tokenizer.model).__name__ == "WordLevel"
    assert part.tokenizer(CORPUS)["input_ids"] == standard(CORPUS)["input_ids"]
