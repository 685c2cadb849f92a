"""What the benchmark scripts share: the French corpus, the machine line, matmul peaks, timing,
peak RSS, and the sections of docs/benchmarks.md each script owns.

docs/benchmarks.md is written by three scripts: ``bench.py`` (the top of the page, up to the
first section below), ``bench_scale.py`` ("## Scale") and ``bench_startup.py`` ("## Start-up",
always last). Each one replaces only its own part.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
SCALE_HEADING = "## Scale"  # scripts/bench_scale.py
STARTUP_HEADING = "## Start-up"  # scripts/bench_startup.py: the last section of the page
OWNED_SECTIONS = (SCALE_HEADING, STARTUP_HEADING)  # in page order, after bench.py's part
# the ways to run the shipped model: name -> (stance label --backend, --quantize)
BACKENDS: dict[str, tuple[str, str | None]] = {
    "fp32": ("torch", None),
    "int8": ("torch", "int8"),
    "onnx": ("onnx", None),
    "onnx-int8": ("onnx", "int8"),
}


# ---------------------------------------------------------------------------- the corpus


def french_docs() -> Iterator[dict[str, Any]]:
    """PE-FR paragraphs (train, then dev) interleaved with X-Stance French comments.

    Rows ``{"id", "text", "target"}``; ``target`` is the X-Stance question, None for PE-FR.
    """
    from stance.training.data.registry import data_dir, load_dataset

    root = data_dir()
    pe = load_dataset("pe-fr-bio", root / "pe_fr" / "train_PE.fr")
    pe += load_dataset("pe-fr-bio", root / "pe_fr" / "dev_PE.fr")
    xs = load_dataset("xstance", root / "xstance" / "valid.fr.jsonl")
    for i in range(max(len(pe), len(xs))):
        for doc in (pe[i] if i < len(pe) else None, xs[i] if i < len(xs) else None):
            if doc is not None:
                yield {"id": doc.id, "text": doc.text, "target": doc.target}


def write_jsonl(rows: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


# ---------------------------------------------------------------------------- measuring


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Wall times of ``repeat`` runs: the best one is the least disturbed by other processes."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def best_time(fn: Callable[[], Any], reps: int = 20) -> float:
    """Fastest of ``reps`` calls after 3 warm-up calls: a peak, least disturbed by others."""
    for _ in range(3):
        fn()
    return min(timed(fn, reps))


def peak_rss_mb() -> float:
    """This process's own high-water RSS (``ru_maxrss`` would carry the parent's across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def matmul_peaks(size: int = 2048) -> dict[str, float | None]:
    """Matmul throughput of ``size``³ problems (2·M·N·K operations) with the current threads.

    fp32: ``torch.matmul`` (MKL) and ONNX Runtime ``MatMul`` (MLAS). int8: the layer
    ``--quantize int8`` runs (``stance.model.int8.RowInt8Linear``: each row quantised, the
    ``torch._int_mm`` product, the result scaled back to fp32), ``torch._int_mm`` (int8 × int8
    → int32, the bare kernel; None where this build lacks it),
    and ONNX Runtime on a MatMul with int8 weights from ``onnxruntime.quantization.
    quantize_dynamic`` (``DynamicQuantizeLinear`` + ``MatMulInteger``: what ``stance export
    onnx --quantize int8`` makes). Values in G(FL)OP/s.
    """
    import numpy as np
    import torch

    ops = 2 * size**3
    a, b = torch.randn(size, size), torch.randn(size, size)
    out: dict[str, float | None] = {"size": float(size)}
    with torch.inference_mode():
        out["torch_gflops"] = ops / best_time(lambda: torch.matmul(a, b)) / 1e9
        from stance.model.int8 import RowInt8Linear

        qlinear = RowInt8Linear(torch.nn.Linear(size, size, bias=False))
        out["torch_int8_gops"] = ops / best_time(lambda: qlinear(a)) / 1e9
        try:
            ai = torch.randint(-128, 128, (size, size), dtype=torch.int8)
            bi = torch.randint(-128, 128, (size, size), dtype=torch.int8)
            out["int_mm_gops"] = ops / best_time(lambda: torch._int_mm(ai, bi)) / 1e9
        except (RuntimeError, AttributeError, NotImplementedError):
            out["int_mm_gops"] = None
    weights = b.numpy().astype(np.float32)
    out["ort_gflops"], out["ort_int8_gops"] = _ort_peaks(a.numpy(), weights, ops)
    return out


