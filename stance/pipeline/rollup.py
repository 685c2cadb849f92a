"""Article-level results from sentence-level ones: the document's stance and its main claims.

The document stance is the weighted mean of sentence stance probabilities, ``none`` unless
some sentence itself takes the winning side; the strongest of those are named as its
evidence. Claims speak for the author more than premises, and premises more than
narrative sentences (``none``); confident sentences count more than hesitant ones. Each
premise is attached to the nearest claim (preceding on ties), the usual baseline for argument
linking in essays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from stance.doc import NO_WORDS, STANCES, DocStance, Sentence

ROLE_WEIGHTS = {"claim": 1.0, "premise": 0.6, "none": 0.25}
EVIDENCE_MAX = 3  # sentences named as the verdict's evidence, strongest first


def document_stance(
    sentences: Sequence[Sentence],
    *,
    role_weights: dict[str, float] | None = None,
    threshold: float = 0.0,
) -> DocStance:
    """The article's stance toward the target, and the sentences that decided it.

    The label is the argmax of the weighted mean (``none`` under ``threshold``), and it is
    ``none`` too unless some sentence itself takes that side: a sentence's side is its label
    (or, without one, its argmax, ``none`` under ``threshold``). The whole-text view (index -1)
    weighs in the mean but is never named. ``evidence``: the sentences of the winning side,
    strongest first.
    """
    weights = role_weights or ROLE_WEIGHTS
    total = np.zeros(len(STANCES))
    mass = 0.0
    votes: list[tuple[float, str, int]] = []  # (weight × probability of its side, side, index)
    for sent in sentences:
        if not sent.stance_scores or NO_WORDS in sent.flags:
            continue
        probs = np.array([sent.stance_scores.get(k, 0.0) for k in STANCES])
        role_w = weights.get(sent.role or "none", weights["none"])
        role_conf = max((sent.role_scores or {}).values(), default=1.0)
        w = role_w * role_conf * float(probs.max())
        total += w * probs
        mass += w
        side = sent.stance or _side(probs, threshold)
        if side != "none" and sent.index >= 0:
            votes.append((w * sent.stance_scores.get(side, 0.0), side, sent.index))
    if mass == 0.0:
        return DocStance("none", {k: (1.0 if k == "none" else 0.0) for k in STANCES})
    scores = {k: float(v) for k, v in zip(STANCES, total / mass, strict=True)}
    label = _side(total / mass, threshold)
    deciding = sorted((v, index) for v, side, index in votes if side == label)
    if not deciding:
        return DocStance("none", scores)
    evidence = tuple(index for _, index in reversed(deciding[-EVIDENCE_MAX:]))
    return DocStance(label, scores, evidence)


def _side(probs: np.ndarray, threshold: float) -> str:
    """A sentence's own label from its probabilities: argmax, ``none`` under threshold."""
    best = int(probs.argmax())
    return STANCES[best] if probs[best] >= threshold else "none"


def link_claims(sentences: Sequence[Sentence]) -> list[dict[str, object]]:
    """Main claims with their premises: each premise goes to the nearest claim."""
    claims = [s.index for s in sentences if s.role == "claim"]
    links: dict[int, list[int]] = {c: [] for c in claims}
    if not claims:
        return []
    for sent in sentences:
        if sent.role != "premise":
            continue
        nearest = min(claims, key=lambda c: (abs(c - sent.index), c > sent.index))
        links[nearest].append(sent.index)
    return [{"sentence": c, "premises": links[c]} for c in claims]
