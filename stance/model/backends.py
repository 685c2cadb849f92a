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

from stance.model.onnx import ONNX_FILE, cached_onnx, open_onnx
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


def quantize_int8(model: torch.nn.Module, keep_ffn_out: bool = True) -> torch.nn.Module:
    """int8 weights and per-token int8 activations for the ``nn.Linear`` layers, in place
    (:mod:`stance.model.int8`): a sentence's scores do not depend on the rest of its batch.

    ``keep_ffn_out`` leaves each layer's feed-forward output projection (intermediate → hidden)
    in fp32: its input, the GELU output, has a few large channels. Quantised with one scale per
    batch, spans and stance lost (span dev exact F1 0.477 → 0.342, X-Stance DE 0.617 → 0.553,
    target probe 0.374 → 0.240); kept, every dev set of the shipped parts is within noise of
    fp32 (docs/research-log.md, "int8").
    """
    from stance.model.int8 import quantize_rows

    keep = tuple(
        name
        for name, module in model.named_modules()
        if type(module) is torch.nn.Linear and keep_ffn_out and is_ffn_out(name)
    )
    return quantize_rows(model, keep)


def is_ffn_out(name: str) -> bool:
    """A BERT layer's feed-forward output projection (``layer.N.output.dense``)."""
    return name.endswith("output.dense") and "attention" not in name


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
    model, tokenizer, info = load_part(path)
    return (quantize_int8(model) if quantize == "int8" else model), tokenizer, info


def _load_onnx(path: Path, quantize: str | None = None) -> tuple[Any, Any, PartInfo]:
    path = Path(path)
    directory = path if (path / ONNX_FILE).exists() else cached_onnx(path)
    return open_onnx(directory, quantize=quantize)
