"""Where ``stance label`` runs the pipeline: in this process, or on Ray Data.

Both engines expose the one method :func:`stance.batch.label.label_corpus` needs,
``process(docs) -> docs``, so reading, resuming, the progress bar and the writers (one record
per input document, in input order) are the same code whatever the engine.

The Ray engine sends each chunk of documents (``window`` of them) through
``ray.data.from_items → map_batches`` with a pool of actors, each holding a loaded
:class:`~stance.pipeline.Pipeline`, and puts the results back in input order. Actors are
started per chunk: a window of a few thousand documents keeps model loading (seconds) small
next to the labelling (minutes), and the driver never holds more than one window in memory.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from stance.doc import Document
from stance.model.backends import physical_cores, set_threads
from stance.pipeline.config import DOC_BATCH
from stance.pipeline.pipeline import load

ENGINES = ("local", "ray")
DEFAULT_WINDOW = 2048


class _Labeler:
    """A Ray actor: loads the pipeline once, then labels batches of documents.

    Documents travel pickled (an Arrow binary column) between this package's own processes:
    frozen dataclasses round-trip exactly, so Ray records equal local ones byte for byte.
    """

    def __init__(self, model: str | None, backend: str, quantize: str | None, threads: int):
        set_threads(threads)
        self.nlp = load(model, backend=backend, quantize=quantize)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        docs = [pickle.loads(raw) for raw in batch["doc"]]
        done = self.nlp.process(docs)
        return {"pos": batch["pos"], "doc": np.array([pickle.dumps(d) for d in done], object)}


class RayEngine:
    """Runs :meth:`Pipeline.process` on a Ray actor pool; a drop-in ``nlp`` for label_corpus."""

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        backend: str = "torch",
        quantize: str | None = "auto",
        actors: int = 1,
        threads: int | None = None,
        batch_size: int = DOC_BATCH,
    ) -> None:
        load(model, backend=backend, quantize=quantize)  # bad paths fail here, not in an actor
        if actors < 1:
            raise ValueError(f"--actors must be at least 1, got {actors}")
        # actors may run elsewhere (another cwd, another machine): pass absolute local paths
        path = Path(model) if model else None
        self.model = (
            str(path.resolve()) if path and path.exists() else (str(model) if model else None)
        )
        self.backend, self.quantize = backend, quantize
        self.actors, self.batch_size = actors, batch_size
        self.threads = threads or max(1, physical_cores() // actors)
        self._started = False

    def __enter__(self) -> RayEngine:
        import ray

        if not ray.is_initialized():
            # a RAY_ADDRESS in the environment joins that cluster; otherwise a local instance
            ray.init(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
            self._started = True
        # Ray Data logs an INFO line per window and a notice about progress bars; the user can
        # still ask for them with RAY_DATA_LOG_LEVEL
        os.environ.setdefault("RAY_DATA_LOG_LEVEL", "ERROR")
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False  # label_corpus shows its own
        ctx.print_on_execution_start = False
        return self

    def __exit__(self, *exc: object) -> None:
        import ray

        if self._started:
            ray.shutdown()
            self._started = False

    def process(self, docs: list[Document]) -> list[Document]:
        """Label ``docs`` on the actor pool; the result is in the order of ``docs``."""
        import ray

        if not docs:
            return []
        rows = [{"pos": i, "doc": pickle.dumps(d)} for i, d in enumerate(docs)]
        blocks = min(len(rows), max(self.actors, -(-len(rows) // self.batch_size)))
        # one block per batch: otherwise a small window is one block, i.e. one busy actor
        ds = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            _Labeler,
            fn_constructor_kwargs={
                "model": self.model,
                "backend": self.backend,
                "quantize": self.quantize,
                "threads": self.threads,
            },
            batch_size=self.batch_size,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=min(self.actors, blocks)),
            num_cpus=self.threads,
        )
        out: list[Any] = [None] * len(docs)
        for row in ds.iter_rows():
            out[int(row["pos"])] = pickle.loads(row["doc"])
        return out


@contextlib.contextmanager
def open_engine(
    engine: str,
    model: str | Path | None = None,
    *,
    backend: str = "torch",
    quantize: str | None = "auto",
    threads: int | None = None,
    actors: int = 1,
    batch_size: int = DOC_BATCH,
    window: int = DEFAULT_WINDOW,
) -> Iterator[tuple[Any, int]]:
    """``(nlp, chunk size)`` for :func:`~stance.label.label_corpus`, on the chosen engine."""
    if engine == "local":
        set_threads(threads)
        yield load(model, backend=backend, quantize=quantize), batch_size
    elif engine == "ray":
        ray_engine = RayEngine(
            model,
            backend=backend,
            quantize=quantize,
            actors=actors,
            threads=threads,
            batch_size=batch_size,
        )
        with ray_engine:
            yield ray_engine, window
    else:
        raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
