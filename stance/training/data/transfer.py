"""The cross-lingual stance transfer mix of a recipe's ``[mix]`` table (``MixConfig``).

Which rows train: for each source named in ``sources``, a seeded share of its training rows
(``SOURCES``: the train part where a set has one; dev-only sets such as VAST, the negation
suites and RTE3-FR are whole). Rows without a gold stance (partial labels:
DACCORD *compatibles*, Hossain RTE *not_entailment*; CondaQA's free-text answers) are left
out. NLI rows read as stance with the hypothesis as target: entailment → favor,
contradiction → against, neutral → none (the adapters map them so).

XNLI only ships dev rows, the same pairs in fr/de/en/es (same ``idx``). ``xnli_heldout``
hashes each *premise* (three consecutive idx share one, one hypothesis per label) into a
training half and a held-out half: training takes the training half in all four languages,
and the French rows of the held-out half are the dev set "XNLI-fr held-out idx". No language
of a held-out pair, nor another hypothesis of its premise, ever trains.

The X-Stance / E-FRA / few-shot pool comes in from ``mix.stance_pool`` (its dev questions kept
out as there), tagged here with its ``source`` and target language.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from stance.doc import Document
from stance.training.config import MIX_SOURCES, MixConfig
from stance.training.data.registry import load_dataset

log = logging.getLogger(__name__)

POOL_SOURCES = ("xstance", "efra", "fewshot")  # from mix.stance_pool, not from a file here
# source → (registry format, load_dataset split: None = every file of the set)
SOURCES: dict[str, tuple[str, str | None]] = {
    "perspectrum": ("perspectrum", "train"),
    "ibm-claim-stance": ("ibm-claim-stance", "train"),
    "ukp-sentential": ("ukp-sentential", "train"),
    "semeval2016": ("semeval2016", "train"),
    "iam-stance": ("iam-stance", "train"),
    "vast": ("vast", "dev"),  # VAST's train part was not obtained: its dev rows train
    "catalonia": ("catalonia", "train"),
    "xnli": ("xnli", "dev"),  # training half of the idx (xnli_heldout)
    "fr-nli": ("fr-nli", None),  # RTE3-FR 3-way; DACCORD is partial (left out)
    "negation-nli": ("negation-nli", None),  # NaN, Hossain MNLI/SNLI, CondaQA; RTE partial
}
XNLI_HELDOUT = 0.5  # share of XNLI premises held out of training


def xnli_heldout(idx: int | str) -> bool:
    """Whether an XNLI pair is held out: a hash of its premise group (``idx // 3``)."""
    group = int(idx) // 3
    digest = hashlib.sha256(f"xnli-premise:{group}".encode()).hexdigest()
    return int(digest, 16) % 1000 < XNLI_HELDOUT * 1000


def write_xnli_heldout(path: Path) -> Path:
    """The French XNLI rows of the held-out premises, as an XNLI file the harness reads."""
    import json

    from stance.training.data.registry import data_dir

    source = data_dir() / "xling/xnli/dev.fr.jsonl"
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    kept = [line for line in lines if xnli_heldout(json.loads(line)["idx"])]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def xnli_halves(docs: Sequence[Document]) -> tuple[list[Document], list[Document]]:
    """(training rows in every language, French rows of the held-out half)."""
    train = [d for d in docs if not xnli_heldout(d.meta["group"])]
    dev = [d for d in docs if xnli_heldout(d.meta["group"]) and d.meta.get("language") == "fr"]
    return train, dev


def xnli_dev(root: Path) -> list[Document]:
    """The dev set "XNLI-fr held-out idx" (French rows whose premise never trains)."""
    return xnli_halves(load_dataset("xnli", root / "xling/xnli/dev.fr.jsonl"))[1]


def build_mix(
    pool_train: Sequence[Document], pool_dev: Sequence[Document], mix: MixConfig, root: Path
) -> tuple[list[Document], list[Document]]:
    """(train, dev) of a ``[mix]`` table. ``pool_*``: ``mix.stance_pool``'s rows."""
    pool = tag_pool(pool_train)
    chosen: list[Document] = []
    for name in MIX_SOURCES:  # a fixed order: the same table gives the same rows
        if name in mix.sources:
            rows = pool[name] if name in POOL_SOURCES else source_rows(name, root)
            chosen += take_share(rows, mix.sources[name], source_seed(mix.seed, name))
    if mix.max_rows and len(chosen) > mix.max_rows:
        keep = sorted(random.Random(mix.seed).sample(range(len(chosen)), mix.max_rows))
        chosen = [chosen[i] for i in keep]
    dev = list(pool_dev) + (xnli_dev(root) if mix.xnli_dev else [])
    for (source, language), n in sorted(row_counts(chosen).items()):
        log.info("mix: %s %s: %d rows", source, language, n)
    return chosen, dev


def source_rows(name: str, root: Path) -> list[Document]:
    """A source's training rows with a gold stance, tagged (``source``, ``topic`` for XNLI)."""
    fmt, split = SOURCES[name]
    docs = load_dataset(fmt, root, split=split)
    if name == "xnli":
        docs = [replace(d, meta={**d.meta, "topic": f"xnli-{int(d.meta['group']) // 3}"})
                for d in xnli_halves(docs)[0]]  # fmt: skip
    return [d for d in docs if d.stance is not None and d.target]


def tag_pool(docs: Sequence[Document]) -> dict[str, list[Document]]:
    """The stance pool's rows by source, each with ``source`` and ``language`` in its meta."""
    out: dict[str, list[Document]] = {name: [] for name in POOL_SOURCES}
    for d in docs:
        if d.stance is None or not d.target:
            continue
        source = (
            "fewshot" if "dataset" in d.meta else "efra" if "target_name" in d.meta else "xstance"
        )
        meta = {"language": "fr", **d.meta, "source": source}
        out[source].append(replace(d, meta=meta))
    return out


def take_share(rows: Sequence[Document], share: float, seed: int) -> list[Document]:
    """``share`` of ``rows``, seeded: whole copies for the integer part, a sample for the rest."""
    copies, part = int(share), share - int(share)
    out = [d for _ in range(copies) for d in rows]
    n = round(part * len(rows))
    keep = sorted(random.Random(seed).sample(range(len(rows)), n)) if n else []
    return out + [rows[i] for i in keep]


def row_counts(docs: Sequence[Document]) -> Counter[tuple[str, str]]:
    """Rows per (source, language)."""
    return Counter((str(d.meta.get("source")), str(d.meta.get("language"))) for d in docs)


def source_seed(seed: int, name: str) -> int:
    """The sampling seed of one source: the table's seed and the source's name."""
    return seed * 1_000_003 + int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)
