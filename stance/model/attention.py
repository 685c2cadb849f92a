"""Attention that reads each sequence at its own length: a sentence's scores do not depend on
the sentences it is batched with.

With padding, PyTorch's attention kernel runs over the batch's longest length and the masked
keys change how it blocks the sums: a sentence's hidden states differ in the last bits from
the same sentence alone (2e-6 after the first layer). int8 layers round each token to 255
levels, so such bits sometimes cross a rounding step and grow through twelve layers: the same
document labelled in another corpus, after a resume or on a Ray actor got scores up to 0.05
apart, and now and then another label (docs/research-log.md, "Batch-invariant attention").

``unpadded_attention(model)`` makes every layer compute attention for the sequences of one
length together, without padding and without a mask, as if each sequence were alone. With the
int8 layers (the default) everything else is per token and exact (integer products), so a
sentence's outputs are the same bits alone and in any batch. fp32 matrix products still round
differently with the number of rows (oneDNN picks other kernels for few rows), at float
precision, with no rounding steps to grow it. A padding mask that is not a prefix of ones
(left padding, a mask of another shape) falls back to the standard kernel.
"""

from __future__ import annotations

from typing import Any, cast

import torch
from torch.nn import functional as F  # noqa: N812

NAME = "stance_unpadded"


def unpadded_attention(model: torch.nn.Module) -> bool:
    """Switch ``model`` (a transformers model) to :func:`attend`; False if it cannot use it."""
    from transformers import AttentionInterface
    from transformers.masking_utils import AttentionMaskInterface, sdpa_mask

    config = getattr(model, "config", None)
    if config is None or getattr(config, "_attn_implementation", None) not in ("sdpa", NAME):
        return False
    AttentionInterface.register(NAME, attend)
    AttentionMaskInterface.register(NAME, sdpa_mask)  # None without padding, else bool keep
    cast(Any, model).set_attn_implementation(NAME)
    return True


def key_lengths(mask: torch.Tensor | None, batch: int, length: int) -> list[int] | None:
    """Each sequence's number of real tokens, or None when ``mask`` is not right padding."""
    if mask is None:
        return [length] * batch
    if mask.dim() != 4 or mask.shape[0] != batch or mask.shape[-1] != length:
        return None
    keep = mask[:, 0, 0, :]
    keep = keep if keep.dtype == torch.bool else keep == 0  # additive float masks: 0 keeps
    lengths = keep.sum(dim=-1)
    prefix = torch.arange(length, device=keep.device)[None, :] < lengths[:, None]
    if not torch.equal(prefix, keep) or bool((lengths == 0).any()):
        return None
    # every query row of a real token must see the same keys (a padding mask, not another)
    if mask.shape[2] != 1 and not bool((mask[:, 0] == mask[:, 0, :1]).all()):
        return None
    return [int(n) for n in lengths]


def attend(
    module: torch.nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: torch.Tensor | None,
    dropout: float = 0.0,
    scaling: float | None = None,
    **kwargs: Any,
) -> tuple[torch.Tensor, None]:
    """Scaled dot-product attention per group of sequences of one length; query, key and value
    are (batch, heads, length, head size), the output (batch, length, heads, head size) with
    zeros at padded positions, as transformers' attention functions return it."""
    lengths = key_lengths(attention_mask, query.shape[0], key.shape[2])
    if lengths is None or query.shape[2] != key.shape[2]:
        out = F.scaled_dot_product_attention(
            query, key, value, attn_mask=attention_mask, dropout_p=dropout, scale=scaling
        )
        return out.transpose(1, 2).contiguous(), None
    out = query.new_zeros(query.shape)
    for n in sorted(set(lengths)):
        rows = [b for b, m in enumerate(lengths) if m == n]
        index = torch.tensor(rows, device=query.device)
        q, k, v = (t.index_select(0, index)[:, :, :n].contiguous() for t in (query, key, value))
        part = F.scaled_dot_product_attention(q, k, v, dropout_p=dropout, scale=scaling)
        out[index, :, :n] = part
    return out.transpose(1, 2).contiguous(), None
