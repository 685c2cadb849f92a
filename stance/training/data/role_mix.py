"""The roles genre mix of a recipe's ``[role_mix]`` table (``RoleMixConfig``).

What trains: the run's own roles data (by default the PE-FR essays, paragraphs and sentence
table, in full: genre ``essay``), plus for each source named in ``sources`` a seeded share of
its **train** rows (``take_share``: 0.2 = a fifth, 1.5 = one copy and half another). Each row
carries ``meta["source"]``, ``meta["genre"]`` and ``meta["language"]``. The run's dev set is
unchanged; a source is read from its train file only, a row whose ``split`` is not ``train``
is dropped as well, and so is a train row whose text is also in the set's dev part (IAM, UKP
and AbstRCT-FR repeat a few sentences across their splits: 17, 33 and 15): dev rows never
train, nor copies of them.

How each source reads as claim / premise / none (the adapters' docstrings say why; a row whose
gold allows several roles trains on the partial-label loss, ``trainer.mixed_loss``):

=================  ========  ==================================================================
source             genre     roles
=================  ========  ==================================================================
``ukp-sentential`` web       argument → claim|premise (partial); NoArgument → none (en)
``iam-claims``     debate    claim: the claim sentences of IAM's stance train file, every one
                             ``claim_label`` C (the claims file itself is dev only) (en)
``ibm-evidence``   evidence  evidence (label 1) → premise; label 0 → claim|none (partial) (en)
``abstrct``        medical   the sentence's role from its spans: claim / premise / none (fr)
=================  ========  ==================================================================

Rows of these sets are single sentences, so with ``context`` > 0 their context is
``[début] [phrase] [fin]``, as for the PE-FR sentence table.
"""

from __future__ import annotations

import logging
import random
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from stance.doc import ROLES, Document
from stance.training.config import ROLE_MIX_SOURCES, RoleMixConfig
from stance.training.data import iam
from stance.training.data.base import DataWarning
from stance.training.data.registry import FORMATS, adapter, default_paths, load_dataset
from stance.training.data.rows import read_rows
from stance.training.data.transfer import source_seed, take_share

log = logging.getLogger(__name__)

# source or data format → genre (the run's own data included: PE-FR essays)
GENRES = {
    "pe-fr-bio": "essay",
    "pe-fr-sentences": "essay",
    "ukp-sentential": "web",
    "iam-claims": "debate",
    "ibm-evidence": "evidence",
    "abstrct": "medical",
}
Key = tuple[str, str, str, str]  # source, genre, language, label (``claim|premise``: partial)


def _iam_claims(root: Path) -> list[Document]:
    """IAM's claim sentences: its stance train file read as claim detection rows (all C)."""
    files = default_paths("iam-stance", "train", root)
    if not files:
        raise FileNotFoundError(f"{root}: no IAM stance train file (iam-claims)")
    return [d for path in files for d in read_rows(path, "strict", iam.CLAIMS)]


def _train_part(fmt: str) -> Callable[[Path], list[Document]]:
    return lambda root: load_dataset(fmt, root, split="train")


READERS: dict[str, Callable[[Path], list[Document]]] = {  # source → its train rows
    "ukp-sentential": _train_part("ukp-sentential"),
    "iam-claims": _iam_claims,
    "ibm-evidence": _train_part("ibm-evidence"),
    "abstrct": _train_part("abstrct"),
}


def build_role_mix(train: Sequence[Document], mix: RoleMixConfig, root: Path) -> list[Document]:
    """The run's roles training rows with the ``[role_mix]`` sources added, every row tagged."""
    chosen: list[Document] = []
    for name in ROLE_MIX_SOURCES:  # a fixed order: the same table gives the same rows
        if name in mix.sources:
            rows = source_rows(name, root, mix.partial_rows)
            chosen += take_share(rows, mix.sources[name], source_seed(mix.seed, name))
    if mix.max_rows and len(chosen) > mix.max_rows:
        keep = sorted(random.Random(mix.seed).sample(range(len(chosen)), mix.max_rows))
        chosen = [chosen[i] for i in keep]
    out = [tag(d) for d in train] + chosen
    for (source, genre, _, label), n in sorted(row_counts(out).items()):
        log.info("role mix: %s (%s) %s: %d", source, genre, label, n)
    return out


def source_rows(name: str, root: Path, partial: bool = True) -> list[Document]:
    """A source's train rows with a role or a role set, tagged (``partial``: keep role sets);
    rows whose text is also in the set's dev part are left out."""
    held = dev_texts(name, root)
    rows = [d for d in READERS[name](root) if d.meta.get("split") == "train"]  # never dev/test
    rows = [d for d in rows if any(s.role for s in d.sentences) or d.meta.get("role_labels")]
    rows = [d for d in rows if d.text.strip() not in held]
    if not partial:
        rows = [d for d in rows if len(d.meta.get("role_labels") or ()) < 2]
    return [tag(d, name) for d in rows]


def dev_texts(name: str, root: Path) -> set[str]:
    """The texts of the dev part of a source's data format (none for IBM evidence, which
    ships no dev; IAM's claims dev holds its stance dev sentences too)."""
    fmt = name  # every source is a data format of the registry
    if "dev" not in adapter(fmt).files or not default_paths(fmt, "dev", root):
        return set()
    with warnings.catch_warnings():  # the AbstRCT dev file's defects are `stance data stats`'
        warnings.simplefilter("ignore", DataWarning)
        docs = load_dataset(fmt, root, split="dev", encoding_errors="replace")
    return {d.text.strip() for d in docs}


def tag(doc: Document, source: str | None = None) -> Document:
    """``doc`` with its ``source``, ``genre`` and ``language`` in ``meta``."""
    meta = {**doc.meta, "source": source} if source else dict(doc.meta)
    meta["source"], meta["genre"], meta["language"] = origin(replace(doc, meta=meta))
    return replace(doc, meta=meta)


def origin(doc: Document) -> tuple[str, str, str]:
    """(source, genre, language) of a row: its ``meta``, else read from its id's format."""
    prefix = doc.id.partition(":")[0]
    source = str(doc.meta.get("source") or (prefix if prefix in FORMATS else "data"))
    genre = doc.meta.get("genre") or GENRES.get(source, "other")
    fmt_language = adapter(source).language if source in FORMATS else None
    return source, str(genre), str(doc.meta.get("language") or fmt_language or "?")


def role_labels(doc: Document) -> list[str]:
    """The roles a row trains on: its sentences' gold roles, else the roles its gold allows
    (``claim|premise``, in ``ROLES`` order, as ``encode.role_set_examples`` writes them)."""
    roles = [s.role for s in doc.sentences if s.role in ROLES]
    if roles or not doc.meta.get("role_labels"):
        return roles
    return ["|".join(r for r in ROLES if r in doc.meta["role_labels"])]


def row_counts(docs: Sequence[Document]) -> Counter[Key]:
    """Training sentences per (source, genre, language, roles) (``stance data stats --config``)."""
    return Counter((*origin(d), label) for d in docs for label in role_labels(d))
