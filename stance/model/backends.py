"""Faster CPU inference: thread count, int8 (per-token activations), ONNX Runtime.

Every path is a *part loader* with the signature of :func:`stance.model.load_part`, handed to
:class:`stance.pipeline.Pipeline`. Only the encoder call changes: tokenisation, windows,
calibration, roll-up and the output records stay the same code whatever runs the network.

ONNX parts are exported once (``torch.onnx`` with dynamic batch and sequence axes) into the
user cache, keyed by a hash of the part's files, so ``--backend onnx`` needs no manual step;
``stance export onnx`` writes the same directories where you want them.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import torch

from stance.model.attention import packed_encoder, unpadded_attention
from stance.model.e5 import E5_OFFLINE
from stance.model.memory import chunk_feed_forward, trim
from stance.model.onnx import ONNX_FILE, cached_onnx, open_onnx
from stance.model.packed import pack_word_embeddings
from stance.model.part import PartInfo, PartLoader, load_part

BACKENDS = ("torch", "onnx", "fp32")  # fp32: torch, never quantised
QUANTIZE = ("int8",)
AUTO = "auto"  # quantise as the pipeline's manifest says (``PipelineConfig.quantize``)


def physical_cores() -> int:
    """Physical cores: hyper-threads share one core's matmul units, so they only add contention."""
    try:
        import psutil

        n = psutil.cpu_count(logical=False)
    except ImportError:
        n = None
    return max(1, n or os.cpu_count() or 1)


def set_threads(n: int | None = None) -> int:
    """Use ``n`` intra-op threads (default: physical cores); returns the number set."""
    threads = n if n and n > 0 else physical_cores()
    torch.set_num_threads(threads)
    return threads


def quantize_int8(model: torch.nn.Module) -> torch.nn.Module:
    """int8 weights and per-token int8 activations for every ``nn.Linear``, in place
    (:mod:`stance.model.int8`): a sentence's scores do not depend on the rest of its batch.

    With one activation scale per batch (``torch.ao`` ``quantize_dynamic``, before), the
    feed-forward output projections had to stay fp32 (the GELU outputs' few large channels set
    the scale of the whole batch); with one scale per token every dev set of the shipped parts is
    within noise of fp32 with all of them quantised (docs/research-log.md, "int8 per token").
    """
    from stance.model.int8 import quantize_rows

    return quantize_rows(model)


def runs_as(backend: str, quantize: str | None, manifest: str | None) -> tuple[str, str | None]:
    """The ``(backend, quantize)`` a load runs with: ``fp32`` is torch without int8;
    ``quantize="auto"`` follows the manifest (``manifest``) on torch, fp32 on ONNX Runtime
    (the manifest's choice was measured on torch); ``"none"`` or ``None`` is fp32."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    if backend == "fp32":
        if quantize not in (None, AUTO, "none"):
            raise ValueError("--backend fp32 runs without quantisation: drop --quantize")
        return "torch", None
    if quantize == AUTO:
        quantize = manifest if backend == "torch" else None
    return backend, (None if quantize in (None, "none") else quantize)


def part_loader(backend: str = "torch", quantize: str | None = None) -> PartLoader:
    """A loader for :class:`~stance.pipeline.Pipeline`: ``path -> (model, tokenizer, info)``."""
    backend, quantize = runs_as(backend, quantize, None)
    if quantize is not None and quantize not in QUANTIZE:
        raise ValueError(f"unknown quantisation {quantize!r}; choose from {', '.join(QUANTIZE)}")
    if backend == "onnx":
        return functools.partial(_load_onnx, quantize=quantize)
    return functools.partial(_load_torch, quantize=quantize)


def _load_torch(path: Path, quantize: str | None = None) -> tuple[Any, Any, PartInfo]:
    """fp32 as saved, or int8: per-token int8 layers and, over the offline e5 base, its word
    embeddings in their 4-bit source form (``stance.model.packed``: the same values). Either
    way the compact tokenizer, the feed-forward blocks in chunks (``stance.model.memory``), and
    an encoder that reads real tokens only, attention at each sequence's own length
    (``stance.model.attention``)."""
    model, tokenizer, info = load_part(path, compact_tokenizer=True)
    chunk_feed_forward(model)
    unpadded_attention(model)
    packed_encoder(model)
    if quantize == "int8":
        quantize_int8(model)
        if info.base == E5_OFFLINE:
            pack_word_embeddings(model)
        trim()  # the fp32 layers just replaced go back to the OS
    return model, tokenizer, info


def _load_onnx(path: Path, quantize: str | None = None) -> tuple[Any, Any, PartInfo]:
    path = Path(path)
    directory = path if (path / ONNX_FILE).exists() else cached_onnx(path)
    return open_onnx(directory, quantize=quantize)
