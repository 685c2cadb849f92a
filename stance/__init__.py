"""stance — argument mining and stance classification for French.

    >>> import stance
    >>> text = "Il faut taxer le kérosène. Les avions polluent."
    >>> doc = stance.predict(text, target="Il faut taxer l'aviation")
    >>> [(s.text, s.role, s.stance) for s in doc.sentences]

Models load lazily, on the first call, once per process (nothing heavy happens at import).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from stance.doc import DocStance, Document, Sentence, Span

if TYPE_CHECKING:
    from stance.pipeline.pipeline import Pipeline

__all__ = ["Document", "DocStance", "Sentence", "Span", "load", "predict"]
__version__ = "0.1.0"


def load(
    model: str | Path | None = None, *, backend: str = "torch", quantize: str | None = "auto"
) -> Pipeline:
    """A pipeline: ``None`` = the shipped default, else a pipeline dir or task checkpoint.

    ``quantize="auto"`` runs as the pipeline's manifest says (the shipped default: int8 weights,
    its dev scores within noise of fp32, see docs/benchmarks.md); ``backend="fp32"`` or
    ``quantize=None`` runs plain fp32, ``backend="onnx"`` ONNX Runtime.
    """
    from stance.pipeline.pipeline import load as _load

    return _load(model, backend=backend, quantize=quantize)


@lru_cache(maxsize=1)
def _default() -> Pipeline:
    return load(None)


def predict(text: str, target: str | None = None) -> Document:
    """Label one text with the shipped default model (loaded once per process)."""
    return _default()(text, target=target)
