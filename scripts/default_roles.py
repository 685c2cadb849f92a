"""Where the default pipeline built by ``scripts/build_default.py`` gets roles and spans.

``--roles parts`` (the default): the ``component`` and ``span`` parts, each trained with its
recipe. ``--roles tagger``: one argument tagger (``scripts/configs/tagger.toml``, shipped as its
``[ship]`` adapter) in their place; ``pipeline.json`` lists ``{"tagger", "stance"}`` and the
tagger is scored on the roles and span dev sets (``stance evaluate --task component|span``
reads a tagger pipeline as ``stance label`` runs it).
"""

from __future__ import annotations

import json
from pathlib import Path

ROLES = ("parts", "tagger")
TAGGER = "tagger"
ROLE_TASKS = ("component", "span")  # what a tagger part answers, and is scored as
PARTS = {"parts": ("component", "span", "stance"), "tagger": (TAGGER, "stance")}


def parts_to_train(tasks: list[str], roles: str) -> tuple[str, ...]:
    """The parts that ``--tasks`` trains (or re-ships): with ``--roles tagger``, ``component``
    and ``span`` (or ``tagger``) name the tagger, trained after the span part it starts from
    (which the pipeline does not ship)."""
    if roles == "parts" and TAGGER in tasks:
        raise SystemExit("--tasks tagger needs --roles tagger")
    named = [TAGGER if roles == TAGGER and t in ROLE_TASKS else t for t in tasks]
    if TAGGER in named:  # it starts from the span part's encoder (tagger.toml init_encoder)
        named.insert(0, "span")
    return tuple(dict.fromkeys(named))


def shipped_parts(runs: Path, roles: str) -> tuple[str, ...]:
    """The parts of the pipeline: those of ``roles`` whose run has an adapter in ``runs``."""
    parts = tuple(t for t in PARTS[roles] if (runs / t / "adapter").exists())
    if roles == TAGGER and TAGGER not in parts:
        raise SystemExit(f"{runs / TAGGER / 'adapter'} is missing: train the tagger first")
    return parts


def scored_tasks(parts: tuple[str, ...]) -> tuple[str, ...]:
    """The tasks whose dev sets score ``parts`` (a tagger: the roles and span dev sets)."""
    return tuple(t for p in parts for t in (ROLE_TASKS if p == TAGGER else (p,)))


def reports_dir(runs: Path, roles: str) -> Path:
    """Dev reports and scores, one folder per way of reading roles (never mixed in a card)."""
    return runs / ("reports" if roles == "parts" else "reports-tagger")


def tasks_to_score(
    trained: tuple[str, ...], parts: tuple[str, ...], reports: Path, roles: str
) -> tuple[str, ...]:
    """The dev sets to run: those of the parts trained (or re-shipped); with ``--roles tagger``
    also those of a shipped part its reports hold no score for (the stance part it reuses)."""
    tasks = scored_tasks(trained)
    if roles == "parts":
        return tasks
    saved = reports / "dev_scores.json"
    keys = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else {}
    missing = [t for t in scored_tasks(parts) if not any(k.startswith(t + "/") for k in keys)]
    return tuple(dict.fromkeys([*tasks, *missing]))


def card_rows(part: str, scores: dict[str, float]) -> list[str]:
    """The part's rows of the dev scores table: a tagger's roles and span rows, named in full."""
    tasks = scored_tasks((part,))
    return [
        f"| {k if part == TAGGER else k.split('/', 1)[1]} | {v:.4f} |"
        for k, v in scores.items()
        if k.startswith(tuple(t + "/" for t in tasks))
    ]


def card_note(part: str) -> str:
    """What the dev scores of the part's card mean, beyond the table's heading."""
    if part != TAGGER:
        return ""
    return (
        " Component rows score its roles, span rows its BIO spans, as the pipeline reads them"
        " (`stance evaluate --task component|span`)."
    )
