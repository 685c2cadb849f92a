"""Target-consistency pairs of the transfer mix (``targets.derived_pairs``)."""

from __future__ import annotations

from collections import Counter

from stance.doc import DocStance, Document
from stance.training.targets import derived_pairs, target_language


def _doc(i: int, source: str, language: str, target: str, label: str, topic: str) -> Document:
    meta = {"source": source, "language": language, "topic": topic}
    return Document(f"{source}:{i}", f"text {source} {i}", target=target,
                    stance=DocStance(label, {label: 1.0}), meta=meta)  # fmt: skip


def _docs() -> list[Document]:
    rows = [
        ("nli", "en", "The man is sleeping.", "favor", "p1"),
        ("nli", "en", "The man is sleeping.", "against", "p1"),
        ("nli", "en", "The man is sleeping.", "none", "p1"),
        ("nli", "en", "A dog runs in the park.", "favor", "p2"),
        ("claims", "en", "abortion", "favor", "t1"),  # cannot be negated
        ("claims", "en", "gun control", "against", "t2"),
        ("one-target", "es", "La independencia de Cataluña", "favor", "c"),
        ("nli-es", "es", "El sello estaba roto.", "none", "s1"),
        ("nli-es", "es", "Ramona está en Concord.", "favor", "s2"),
        ("single", "ca", "La independència de Catalunya", "favor", "cat"),
    ]
    return [_doc(i, *row) for i, row in enumerate(rows * 4)]


def test_negated_pairs_flip_favor_and_against_and_keep_none() -> None:
    docs = _docs()
    pairs = derived_pairs(docs, negated=1.0, unrelated=0.0, seed=0)
    flip = {"favor": "against", "against": "favor", "none": "none"}
    by_text = {d.text: d for d in docs}
    negatable = [d for d in docs if d.meta["source"] in ("nli", "nli-es")]
    assert len(pairs) == len(negatable)  # share 1.0 of the rows whose target can be negated
    for p in pairs:
        doc = by_text[p.second or ""]
        assert doc.stance is not None and p.label == flip[doc.stance.label]
        assert p.first != doc.target and not p.annotated
    assert {p.first for p in pairs} == {
        "The man is not sleeping.",
        "A dog does not run in the park.",
        "El sello no estaba roto.",
        "Ramona no está en Concord.",
    }


def test_the_share_is_taken_per_source() -> None:
    docs = _docs() * 10
    pairs = derived_pairs(docs, negated=0.5, unrelated=0.0, seed=3)
    counts = Counter("es" if " no " in p.first else "en" for p in pairs)
    assert counts == {"en": 80, "es": 40}  # half of 160 English and 80 Spanish negatable rows


def test_unrelated_pairs_are_none_toward_another_topic_of_the_same_language() -> None:
    docs = _docs()
    pairs = derived_pairs(docs, negated=0.0, unrelated=1.0, seed=0)
    assert pairs and all(p.label == "none" and not p.annotated for p in pairs)
    by_text = {d.text: d for d in docs}
    topics = {d.target: d.meta["topic"] for d in docs}
    languages = {d.target: target_language(d) for d in docs}
    for p in pairs:
        doc = by_text[p.second or ""]
        assert p.first != doc.target and topics[p.first] != doc.meta["topic"]
        assert languages[p.first] == target_language(doc)
        if doc.meta["source"] in ("nli", "claims", "nli-es"):  # several topics: its own targets
            own = {d.target for d in docs if d.meta["source"] == doc.meta["source"]}
            assert p.first in own
    sources = Counter(by_text[p.second or ""].meta["source"] for p in pairs)
    assert sources["one-target"] == 4  # one target: taken from another Spanish source
    assert "single" not in sources  # no other Catalan target exists


def test_derived_pairs_are_seeded_and_off_at_zero() -> None:
    docs = _docs() * 5
    assert derived_pairs(docs, 0.5, 0.5, seed=1) == derived_pairs(docs, 0.5, 0.5, seed=1)
    assert derived_pairs(docs, 0.5, 0.5, seed=1) != derived_pairs(docs, 0.5, 0.5, seed=2)
    assert derived_pairs(docs, 0.0, 0.0, seed=1) == []


def test_german_comments_with_french_targets_are_negated_in_french() -> None:
    doc = _doc(0, "xstance", "de", "Faut-il taxer le kérosène ?", "favor", "q")
    doc.meta["target_language"] = "fr"
    (pair,) = derived_pairs([doc], negated=1.0, unrelated=0.0, seed=0)
    assert (pair.first, pair.label) == ("Il ne faut pas taxer le kérosène.", "against")
