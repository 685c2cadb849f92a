"""ONNX parts: export with dynamic axes, the same logits as torch, int8, the export cache."""

from __future__ import annotations

import shutil
from dataclasses import replace as replace_info
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import stance.model.onnx as onnx
from stance.model.onnx import (
    ENCODER_INPUTS,
    ONNX_FILE,
    ONNX_INT8_FILE,
    OnnxEncoder,
    _fingerprint,
    cached_onnx,
    export_onnx_part,
    open_onnx,
)
from stance.model.part import ModelError, PartInfo, load_part
from tests.tiny import build_base, build_tagger_part, fine_tuned_part

pytest.importorskip("onnxruntime")

# three texts, one far longer than the 16-token export example: both axes must be dynamic
TEXTS = [
    "Il faut taxer le kérosène.",
    "Bravo !",
    "Les jeunes n'ont pas de travail, c'est le vrai problème, et le gouvernement doit agir.",
]


@pytest.fixture(scope="module")
def part(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("onnx")
    out = root / "component"
    fine_tuned_part(build_base(root / "base"), out, rank=2, mean_pool=True)
    return out


@pytest.fixture(scope="module")
def exported(part: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_onnx_part(part, tmp_path_factory.mktemp("exported") / "component")


def _enc(tokenizer: Any) -> dict[str, torch.Tensor]:
    return dict(tokenizer(TEXTS, padding=True, return_tensors="pt"))


def test_export_gives_the_torch_logits(part: Path, exported: Path) -> None:
    assert {ONNX_FILE, "tokenizer.json", "stance_part.json"} <= {p.name for p in exported.iterdir()}
    model, tokenizer, info = load_part(part)
    encoder, onnx_tok, onnx_info = open_onnx(exported)
    assert onnx_info == info and encoder.eval() is encoder
    enc = _enc(tokenizer)
    assert enc["input_ids"].shape[1] > 16
    assert onnx_tok(TEXTS)["input_ids"] == tokenizer(TEXTS)["input_ids"]
    with torch.no_grad():
        want = model(**enc).logits.numpy()
    got = encoder(**enc).logits.numpy()
    assert got.shape == (3, len(info.labels))
    np.testing.assert_allclose(got, want, atol=1e-4)


def test_graph_inputs_follow_the_tokenizer(exported: Path) -> None:
    encoder, tokenizer, _ = open_onnx(exported)
    assert encoder.inputs == [n for n in ENCODER_INPUTS if n in tokenizer.model_input_names]


def test_int8_weights_are_made_on_demand(exported: Path, tmp_path: Path) -> None:
    directory = tmp_path / "copy"
    shutil.copytree(exported, directory)
    assert not (directory / ONNX_INT8_FILE).exists()
    fp32, tokenizer, _ = open_onnx(directory)
    int8, _, _ = open_onnx(directory, quantize="int8")
    assert (directory / ONNX_INT8_FILE).exists()
    enc = _enc(tokenizer)
    a, b = fp32(**enc).logits.numpy(), int8(**enc).logits.numpy()
    assert a.shape == b.shape and np.isfinite(b).all()
    # close, not equal: the random tiny head's logits are about 0.01, so compare their pattern
    assert np.corrcoef(a.ravel(), b.ravel())[0, 1] > 0.9
    assert np.abs(a - b).max() < 0.25 * np.abs(a).max() + 1e-3


def test_unreadable_onnx_file_is_a_model_error(exported: Path, tmp_path: Path) -> None:
    directory = tmp_path / "broken"
    shutil.copytree(exported, directory)
    (directory / ONNX_FILE).write_bytes(b"not a protobuf")
    with pytest.raises(ModelError, match="onnxruntime cannot open it"):
        open_onnx(directory)


def test_fingerprint_follows_the_files_not_the_place(part: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(part, copy)
    assert _fingerprint(copy) == _fingerprint(part)
    (copy / "stance_part.json").write_text(
        (copy / "stance_part.json").read_text().replace('"temperature": 1.0', '"temperature": 2.0')
    )
    assert _fingerprint(copy) != _fingerprint(part)


def test_encoder_feeds_int64_arrays() -> None:
    seen: dict[str, np.ndarray] = {}

    class Session:
        def get_inputs(self) -> list[Any]:
            names = ("input_ids", "attention_mask", "token_type_ids")
            return [type("I", (), {"name": n})() for n in names]

        def get_outputs(self) -> list[Any]:
            return [type("O", (), {"name": "logits"})()]

        def run(self, names: list[str], feed: dict[str, np.ndarray]) -> list[np.ndarray]:
            assert names == ["logits"]
            seen.update(feed)
            return [np.ones((2, 3), dtype=np.float32)]

    ids = torch.tensor([[1, 5, 2], [1, 2, 0]], dtype=torch.int32)
    out = OnnxEncoder(Session())(input_ids=ids, attention_mask=ids > 0, position_ids=ids)
    assert list(seen) == ["input_ids", "attention_mask", "token_type_ids"]  # graph's inputs only
    assert all(v.dtype == np.int64 and v.flags.c_contiguous for v in seen.values())
    np.testing.assert_array_equal(seen["input_ids"], ids.numpy())
    np.testing.assert_array_equal(seen["token_type_ids"], np.zeros((2, 3)))  # absent: zeros
    assert out.logits.shape == (2, 3)


def test_onnx_backend_exports_once_into_cache(
    part: Path, exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stance.model.backends import part_loader

    exports: list[Path] = []

    def export(src: Path, out: Path, quantize: str | None = None) -> Path:
        """Stands in for the real export (tested above): a copy of its output."""
        exports.append(src)
        shutil.copytree(exported, out, dirs_exist_ok=True)
        return out

    monkeypatch.setattr(onnx, "export_onnx_part", export)
    monkeypatch.setenv("STANCE_CACHE_DIR", str(tmp_path))
    loader = part_loader("onnx")
    encoder, _, info = loader(part)
    assert info.task == "component" and type(encoder).__name__ == "OnnxEncoder"
    built = [p for p in (tmp_path / "onnx").iterdir() if p.is_dir()]
    assert [p.name for p in built] == [f"component-{_fingerprint(part)}"]
    assert not [p for p in (tmp_path / "onnx").iterdir() if p.name.startswith(".")]  # no tmp
    loader(part)  # served from the cache
    assert exports == [part]
    changed = tmp_path / "changed"
    shutil.copytree(part, changed)
    replace_info(PartInfo.load(changed), temperature=2.0).save(changed)
    assert cached_onnx(changed) != cached_onnx(part)  # other files, other export
    assert exports == [part, changed]


def test_failed_export_leaves_no_cache_entry(
    part: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(src: Path, out: Path, quantize: str | None = None) -> Path:
        (out / "partial.onnx").write_bytes(b"half")
        raise RuntimeError("exporter crashed")

    monkeypatch.setattr(onnx, "export_onnx_part", broken)
    monkeypatch.setenv("STANCE_CACHE_DIR", str(tmp_path))
    with pytest.raises(RuntimeError, match="crashed"):
        cached_onnx(part)
    assert not [p for p in (tmp_path / "onnx").iterdir() if p.is_dir()]


def test_a_tagger_part_exports_with_its_sentence_markers(tmp_path: Path) -> None:
    """The tagger's graph takes the markers' positions (any number of sentences) and gives
    both heads; the windows of several documents, padded, read as in torch."""
    from stance.doc import Document
    from stance.model.classifier import ArgumentTagger
    from stance.segment import split_sentences

    part = build_tagger_part(build_base(tmp_path / "base"), tmp_path / "tagger")
    out = export_onnx_part(part, tmp_path / "onnx")
    docs = [Document(str(i), t, sentences=tuple(split_sentences(t))) for i, t in enumerate(TEXTS)]
    docs.append(Document("all", " ".join(TEXTS), sentences=tuple(split_sentences(" ".join(TEXTS)))))
    want = ArgumentTagger(*load_part(part)).predict(docs)
    encoder, tokenizer, info = open_onnx(out)
    assert [i.name for i in encoder.session.get_inputs()] == [
        "input_ids",
        "attention_mask",
        "role_positions",
    ]
    got = ArgumentTagger(encoder, tokenizer, info).predict(docs)
    for a, b in zip(want, got, strict=True):
        np.testing.assert_allclose(b.role_probs, a.role_probs, atol=1e-5)
        np.testing.assert_allclose(b.word_probs, a.word_probs, atol=1e-5)
