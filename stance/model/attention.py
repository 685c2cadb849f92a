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

import itertools
from typing import Any, cast

import torch
from torch.nn import functional as F  # noqa: N812

NAME = "stance_unpadded"
ATTENTION_BYTES = 4 << 20  # attention weights made at once: 4 MB
PACKED = "stance_packed"  # set on the encoders packed_encoder changed


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


def _attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scale: float | None
) -> torch.Tensor:
    """softmax(q kᵀ · scale) v for sequences without padding, (batch, heads, n, size): two
    matrix products, 1.3-2.5× faster here than PyTorch's fused CPU kernel at these sizes
    (head size 32: docs/research-log.md, "Batch-invariant attention"). The (heads, n, n)
    weights are made for a few sequences at a time, at most ``ATTENTION_BYTES`` (one sequence
    at least), so long windows do not raise the peak memory of a run."""
    scale = q.shape[-1] ** -0.5 if scale is None else scale
    heads, n = q.shape[1], q.shape[2]
    rows = max(1, ATTENTION_BYTES // (heads * n * n * q.element_size()))
    parts = []
    for qs, ks, vs in zip(q.split(rows), k.split(rows), v.split(rows), strict=True):
        weights = torch.matmul(qs, ks.transpose(-1, -2)).mul_(scale).softmax(dim=-1)
        parts.append(torch.matmul(weights, vs))
    return parts[0] if len(parts) == 1 else torch.cat(parts)


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
    if lengths is None or query.shape[2] != key.shape[2] or dropout > 0:
        out = F.scaled_dot_product_attention(
            query, key, value, attn_mask=attention_mask, dropout_p=dropout, scale=scaling
        )
        return out.transpose(1, 2).contiguous(), None
    out = query.new_zeros(query.shape)
    for n, rows in _by_length(lengths):
        index = torch.tensor(rows, device=query.device)
        q, k, v = (t.index_select(0, index)[:, :, :n].contiguous() for t in (query, key, value))
        part = _attention(q, k, v, scaling)
        out[index, :, :n] = part
    return out.transpose(1, 2).contiguous(), None


# ---------------------------------------------------------------------------- packed encoder


def packed_encoder(model: torch.nn.Module) -> int:
    """Run every BERT-style encoder of ``model`` on its real tokens only, in place; returns the
    number of encoders changed.

    The linear layers, layer norms and feed-forward blocks read a (tokens, hidden) matrix of
    the batch's real tokens, padding left out (a sixth to a third of a batch's tokens, by the
    pipeline's benchmarks), and attention runs per group of sequences of one length as in
    :func:`attend`. With int8 layers every token's outputs are the same bits as in the padded
    batch. Training, hooks on the layers (``output_hidden_states``), cross-attention and masks
    that are not right padding go through the encoder's own forward."""
    changed = 0
    for module in model.modules():
        layers = getattr(module, "layer", None)
        if isinstance(layers, torch.nn.ModuleList) and len(layers) and all(map(_plain, layers)):
            setattr(module, "forward", _packed_forward(module, module.forward))  # noqa: B010
            setattr(module, PACKED, True)
            changed += 1
    return changed


def is_packed(model: Any) -> bool:
    """Whether ``model`` (any object) holds an encoder changed by :func:`packed_encoder`."""
    modules = getattr(model, "modules", None)
    return callable(modules) and any(getattr(m, PACKED, False) for m in modules())


def _plain(layer: torch.nn.Module) -> bool:
    """A self-attention encoder layer with the modules transformers' BERT family names."""
    attention: Any = getattr(layer, "attention", None)
    names = ("query", "key", "value", "scaling", "num_attention_heads", "attention_head_size")
    return (
        attention is not None
        and all(hasattr(getattr(attention, "self", None), n) for n in names)
        and hasattr(attention, "output")
        and hasattr(layer, "feed_forward_chunk")
        and not getattr(layer, "is_decoder", False)
    )


def _packed_forward(encoder: Any, original: Any) -> Any:
    def forward(
        hidden_states: torch.Tensor, attention_mask: torch.Tensor | None = None, **kwargs: Any
    ) -> Any:
        from transformers.modeling_outputs import BaseModelOutputWithPastAndCrossAttentions

        batch, length, hidden = hidden_states.shape
        lengths = key_lengths(attention_mask, batch, length)
        hooked = any(layer._forward_hooks or layer._forward_pre_hooks for layer in encoder.layer)
        if (
            lengths is None
            or hooked
            or encoder.training
            or torch.is_grad_enabled()
            or kwargs.get("encoder_hidden_states") is not None
            or kwargs.get("use_cache")
        ):
            return original(hidden_states, attention_mask=attention_mask, **kwargs)
        keep = torch.arange(length)[None, :] < torch.tensor(lengths)[:, None]
        x = hidden_states[keep]
        groups = _length_groups(lengths)
        for layer in encoder.layer:
            x = _packed_layer(layer, x, groups)
        out = hidden_states.new_zeros(batch, length, hidden)
        out[keep] = x
        return BaseModelOutputWithPastAndCrossAttentions(last_hidden_state=out)

    return forward


def _length_groups(lengths: list[int]) -> list[torch.Tensor]:
    """Per distinct length n, the packed row of each token of the sequences of that length:
    a (sequences, n) index into the (tokens, hidden) matrix."""
    starts = list(itertools.accumulate(lengths, initial=0))
    return [
        torch.tensor([starts[b] for b in rows])[:, None] + torch.arange(n)[None, :]
        for n, rows in _by_length(lengths)
    ]


def _by_length(lengths: list[int]) -> list[tuple[int, list[int]]]:
    """Each distinct length, shortest first, with the sequences that have it."""
    groups: dict[int, list[int]] = {}
    for b, n in enumerate(lengths):
        groups.setdefault(n, []).append(b)
    return sorted(groups.items())


def _packed_layer(layer: Any, x: torch.Tensor, groups: list[torch.Tensor]) -> torch.Tensor:
    """One encoder layer on packed tokens: what its forward computes for the real tokens."""
    sa = layer.attention.self
    tokens, heads, size = x.shape[0], sa.num_attention_heads, sa.attention_head_size
    q, k, v = (proj(x).view(tokens, heads, size) for proj in (sa.query, sa.key, sa.value))
    context = torch.empty_like(q)
    for index in groups:  # (sequences, n, heads, size) → (sequences, heads, n, size)
        qg, kg, vg = (t[index].transpose(1, 2).contiguous() for t in (q, k, v))
        context[index] = _attention(qg, kg, vg, sa.scaling).transpose(1, 2)
    attention_output = layer.attention.output(context.reshape(tokens, heads * size), x)
    return cast(torch.Tensor, layer.feed_forward_chunk(attention_output))
