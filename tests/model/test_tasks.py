"""Gold documents ↔ model inputs and outputs: context strings, BIO tags, span decoding."""

from __future__ import annotations

import re

import numpy as np
import pytest

from stance.doc import ROLES, Document, Sentence, Span
from stance.model.tasks import (
    MAX_GAP_WORDS,
    MIN_SPAN_WORDS,
    SPAN_TAGS_FULL,
    SPAN_TAGS_MERGED,
    PairExample,
    component_examples,
    component_inputs,
    context_string,
    decode_spans,
    doc_words,
    sentences_span_roles,
    span_roles,
    span_tags,
    tags_to_spans,
    word_tags,
)

TAGS = SPAN_TAGS_FULL


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def test_decode_spans_merges_noisy_runs() -> None:
    text = "aa bb cc . ee ff gg"
    words = _words(text)
    tags = ["B-claim", "I-premise", "B-claim", "O", "I-premise", "I-premise", "B-premise"]
    spans = decode_spans(text, words, tags, [0.5, 0.7, 0.9, 0.1, 0.8, 0.6, 0.4])
    assert [(s.start, s.end, s.label) for s in spans] == [(0, 8, "claim"), (11, 19, "premise")]
    assert spans[0].score == pytest.approx(0.7)
    # gold decoding stays strict BIO
    assert len(tags_to_spans(words, tags)) == 5


def test_decode_spans_closes_short_gaps_inside_a_sentence_only() -> None:
    text = "il faut , donc , agir vite . car ils le disent"
    tags = ["B-claim", "I-claim", "O", "O", "I-claim", "I-claim", "I-claim"]
    tags += ["O", "B-premise", "I-premise", "I-premise", "I-premise"]
    spans = decode_spans(text, _words(text), tags)
    # the two-word gap ", donc" is closed; the "." gap is not, although it is one word
    assert [(text[s.start : s.end], s.label) for s in spans] == [
        ("il faut , donc , agir vite", "claim"),
        ("car ils le disent", "premise"),
    ]
    wide = ["B-claim", "I-claim", "O", "O", "O", "I-claim", "I-claim"] + ["O"] * 5
    assert [text[s.start : s.end] for s in decode_spans(text, _words(text), wide)] == []


def test_decode_spans_drops_runs_shorter_than_a_component() -> None:
    text = "un deux trois quatre cinq six sept"
    tags = ["B-claim", "I-claim", "O", "O", "O"] + ["B-premise"] * 2
    assert decode_spans(text, _words(text), tags) == []
    tags = ["B-claim"] * MIN_SPAN_WORDS + ["O"] * (7 - MIN_SPAN_WORDS)
    assert [s.label for s in decode_spans(text, _words(text), tags)] == ["claim"]


def test_context_keeps_the_edges_and_at_most_chars_per_side() -> None:
    texts = ["Premier point établi.", "Donc il faut agir.", "Car le temps presse vraiment."]
    sents, start = [], 0
    for t in texts:
        sents.append(Sentence(len(sents), start, start + len(t), t))
        start += len(t) + 1
    doc = Document(id="d", text=" ".join(texts), sentences=tuple(sents))
    _, wide = component_inputs(doc, 1, chars=200)
    assert wide == [
        "[début] [phrase] Donc il faut agir.",
        "Premier point établi. [phrase] Car le temps presse vraiment.",
        "Donc il faut agir. [phrase] [fin]",
    ]
    _, narrow = component_inputs(doc, 1, chars=8)
    assert narrow[1] == " établi. [phrase] Car le t"  # the near end of each neighbour


def test_span_roles_is_the_mean_mass_of_the_sentence_words() -> None:
    words = [(0, 3), (4, 8), (9, 12), (13, 16)]
    probs = np.array(
        [
            [0.1, 0.5, 0.1, 0.1, 0.1, 0.1, 0.0],  # claim 0.6 + majorclaim 0.1
            [0.3, 0.0, 0.1, 0.0, 0.2, 0.0, 0.4],  # claim 0.5 (majorclaim counts as claim)
            [0.9, 0.0, 0.0, 0.1, 0.0, 0.0, 0.0],  # outside the sentence below
            [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0],
        ]
    )
    got = span_roles(words, probs, TAGS, start=0, end=8)
    assert got is not None
    np.testing.assert_allclose(got, [0.6, 0.2, 0.2])  # ROLES order: claim, premise, none
    np.testing.assert_allclose(span_roles(words, probs, TAGS, 13, 16), [0.0, 1.0, 0.0])
    assert span_roles(words, probs, TAGS, 17, 20) is None  # no word inside


def _doc(*texts: str, roles: tuple[str | None, ...] = ()) -> Document:
    sents, start = [], 0
    for i, t in enumerate(texts):
        role = roles[i] if roles else None
        sents.append(Sentence(i, start, start + len(t), t, role=role))
        start += len(t) + 1
    return Document(id="d", text=" ".join(texts), sentences=tuple(sents))


def test_context_string_k_sentences_per_side() -> None:
    sents = _doc("A un.", "B deux.", "C trois.", "D quatre.", "E cinq.").sentences
    assert context_string(sents, 2, 0) is None
    assert context_string(sents, 2, 1) == "B deux. [phrase] D quatre."
    assert context_string(sents, 2, 2) == "A un. B deux. [phrase] D quatre. E cinq."
    assert context_string(sents, 0, 2) == "[début] [phrase] B deux. C trois."
    assert context_string(sents, 4, 1) == "D quatre. [phrase] [fin]"


