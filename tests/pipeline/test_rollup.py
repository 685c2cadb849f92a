"""Article roll-up and claim linking on constructed inputs."""

from __future__ import annotations

import pytest

from stance.doc import NO_WORDS, Sentence
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


def test_a_line_without_words_casts_no_vote() -> None:
    from dataclasses import replace

    line = replace(_sent(1, "claim", FAVOR), flags=(NO_WORDS,))
    alone = document_stance([_sent(0, "premise", AGAINST)])
    assert document_stance([_sent(0, "premise", AGAINST), line]) == alone
    assert alone.label == "against"


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


NONE = {"favor": 0.1, "against": 0.1, "none": 0.8}


def test_no_sentence_taking_a_side_gives_none_with_scores() -> None:
    doc = document_stance([_sent(0, "claim", NONE), _sent(1, "premise", NONE)])
    assert doc.label == "none" and doc.evidence == ()
    assert doc.scores["none"] == pytest.approx(0.8)


def test_whole_text_alone_cannot_take_a_side() -> None:
    whole = Sentence(-1, 0, 1, "x", role="claim", role_scores={"claim": 1.0}, stance_scores=FAVOR)
    assert document_stance([_sent(0, "claim", NONE), whole]).label == "none"
    # ...but it votes once a sentence takes a side
    doc = document_stance([_sent(0, "claim", NONE), _sent(1, "none", FAVOR), whole])
    assert doc.label == "favor" and doc.evidence == (1,)


def test_evidence_names_the_strongest_deciding_sentences() -> None:
    sents = [
        _sent(0, "premise", FAVOR),
        _sent(1, "claim", FAVOR),
        _sent(2, "none", FAVOR),
        _sent(3, "claim", AGAINST, conf=0.5),
        _sent(4, "claim", FAVOR, conf=0.8),
        _sent(5, "claim", NONE),
    ]
    doc = document_stance(sents)
    assert doc.label == "favor"
    assert doc.evidence == (1, 4, 0)  # weights 1.0, 0.8, 0.6: the fourth favor sentence is left out


def test_sentence_labels_decide_over_their_argmax() -> None:
    """The pipeline's own (abstained) sentence label is the side a sentence takes."""
    from dataclasses import replace

    sent = replace(_sent(0, "claim", FAVOR), stance="none")
    assert document_stance([sent]).label == "none"


def test_evidence_round_trips_through_the_record() -> None:
    from stance.doc import DocStance, Document

    doc = Document(id="d", text="x", target="t", stance=DocStance("favor", FAVOR, (2, 0)))
    rec = doc.to_dict()
    assert rec["stance"]["evidence"] == [2, 0]
    assert Document.from_dict(rec).stance == DocStance("favor", rec["stance"]["scores"], (2, 0))


def test_a_lone_side_outweighed_by_none_gives_none() -> None:
    """One narrative sentence taking a side does not outweigh claims that take none."""
    sents = [_sent(0, "claim", NONE), _sent(1, "claim", NONE), _sent(2, "none", FAVOR)]
    doc = document_stance(sents)
    assert doc.label == "none" and doc.evidence == () and doc.scores["none"] > 0.5
