"""Split helpers: deterministic group splits, X-Stance question twins, held-out authors."""

from __future__ import annotations

from pathlib import Path

from stance.doc import Document
from stance.training.data.registry import load_dataset
from stance.training.data.splits import (
    assign,
    dev_question_keys,
    held_out_author,
    question_key,
    split_by_group,
)


def test_split_by_group_is_deterministic_and_disjoint(data_root: Path) -> None:
    docs = load_dataset("xstance", data_root / "xstance/valid.fr.jsonl")
    train, dev = split_by_group(docs, key="question_id", dev_fraction=0.2, seed=13)
    again = split_by_group(list(docs), key="question_id", dev_fraction=0.2, seed=13)
    assert ([d.id for d in train], [d.id for d in dev]) == tuple([d.id for d in p] for p in again)
    dev_q = {d.meta["question_id"] for d in dev}
    assert len(dev_q) == 30 and not dev_q & {d.meta["question_id"] for d in train}
    assert len(train) + len(dev) == len(docs)
    other = split_by_group(docs, key="question_id", seed=14)[1]
    assert {d.meta["question_id"] for d in other} != dev_q
    by_id = split_by_group(docs, key="id")  # an attribute, not a meta key
    assert len(by_id[1]) == round(0.2 * len(docs))


def test_dev_question_twins(data_root: Path) -> None:
    ids, texts = dev_question_keys({1479}, data_root / "xstance")
    assert 45 in ids and 1479 in ids and len(texts) == 2  # its French and German wording
    assert dev_question_keys({1479}, data_root) == ({1479}, set())  # no question files there
    assert question_key("  Faut-il\nTAXER ? ") == "faut-il taxer ?"


def test_assign_holds_out_authors_and_marks_the_split() -> None:
    docs = [Document(str(i), "x", meta={"author": f"a{i}"}) for i in range(200)]
    held = [d for d in docs if held_out_author(d)]
    assert 10 < len(held) < 50 and not held_out_author(Document("n", "x"))
    comments = assign(docs, [], "comments")
    assert [d.id for d in comments] == [d.id for d in held]
    assert {d.meta["split"] for d in comments} == {"comments"}
    assert len(assign(docs, [], "train")) == 200 - len(held) and assign(docs, [], "x") == []