def test_component_inputs_without_context_are_lone_sentences() -> None:
    doc = _doc("Il faut agir.", "Le temps presse.")
    assert component_inputs(doc, 0) == (["Il faut agir.", "Le temps presse."], None)
    firsts, seconds = component_inputs(doc, 1)
    assert firsts == ["Il faut agir.", "Le temps presse."]
    assert seconds == ["[début] [phrase] Le temps presse.", "Il faut agir. [phrase] [fin]"]


def test_component_examples_keep_labelled_sentences_with_their_document() -> None:
    doc = _doc("Il faut agir.", "Titre", "Car il pleut.", roles=("claim", None, "premise"))
    examples = component_examples([doc], context=1)
    assert examples == [
        PairExample("Il faut agir.", "[début] [phrase] Titre", "claim", "d"),
        PairExample("Car il pleut.", "Titre [phrase] [fin]", "premise", "d"),
    ]
    assert [e.second for e in component_examples([doc], context=0)] == [None, None]


def test_span_tag_sets() -> None:
    assert span_tags(merge_majorclaim=True) == SPAN_TAGS_MERGED
    assert span_tags(merge_majorclaim=False) == SPAN_TAGS_FULL
    assert set(SPAN_TAGS_FULL) - set(SPAN_TAGS_MERGED) == {"B-majorclaim", "I-majorclaim"}


def test_word_tags_from_character_spans() -> None:
    text = "Je pense qu'il faut agir car il pleut ."
    doc = Document(
        id="d",
        text=text,
        spans=(
            Span(text.index("car"), text.index(" ."), "premise"),
            Span(0, text.index(" car"), "majorclaim"),
        ),
    )
    words = doc_words(doc)
    assert [text[a:b] for a, b in words][:3] == ["Je", "pense", "qu'"]
    merged = word_tags(doc, words, merge_majorclaim=True)
    full = word_tags(doc, words, merge_majorclaim=False)
    n_claim = len([w for w in words if w[1] <= text.index(" car")])
    assert merged[:n_claim] == ["B-claim"] + ["I-claim"] * (n_claim - 1)
    assert full[0] == "B-majorclaim" and full[1] == "I-majorclaim"
    assert merged[n_claim:] == ["B-premise", "I-premise", "I-premise", "O"]
    # a span cutting a word in the middle still tags the whole word
    partial = Document(id="p", text="aaaa bbbb", spans=(Span(2, 6, "claim"),))
    assert word_tags(partial, doc_words(partial), True) == ["B-claim", "I-claim"]


def test_tags_to_spans_is_strict_bio_with_orphan_inside_tags() -> None:
    words = [(0, 2), (3, 5), (6, 8), (9, 11), (12, 14), (15, 17)]
    tags = ["I-claim", "I-claim", "O", "B-premise", "I-claim", "B-claim"]
    spans = tags_to_spans(words, tags, [0.2, 0.4, 0.9, 0.6, 0.8, 1.0])
    assert [(s.start, s.end, s.label) for s in spans] == [
        (0, 5, "claim"),
        (9, 11, "premise"),
        (12, 14, "claim"),  # I- of another type opens a span
        (15, 17, "claim"),  # B- always opens one
    ]
    assert [s.score for s in spans] == pytest.approx([0.3, 0.6, 0.8, 1.0])
    assert tags_to_spans(words, ["O"] * 6) == []
    assert tags_to_spans(words[:2], ["B-claim", "I-claim"])[0].score is None


def test_gold_spans_survive_word_tags_and_back() -> None:
    text = "Il faut agir vite , car le climat change ."
    premise = (text.index("car"), text.index(" ."))
    doc = Document(id="d", text=text, spans=(Span(0, 17, "claim"), Span(*premise, "premise")))
    words = doc_words(doc)
    assert tags_to_spans(words, word_tags(doc, words, True)) == list(doc.spans)


def test_decode_spans_gap_limits() -> None:
    """A gap of MAX_GAP_WORDS is closed, one word more is not; edges are never extended."""
    text = " ".join(f"w{i}" for i in range(12))
    words = _words(text)
    inside = ["B-claim", "I-claim", "I-claim"]
    gap = MAX_GAP_WORDS
    tags = ["O"] + inside + ["O"] * gap + inside + ["O"] * (11 - 6 - gap)
    spans = decode_spans(text, words, tags)
    assert [(s.start, s.end) for s in spans] == [(words[1][0], words[6 + gap][1])]
    tags = ["O"] + inside + ["O"] * (gap + 1) + inside + ["O"] * (11 - 7 - gap)
    assert len(decode_spans(text, words, tags)) == 2
    assert MIN_SPAN_WORDS == 3


def test_sentences_span_roles_match_span_roles_word_by_word() -> None:
    """The one-pass form gives, for every sentence, the mean mass over exactly the words
    inside it (compared with a plain scan over random words and sentence bounds)."""
    rng = np.random.default_rng(0)
    for _ in range(50):
        cuts = np.sort(rng.choice(200, size=2 * int(rng.integers(0, 12)), replace=False))
        words = [(int(a), int(b)) for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
        probs = rng.dirichlet(np.ones(len(TAGS)), size=len(words))
        bounds = [tuple(sorted(map(int, rng.integers(0, 200, size=2)))) for _ in range(6)]
        got = sentences_span_roles(words, probs, TAGS, bounds)
        for (start, end), roles in zip(bounds, got, strict=True):
            inside = [i for i, (a, b) in enumerate(words) if a >= start and b <= end]
            if not inside:
                assert roles is None
                continue
            mass = np.zeros(3)
            for j, tag in enumerate(TAGS):
                kind = tag.partition("-")[2].replace("majorclaim", "claim") or "none"
                mass[ROLES.index(kind)] += probs[inside, j].mean()
            assert roles is not None
            np.testing.assert_allclose(roles, mass / mass.sum(), atol=1e-6)
