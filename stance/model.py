"""Load task checkpoints and turn text into probabilities.

A *part* is one task model in a directory: either a standard ``save_pretrained`` checkpoint
(``config.json`` + safetensors) or a compact PEFT adapter on top of a base encoder
(``adapter_config.json``), which is how the shipped default stays under its size budget.
Each part carries ``stance_part.json`` (task, labels, input settings). Only safetensors are
ever loaded: no pickle, no ``torch.load``.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from stance.tasks import CONTEXT_CHARS

PART_FILE = "stance_part.json"
TOKEN_TASKS = ("span",)


class ModelError(RuntimeError):
    """A model directory is missing, corrupted or of the wrong kind; the message names the file."""


@dataclass(frozen=True)
class PartInfo:
    """What a task checkpoint needs at inference time, saved next to its weights."""

    task: str
    labels: tuple[str, ...]
    base: str
    max_length: int = 256
    context: int = 0
    merge_majorclaim: bool = True
    temperature: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def context_chars(self) -> int:
        """Characters of context per side the part was trained with (parts saved before it was
        an option used the default)."""
        return int(self.extra.get("context_chars", CONTEXT_CHARS))

    def save(self, directory: Path) -> None:
        data = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}
        (directory / PART_FILE).write_text(json.dumps(data, indent=2, ensure_ascii=False))

    @classmethod
    def load(cls, directory: Path) -> PartInfo:
        path = directory / PART_FILE
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise ModelError(f"{path}: not valid JSON ({exc})") from exc
            try:
                data["labels"] = tuple(data["labels"])
                return cls(**data)
            except (KeyError, TypeError) as exc:
                raise ModelError(
                    f"{path}: not a part manifest ({type(exc).__name__}: {exc})"
                ) from exc
        return _info_from_hf_config(directory)


def _info_from_hf_config(directory: Path) -> PartInfo:
    """A plain transformers checkpoint without our manifest (e.g. from ``stance export hf``)."""
    path = directory / "config.json"
    if not path.exists():
        raise ModelError(f"{directory}: neither {PART_FILE} nor config.json found")
    cfg = json.loads(path.read_text(encoding="utf-8"))
    id2label = cfg.get("id2label") or {}
    labels = tuple(str(id2label[k]).lower() for k in sorted(id2label, key=int))
    arch = " ".join(cfg.get("architectures") or [])
    task = "span" if "TokenClassification" in arch else cfg.get("stance_task", "component")
    return PartInfo(task=task, labels=labels, base=str(directory))


def _check_weights(directory: Path) -> None:
    if not directory.is_dir():
        raise ModelError(f"model directory not found: {directory}")
    names = {p.name for p in directory.iterdir()}
    if not any(n.endswith(".safetensors") for n in names):
        pickles = sorted(n for n in names if n.endswith((".bin", ".pt", ".pth", ".pkl")))
        hint = (
            f" (found pickle weights {pickles}: refused, convert to safetensors)" if pickles else ""
        )
        raise ModelError(f"{directory}: no *.safetensors weights{hint}")
    from safetensors import SafetensorError, safe_open

    for weights in sorted(directory.glob("*.safetensors")):
        try:
            with safe_open(str(weights), framework="pt"):
                pass  # the header is parsed and checked against the file size here
        except (SafetensorError, OSError) as exc:
            raise ModelError(f"{weights}: corrupted safetensors file ({exc})") from exc


def load_part(directory: str | Path, device: str = "cpu") -> tuple[Any, Any, PartInfo]:
    """Open a task checkpoint (full or adapter) and its tokenizer, in eval mode."""
    from transformers import AutoTokenizer
    from transformers.utils import logging as hf_logging

    from stance.e5 import resolve_base

    path = Path(directory)
    _check_weights(path)
    info = PartInfo.load(path)
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the head is in the adapter: no "newly initialized" noise
    hf_logging.disable_progress_bar()
    try:
        if (path / "adapter_config.json").exists():
            model = adapter_model(path, info).merge_and_unload()
            has_tokenizer = (path / "tokenizer.json").exists()
            tok_dir = path if has_tokenizer else Path(resolve_base(info.base))
        else:
            model = _auto_class(info.task).from_pretrained(str(path), use_safetensors=True)
            tok_dir = path
        tokenizer = AutoTokenizer.from_pretrained(str(tok_dir))
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        raise ModelError(f"{path}: cannot load {info.task} model: {exc}") from exc
    finally:
        hf_logging.set_verbosity(verbosity)
        hf_logging.enable_progress_bar()
    model.to(device).eval()
    return model, tokenizer, info


def adapter_model(path: Path, info: PartInfo, trainable: bool = False) -> Any:
    """The base encoder (plus the fixed pooling layer, if any) carrying the LoRA adapter."""
    from peft import PeftModel

    from stance.e5 import resolve_base

    auto = _auto_class(info.task)
    kwargs = _label_kwargs(info.labels)
    model = auto.from_pretrained(resolve_base(info.base), use_safetensors=True, **kwargs)
    if info.extra.get("mean_pool"):  # fixed layer, rebuilt rather than stored
        from stance.pooling import add_mean_pool_layer

        add_mean_pool_layer(model)
    with warnings.catch_warnings():  # peft's deprecation chatter, not the user's concern
        warnings.simplefilter("ignore", FutureWarning)
        return PeftModel.from_pretrained(model, str(path), is_trainable=trainable)


def _auto_class(task: str) -> Any:
    from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

    return (
        AutoModelForTokenClassification
        if task in TOKEN_TASKS
        else AutoModelForSequenceClassification
    )


def _label_kwargs(labels: tuple[str, ...]) -> dict[str, Any]:
    return {
        "num_labels": len(labels),
        "id2label": dict(enumerate(labels)),
        "label2id": {label: i for i, label in enumerate(labels)},
    }


def window_stride(max_length: int, stride: int = 32) -> int:
    """Overlap between windows; must stay well below the room left for the long side."""
    return max(1, min(stride, max_length // 4))


def short_side_budget(max_length: int) -> int:
    """Most tokens the short side of a pair (context, target) may take."""
    stride = window_stride(max_length)
    return max(4, max_length - 3 - stride - max(8, max_length // 8))


def cap_tokens(tokenizer: Any, texts: list[str], budget: int) -> list[str]:
    """Shorten texts over ``budget`` tokens to their head and tail (cut at token offsets).

    The windowed side of a pair needs room; the other side (context or target) is trimmed
    so that windows over the long side always fit.
    """
    if not texts:
        return []
    enc = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True)
    out = []
    for text, offsets in zip(texts, enc["offset_mapping"], strict=True):
        if len(offsets) <= budget:
            out.append(text)
            continue
        half = budget // 2
        head = text[: offsets[half - 1][1]]
        tail = text[offsets[len(offsets) - (budget - half - 1)][0] :]
        out.append(f"{head} … {tail}")
    return out


def _trim_padding(enc: dict[str, Any], side: str = "right") -> dict[str, Any]:
    """Drop columns that are padding in every row.

    With ``return_overflowing_tokens`` the tokenizer pads every row to ``max_length``; for
    short sentences that tripled the work. Outputs are unchanged (padding is masked).
    """
    if side != "right":
        return enc
    mask = enc["attention_mask"]
    width = int(mask.sum(dim=1).max()) if mask.numel() else 0
    return {k: (v[:, :width] if hasattr(v, "dim") and v.dim() == 2 else v) for k, v in enc.items()}


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / max(temperature, 1e-6)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class PairClassifier:
    """Sentence or (first, second) pair → class logits, with overlapping windows when too long.

    ``long_side`` says which segment may be windowed: the sentence for roles (context is
    trimmed beforehand), the text for stance (the target is short).
    """

    def __init__(self, model: torch.nn.Module, tokenizer: Any, info: PartInfo) -> None:
        self.model, self.tokenizer, self.info = model, tokenizer, info

    @property
    def labels(self) -> tuple[str, ...]:
        return self.info.labels

    def logits(
        self,
        first: list[str],
        second: list[str] | None = None,
        *,
        long_side: str = "first",
        batch_size: int = 16,  # sentences per forward: faster than 32 on CPU (less padding)
    ) -> tuple[np.ndarray, list[bool]]:
        """Mean logits over each input's windows, and whether it needed more than one."""
        n = len(first)
        if n == 0:
            return np.zeros((0, len(self.labels)), dtype=np.float32), []
        max_len = self.info.max_length
        if second is not None:
            budget = short_side_budget(max_len)
            if long_side == "first":
                second = cap_tokens(self.tokenizer, second, budget)
            else:
                first = cap_tokens(self.tokenizer, first, budget)
        out = np.zeros((n, len(self.labels)), dtype=np.float32)
        windowed = [False] * n
        order = sorted(range(n), key=lambda i: len(first[i]) + len(second[i] if second else ""))
        for lo in range(0, n, batch_size):
            idx = order[lo : lo + batch_size]
            a = [first[i] for i in idx]
            b = [second[i] for i in idx] if second is not None else None
            enc = self.tokenizer(
                a,
                b,
                truncation="only_first"
                if (b is not None and long_side == "first")
                else ("only_second" if b is not None else True),
                max_length=max_len,
                stride=window_stride(max_len),
                return_overflowing_tokens=True,
                padding=True,
                return_tensors="pt",
            )
            owner = enc.pop("overflow_to_sample_mapping").tolist()
            enc.pop("offset_mapping", None)
            with torch.inference_mode():
                logits = (
                    self.model(**_trim_padding(dict(enc), self.tokenizer.padding_side))
                    .logits.float()
                    .numpy()
                )
            sums = np.zeros((len(idx), logits.shape[1]), dtype=np.float32)
            counts = np.zeros(len(idx), dtype=np.float32)
            for row, j in enumerate(owner):
                sums[j] += logits[row]
                counts[j] += 1
            for j, i in enumerate(idx):
                out[i] = sums[j] / counts[j]
                windowed[i] = counts[j] > 1
        return out, windowed

    def proba(self, first: list[str], second: list[str] | None = None, **kw: Any) -> np.ndarray:
        logits, _ = self.logits(first, second, **kw)
        return softmax(logits, self.info.temperature)


