"""Article roll-up, claim linking, temperature scaling and abstention on constructed inputs."""

from __future__ import annotations

import re

import numpy as np
import pytest

from stance.doc import Sentence
from stance.pipeline.decide import abstain, fit_temperature, nll
from stance.pipeline.rollup import document_stance, link_claims


def _sent(i: int, role: str, stance: dict[str, float], conf: float = 1.0) -> Sentence:
    rest = (1 - conf) / 2
    role_scores = {r: (conf if r == role else rest) for r in ("claim", "premise", "none")}
    return Sentence(i, 0, 1, "x", role=role, role_scores=role_scores, stance_scores=stance)


FAVOR = {"favor": 0.9, "against": 0.05, "none": 0.05}
AGAINST = {"favor": 0.05, "against": 0.9, "none": 0.05}


def test_claims_outweigh_narrative() -> None:
    sents = [_sent(0, "claim", AGAINST), _sent(1, "none", FAVOR), _sent(2, "none", FAVOR)]
    # weights: claim 1.0*1*0.9 vs two none sentences 2 * 0.25*1*0.9
    doc = document_stance(sents)
    assert doc.label == "against"
    expected_against = (0.9 * 0.9 + 2 * 0.225 * 0.05) / (0.9 + 2 * 0.225)
    assert doc.scores["against"] == pytest.approx(expected_against)
    assert sum(doc.scores.values()) == pytest.approx(1.0)


def test_no_stance_scores_gives_none() -> None:
    doc = document_stance([Sentence(0, 0, 1, "x", role="claim")])
    assert doc.label == "none" and doc.scores["none"] == 1.0


def test_threshold_abstains() -> None:
    even = {"favor": 0.4, "against": 0.35, "none": 0.25}
    assert document_stance([_sent(0, "claim", even)], threshold=0.5).label == "none"
    assert document_stance([_sent(0, "claim", even)], threshold=0.3).label == "favor"


def test_premises_link_to_nearest_claim_preceding_on_ties() -> None:
    roles = ["premise", "claim", "premise", "premise", "claim", "none", "premise"]
    sents = [_sent(i, r, FAVOR) for i, r in enumerate(roles)]
    links = link_claims(sents)
    # premise 2: claim 1 (dist 1); premise 3: tie between 1 and 4? dist 2 vs 1 -> claim 4
    assert links == [{"sentence": 1, "premises": [0, 2]}, {"sentence": 4, "premises": [3, 6]}]
    assert link_claims([_sent(0, "premise", FAVOR)]) == []


def test_temperature_recovers_overconfidence() -> None:
    rng = np.random.default_rng(0)
    true_logits = rng.normal(size=(4000, 3)) * 1.5
    probs = np.exp(true_logits) / np.exp(true_logits).sum(1, keepdims=True)
    gold = np.array([rng.choice(3, p=p) for p in probs])
    overconfident = true_logits * 3.0  # a model 3x too sharp
    t = fit_temperature(overconfident, gold)
    assert t == pytest.approx(3.0, rel=0.15)
    assert nll(overconfident, gold, t) < nll(overconfident, gold, 1.0)


def test_abstain_below_threshold() -> None:
    probs = np.array([[0.5, 0.3, 0.2], [0.9, 0.05, 0.05]])
    labels = ("favor", "against", "none")
    assert abstain(probs, labels, 0.6) == ["none", "favor"]
    assert abstain(probs, labels, 0.0) == ["favor", "favor"]


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def test_decode_spans_merges_noisy_runs() -> None:
    from stance.model.tasks import decode_spans, tags_to_spans

    text = "aa bb cc . ee ff gg"
    words = _words(text)
    tags = ["B-claim", "I-premise", "B-claim", "O", "I-premise", "I-premise", "B-premise"]
    spans = decode_spans(text, words, tags, [0.5, 0.7, 0.9, 0.1, 0.8, 0.6, 0.4])
    assert [(s.start, s.end, s.label) for s in spans] == [(0, 8, "claim"), (11, 19, "premise")]
    assert spans[0].score == pytest.approx(0.7)
    # gold decoding stays strict BIO
    assert len(tags_to_spans(words, tags)) == 5


def test_decode_spans_closes_short_gaps_inside_a_sentence_only() -> None:
    from stance.model.tasks import decode_spans

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
    from stance.model.tasks import MIN_SPAN_WORDS, decode_spans

    text = "un deux trois quatre cinq six sept"
    tags = ["B-claim", "I-claim", "O", "O", "O"] + ["B-premise"] * 2
    assert decode_spans(text, _words(text), tags) == []
    tags = ["B-claim"] * MIN_SPAN_WORDS + ["O"] * (7 - MIN_SPAN_WORDS)
    assert [s.label for s in decode_spans(text, _words(text), tags)] == ["claim"]


def test_context_keeps_the_edges_and_at_most_chars_per_side() -> None:
    from stance.doc import Document
    from stance.model.part import PartInfo
    from stance.model.tasks import component_inputs

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
    assert PartInfo("component", ("claim",), "b").context_chars == 120  # parts saved before
    assert PartInfo("component", ("claim",), "b", extra={"context_chars": 8}).context_chars == 8
