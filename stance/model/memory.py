"""Hand freed memory back to the operating system between batches.

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
from typing import Any

EVERY = 128  # sentences between two trims


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
