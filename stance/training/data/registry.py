"""The one registry of data formats: format name → ``Adapter`` (one module per corpus).

``load_dataset(fmt, path)`` reads a file, or a directory through the format's file layout
(``default_paths``), so training, evaluation and ``stance data prepare`` read the same
documents. ``split``: files with a split in their name or column keep the rows of that split;
corpora shipped as one part (X-Stance, E-FRA) are divided by their adapter's ``split``.

Adding a corpus: one module defining ``ADAPTERS`` (see ``base.Adapter``) and its name in
``_CORPORA``.
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path

from stance.doc import Document
from stance.training.data.base import Adapter

_CORPORA = (  # modules of this package, each defining ADAPTERS; their order is FORMATS'
    "pe_fr",
    "xstance",
    "efra",
    "fewshot",
    "abstrct",
    "jsonl",
    # cross-lingual sets ($STANCE_DATA_DIR/xling)
    "perspectrum",
    "ibm_claim_stance",
    "ukp_sentential",
    "ibm_evidence",
    "semeval2016",
    "vast",
    "iam",
    "catalonia",
    "xnli",
    "fr_nli",
    "negation_nli",
)
ADAPTERS: dict[str, Adapter] = {
    a.name: a for name in _CORPORA for a in import_module(f"{__package__}.{name}").ADAPTERS
}
FORMATS = tuple(ADAPTERS)
REPO_ROOT = Path(__file__).resolve().parents[3]


def adapter(fmt: str) -> Adapter:
    """The adapter of a format name; ``ValueError`` naming the known ones otherwise."""
    if fmt not in ADAPTERS:
        raise ValueError(f"unknown data format {fmt!r}; choose from {', '.join(FORMATS)}")
    return ADAPTERS[fmt]


def data_dir() -> Path:
    """``$STANCE_DATA_DIR``, else ``../shared/data`` next to the repository."""
    env = os.environ.get("STANCE_DATA_DIR")
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"STANCE_DATA_DIR={env} is not a directory")
        return path
    default = REPO_ROOT.parent / "shared" / "data"
    if default.is_dir():
        return default
    raise FileNotFoundError(
        "no research data found: set STANCE_DATA_DIR to the folder holding pe_fr/, xstance/, "
        f"efra/, fewshot/, abstrct_fr/ and xling/ (default {default})"
    )


def default_paths(fmt: str, split: str | None = None, root: str | Path | None = None) -> list[Path]:
    """The files of ``fmt`` under ``root``: all, or those of ``split`` where it has its own.

    ``root`` is the data directory (default ``data_dir()``) or the format's own folder.
    """
    spec = adapter(fmt)
    base = Path(root) if root is not None else data_dir()
    if spec.folder and (base / spec.folder).is_dir():
        base = base / spec.folder
    if split is not None and split in spec.files:
        patterns = spec.files[split]
    else:
        patterns = tuple(p for group in spec.files.values() for p in group)
    return [p for pattern in patterns for p in sorted(base.glob(pattern))]


def load_dataset(
    fmt: str,
    path: str | Path,
    *,
    split: str | None = None,
    encoding_errors: str = "strict",
) -> list[Document]:
    """Gold documents of ``fmt`` from a file, or from a directory (its ``default_paths``).

    Raises ``DataError`` (a ``ValueError``) for malformed data, naming the file and line (and
    the byte offset for undecodable bytes), ``FileNotFoundError`` when nothing matches ``path``.
    """
    spec = adapter(fmt)
    path = Path(path)
    files = [path] if path.is_file() else default_paths(fmt, split, path) if path.is_dir() else []
    if not files:
        raise FileNotFoundError(f"{path}: no {fmt} data file there")
    docs = [doc for f in files for doc in spec.read(f, encoding_errors)]
    if split is None:
        return docs
    if spec.split is not None:
        return spec.split(docs, split, path if path.is_dir() else path.parent)
    return [d for d in docs if d.meta.get("split") == split]