def _ort_peaks(a: Any, b: Any, ops: int) -> tuple[float, float]:
    """ONNX Runtime fp32 ``MatMul`` and its int8-weight form (``quantize_dynamic``)."""
    import tempfile

    import onnx
    import onnxruntime as ort
    import torch
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    n = a.shape[0]
    x = helper.make_tensor_value_info("A", TensorProto.FLOAT, [n, n])
    y = helper.make_tensor_value_info("C", TensorProto.FLOAT, [n, n])
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["A", "B"], ["C"])],
        "mm",
        [x],
        [y],
        initializer=[numpy_helper.from_array(b, "B")],  # weights, as in the exported encoders
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    options = ort.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()
    feed = {"A": a}
    rates = []
    with tempfile.TemporaryDirectory() as tmp:
        fp32, int8 = Path(tmp) / "mm.onnx", Path(tmp) / "mm-int8.onnx"
        onnx.save(model, str(fp32))
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
        for path in (fp32, int8):
            session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            rates.append(ops / best_time(lambda s=session: s.run(None, feed)) / 1e9)
    return rates[0], rates[1]


def machine() -> str:
    """CPU, memory, OS and the versions of what runs the models."""
    import onnxruntime
    import torch
    import transformers

    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs, {mem:.0f} GiB RAM, {platform.system()}; "
        f"Python {platform.python_version()}, torch {torch.__version__}, "
        f"transformers {transformers.__version__}, onnxruntime {onnxruntime.__version__}"
    )


# ---------------------------------------------------------------------------- the page


def _section_bounds(text: str, heading: str) -> tuple[int, int] | None:
    """Start and end of the section opened by the line ``heading`` (up to the next ``## ``)."""
    lines = text.splitlines(keepends=True)
    pos, start = 0, None
    for line in lines:
        if start is None and line.rstrip("\n") == heading:
            start = pos
        elif start is not None and line.startswith("## "):
            return start, pos
        pos += len(line)
    return None if start is None else (start, len(text))


def owned_tail(text: str) -> str:
    """The sections other scripts own (from the first of ``OWNED_SECTIONS`` to the end)."""
    starts = [b[0] for h in OWNED_SECTIONS if (b := _section_bounds(text, h))]
    return text[min(starts) :] if starts else ""


def write_page_head(page: str, doc: Path = DOC) -> None:
    """``bench.py``'s part: replaces everything before the sections other scripts own."""
    old = doc.read_text(encoding="utf-8") if doc.exists() else ""
    tail = owned_tail(old)
    doc.write_text(page.rstrip() + "\n\n" + tail if tail else page.rstrip() + "\n", "utf-8")


def write_section(heading: str, body: str, doc: Path = DOC) -> None:
    """Replace the section ``heading`` (``body`` starts with it); a new one goes before the
    sections that follow it in ``OWNED_SECTIONS`` (Start-up stays last), else at the end."""
    old = doc.read_text(encoding="utf-8") if doc.exists() else ""
    body = body.rstrip() + "\n"
    bounds = _section_bounds(old, heading)
    if bounds is None:
        later = OWNED_SECTIONS[OWNED_SECTIONS.index(heading) + 1 :]
        found = [b[0] for h in later if (b := _section_bounds(old, h))]
        at = min(found) if found else len(old)
        bounds = (at, at)
    head, tail = old[: bounds[0]].rstrip(), old[bounds[1] :].lstrip()
    parts = [p for p in (head, body.rstrip(), tail.rstrip()) if p]
    doc.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
