"""Article roll-up and claim linking on constructed inputs."""

from __future__ import annotations

import pytest

from stance.doc import Sentence
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
