"""The e5 word embeddings in their 4-bit source form give the float32 matrix's very values."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from stance.model.e5_file import BLOCK, QK, dequantize
from stance.model.packed import BASE_WORDS, Q4Embedding


def _blocks(rows: int, dim: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    blocks = np.zeros(rows * dim // QK, dtype=BLOCK)
    blocks["d"] = rng.normal(size=len(blocks)).astype(np.float16)
    blocks["qs"] = rng.integers(0, 256, size=(len(blocks), QK // 2), dtype=np.uint8)
    return blocks.view(np.uint8)


def test_rows_unpack_to_the_dequantised_matrix() -> None:
    rows, dim = 50, 96
    raw = _blocks(rows, dim)
    matrix = torch.from_numpy(dequantize(raw, rows * dim).reshape(rows, dim))
    emb = Q4Embedding.from_blocks(raw, rows)
    ids = torch.tensor([[3, 0, 49], [7, 7, 12]])
    out = emb(ids)
    assert out.shape == (2, 3, dim) and out.dtype == torch.float32
    assert torch.equal(out, matrix[ids])


def test_mismatched_blocks_are_refused() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        Q4Embedding(
            torch.zeros(4, 3, dtype=torch.float16), torch.zeros(4, 2, 16, dtype=torch.uint8)
        )


@pytest.mark.slow
def test_the_int8_default_reads_packed_embeddings_with_fp32_values() -> None:
    """The shipped default under int8 swaps its word embeddings for the packed ones, shared by
    its parts, and they hold the offline base's float32 matrix exactly."""
    from stance.model.adapters import shared_base
    from stance.model.e5 import E5_OFFLINE, resolve_base
    from stance.pipeline.pipeline import load

    nlp = load(None, quantize="int8")
    parts = [nlp.tagger, nlp.component, nlp.span, nlp.stance_model]
    words = [p.model.base_model.embeddings.word_embeddings for p in parts if p is not None]
    assert len(words) >= 2 and all(isinstance(w, Q4Embedding) for w in words)
    assert all(w is words[0] for w in words)
    matrix = shared_base(resolve_base(E5_OFFLINE))[BASE_WORDS]
    ids = torch.arange(0, matrix.shape[0], 997)
    assert torch.equal(words[0](ids), matrix[ids])
