"""Keep a long labelling run's memory flat: small feed-forward calls, freed memory handed back.

Each transformer layer's feed-forward block widens every token to four times the hidden size
(1,536 floats for e5-small); over a batch of 16 × 200 tokens that is 20 MB a tensor, and the
int8 layers make three more of that size. glibc serves such sizes from the heap, where batches
of other shapes leave holes: five runs of the same 600-document ``stance label`` peaked
anywhere between 1,078 and 1,296 MiB. ``chunk_feed_forward`` runs the block on ``FFN_ROWS``
tokens at a time (every op in it is per token, so the outputs do not change): 839–882 MiB with
the compact tokenizer, no slower (docs/research-log.md, "The tokenizer's memory, and the
feed-forward block in chunks").

glibc's ``malloc`` keeps the memory of freed tensors for reuse, and with every batch of another
shape the heap fragments: labelling 3,000 documents grew the anonymous memory of ``stance label``
from 0.85 GB to 1.24 GB. ``malloc_trim(0)`` releases the free pages; called every 128
sentences it keeps the process flat (0.70 GB) for about 20 ms a call (docs/benchmarks.md,
"Scale"). Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable
from typing import Any

import torch

EVERY = 128  # sentences between two trims
FFN_ROWS = 512  # tokens per feed-forward call: 512 × 1,536 floats = 3 MB a tensor


def chunk_feed_forward(model: torch.nn.Module, rows: int = FFN_ROWS) -> int:
    """Run the feed-forward block of every BERT-style layer of ``model`` (one with
    ``feed_forward_chunk``, ``intermediate`` and ``output``) on at most ``rows`` tokens at a
    time, in place; returns the number of layers changed."""
    changed = 0
    for module in model.modules():
        if all(hasattr(module, a) for a in ("feed_forward_chunk", "intermediate", "output")):
            setattr(module, "feed_forward_chunk", _in_chunks(module, rows))  # noqa: B010
            changed += 1
    return changed


def _in_chunks(layer: torch.nn.Module, rows: int) -> Callable[[torch.Tensor], torch.Tensor]:
    intermediate: Any = layer.intermediate
    output: Any = layer.output

    def feed_forward_chunk(attention_output: torch.Tensor) -> torch.Tensor:
        flat = attention_output.reshape(-1, attention_output.shape[-1])
        parts = [output(intermediate(x), x) for x in flat.split(rows)]
        return torch.cat(parts).reshape(attention_output.shape)

    return feed_forward_chunk


@functools.lru_cache(maxsize=1)
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def trim() -> bool:
    """Release the heap's free pages; False where the C library has no ``malloc_trim``."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


class Trimmer:
    """Calls :func:`trim` once ``every`` sentences have been labelled since the last call."""

    def __init__(self, every: int = EVERY) -> None:
        self.every = every
        self.pending = 0

    def add(self, sentences: int) -> bool:
        """Count ``sentences`` just labelled; True when this call trimmed."""
        self.pending += sentences
        if self.pending < self.every:
            return False
        self.pending = 0
        return trim()