class TokenTagger:
    """Words → per-word BIO probabilities; long paragraphs are cut into overlapping windows."""

    def __init__(self, model: torch.nn.Module, tokenizer: Any, info: PartInfo) -> None:
        self.model, self.tokenizer, self.info = model, tokenizer, info

    @property
    def labels(self) -> tuple[str, ...]:
        return self.info.labels

    def word_proba(self, docs_words: list[list[str]], batch_size: int = 16) -> list[np.ndarray]:
        """For each document, a (n_words, n_tags) array averaged over the windows seeing it."""
        k = len(self.labels)
        sums = [np.zeros((len(w), k), dtype=np.float32) for w in docs_words]
        counts = [np.zeros(len(w), dtype=np.float32) for w in docs_words]
        # longest first, so each batch pads to similar lengths (results are stored per document)
        todo = sorted((i for i, w in enumerate(docs_words) if w), key=lambda i: -len(docs_words[i]))
        for lo in range(0, len(todo), batch_size):
            idx = todo[lo : lo + batch_size]
            enc = self.tokenizer(
                [docs_words[i] for i in idx],
                is_split_into_words=True,
                truncation=True,
                max_length=self.info.max_length,
                stride=window_stride(
                    self.info.max_length, self.info.extra.get("window_stride", 32)
                ),
                return_overflowing_tokens=True,
                padding=True,
                return_tensors="pt",
            )
            owner = enc["overflow_to_sample_mapping"].tolist()
            word_ids = [enc.word_ids(r) for r in range(len(owner))]
            inputs = {k_: enc[k_] for k_ in ("input_ids", "attention_mask")}
            inputs = _trim_padding(inputs, self.tokenizer.padding_side)
            with torch.inference_mode():
                probs = softmax(self.model(**inputs).logits.float().numpy(), self.info.temperature)
            for row, j in enumerate(owner):
                doc = idx[j]
                seen: set[int] = set()
                for pos, wid in enumerate(word_ids[row]):
                    if wid is None or wid in seen:
                        continue
                    seen.add(wid)
                    sums[doc][wid] += probs[row, pos]
                    counts[doc][wid] += 1
        return [s / np.maximum(c, 1)[:, None] for s, c in zip(sums, counts, strict=True)]
