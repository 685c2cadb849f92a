"""The hand-written probes of ``data/probes``: every file loads through its reader, its labels
are in the task's label set, its gold sentences are what the segmenter cuts, and the counts
that ``data/probes/README.md`` states are the files' (so the README cannot drift)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from stance.doc import Document
from stance.evaluate.consistency import read_consistency
from stance.evaluate.harness import label_set
from stance.segment import split_sentences
from stance.training.data.registry import load_dataset

PROBES = Path(__file__).resolve().parents[2] / "data" / "probes"
README = " ".join((PROBES / "README.md").read_text(encoding="utf-8").split())
# file name -> (data format, task): how `stance evaluate` reads it
FORMATS = {
    "roles_articles.jsonl": ("jsonl", "component"),
    "stance_obvious.jsonl": ("jsonl", "stance"),
    "stance_rebuttal.jsonl": ("jsonl", "stance"),
    "stance_targets.jsonl": ("consistency", "stance"),
}
# Original roles records whose gold sentences the segmenter cuts otherwise (kept byte for byte)
SEGMENTER_EXCEPTIONS = {"roles-velo-ville", "roles-teletravail", "roles-ia-ecole"}
NO_GENRE = "original (no genre)"
GENRES = ("blog", "op-ed", "forum", "social", "news", NO_GENRE)


def _docs(name: str) -> list[Document]:
    return load_dataset(FORMATS[name][0], PROBES / name)


def test_every_probe_file_has_a_reader() -> None:
    assert {p.name for p in PROBES.glob("*.jsonl")} == set(FORMATS)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_probe_loads_and_its_labels_are_in_the_label_set(name: str) -> None:
    fmt, task = FORMATS[name]
    labels = label_set(fmt, task)
    if fmt == "consistency":
        rows = read_consistency(PROBES / name)
        assert rows and all(r.label in labels for r in rows)
        return
    docs = _docs(name)
    assert docs and len({d.id for d in docs}) == len(docs)
    for doc in docs:
        if task == "component":
            assert doc.sentences, doc.id
            assert all(s.role in labels for s in doc.sentences), doc.id
        else:
            assert doc.stance is not None and doc.stance.label in labels, doc.id


@pytest.mark.parametrize("name", [n for n, (fmt, _) in FORMATS.items() if fmt == "jsonl"])
def test_the_segmenter_reproduces_the_gold_sentences(name: str) -> None:
    differ = set()
    for doc in _docs(name):
        gold = [(s.index, s.start, s.end, s.text) for s in doc.sentences]
        assert [g[0] for g in gold] == list(range(len(gold))), doc.id
        assert all(doc.text[start:end] == text for _, start, end, text in gold), doc.id
        cut = [(s.index, s.start, s.end, s.text) for s in split_sentences(doc.text)]
        if gold and cut != gold:
            differ.add(doc.id)
    assert differ == (SEGMENTER_EXCEPTIONS if name == "roles_articles.jsonl" else set())


def test_roles_counts_are_those_of_the_readme() -> None:
    docs = _docs("roles_articles.jsonl")
    table: dict[str, Counter[str]] = {g: Counter() for g in (*GENRES, "all")}
    for doc in docs:
        genre = doc.meta.get("genre", NO_GENRE)
        assert genre in GENRES, doc.id
        for key in (genre, "all"):
            table[key]["documents"] += 1
            table[key].update(s.role for s in doc.sentences if s.role)
            table[key]["sentences"] += len(doc.sentences)
    for key, c in table.items():
        row = f"| {key} | {c['documents']} | {c['claim']} | {c['premise']} | {c['none']} |"
        assert f"{row} {c['sentences']} |" in README, f"README row for {key!r} is stale"
    c = table["all"]
    assert (
        f"{c['documents']} French documents we wrote ourselves" in README
        and f"{c['sentences']} consecutive sentences" in README
        and f"({c['claim']} / {c['premise']} / {c['none']})" in README
    )
    first = table[NO_GENRE]
    assert first["documents"] == 10 and first["sentences"] == 66  # the original records
    assert f"original {first['sentences']} sentences" in README


def test_stance_probe_counts_are_those_of_the_readme() -> None:
    obvious = _docs("stance_obvious.jsonl")
    assert f"`stance_obvious.jsonl`: {len(obvious)} short French texts" in README
    rebuttal = _docs("stance_rebuttal.jsonl")
    assert f"`stance_rebuttal.jsonl`: {len(rebuttal)} texts" in README
    assert "No `none` texts" in README
    assert all(d.stance is not None and d.stance.label != "none" for d in rebuttal)
    rows = read_consistency(PROBES / "stance_targets.jsonl")
    labels = Counter(r.label for r in rows)
    assert f"`stance_targets.jsonl`: {len(rows)} French texts" in README
    assert f"{labels['favor']} favor, {labels['against']} against, {labels['none']} none" in README
