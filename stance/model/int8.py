"""int8 linear layers whose output for a token does not depend on the rest of the batch.

Why not ``torch.ao.quantization.quantize_dynamic``: it quantises a layer's whole input with one
scale, the largest value in the batch. A sentence's scores then depend on which sentences share
its batch (labelling one article alone, in a corpus, after a resume or on Ray gave different
labels; docs/research-log.md, "int8 per token"). Here every row (token) gets its own scale:

    x_q = round(x / s_x),  s_x = max|x_row| / 127          (per token, symmetric)
    W_q = round(W / s_w),  s_w = max|W_row| / 127          (per output channel, symmetric)
    y   = (x_q · W_qᵀ) · s_x · s_w + b                     (int8 × int8 → int32 matmul)

The matmul is ``torch._int_mm`` (oneDNN int8 on CPU). Per-token and per-channel scales are also
closer to fp32 than one scale per batch and per tensor.
"""

from __future__ import annotations

import torch

QMAX = 127.0


class RowInt8Linear(torch.nn.Module):
    """A frozen ``nn.Linear`` with int8 weights and per-token int8 activations."""

    weight_q: torch.Tensor  # (out, in) int8
    weight_scale: torch.Tensor  # (out,) float32
    bias: torch.Tensor | None

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        weight = linear.weight.detach().float()
        scale = weight.abs().amax(dim=1).clamp_min(1e-12) / QMAX
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.register_buffer("weight_q", torch.round(weight / scale[:, None]).to(torch.int8))
        self.register_buffer("weight_scale", scale)
        bias = linear.bias.detach().float().clone() if linear.bias is not None else None
        self.register_buffer("bias", bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = x.shape
        rows = x.reshape(-1, self.in_features).float()
        row_scale = rows.abs().amax(dim=1, keepdim=True).clamp_min(1e-12) / QMAX
        rows_q = torch.round(rows / row_scale).to(torch.int8)
        # weight_q.t() is a column-major view: the layout oneDNN's int8 kernel wants
        out = torch._int_mm(rows_q, self.weight_q.t()).float().mul_(row_scale)
        if self.bias is None:
            out.mul_(self.weight_scale)
        else:
            torch.addcmul(self.bias, out, self.weight_scale, out=out)
        return out.reshape(*shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, int8 per token"


def quantize_rows(model: torch.nn.Module, keep: tuple[str, ...] = ()) -> torch.nn.Module:
    """Replace every ``nn.Linear`` of ``model`` (in place) but those named in ``keep``."""
    for name, module in list(model.named_modules()):
        for child_name, child in list(module.named_children()):
            full = f"{name}.{child_name}" if name else child_name
            if type(child) is torch.nn.Linear and full not in keep:
                setattr(module, child_name, RowInt8Linear(child))
    return model
