"""Article-level results from sentence-level ones: the document's stance and its main claims.

The document stance is a weighted mean of sentence stance probabilities: claims speak for the
author more than premises, and premises more than narrative sentences (``none``); confident
sentences count more than hesitant ones. Each premise is attached to the nearest claim
(preceding on ties), the usual baseline for argument linking in essays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from stance.doc import STANCES, DocStance, Sentence

ROLE_WEIGHTS = {"claim": 1.0, "premise": 0.6, "none": 0.25}


def document_stance(
    sentences: Sequence[Sentence],
    *,
    role_weights: dict[str, float] | None = None,
    threshold: float = 0.0,
) -> DocStance:
    """Weighted mean of sentence stance scores; ``none`` when nothing speaks for a side."""
    weights = role_weights or ROLE_WEIGHTS
    total = np.zeros(len(STANCES))
    mass = 0.0
    for sent in sentences:
        if not sent.stance_scores:
            continue
        probs = np.array([sent.stance_scores.get(k, 0.0) for k in STANCES])
        role_w = weights.get(sent.role or "none", weights["none"])
        role_conf = max((sent.role_scores or {}).values(), default=1.0)
        w = role_w * role_conf * float(probs.max())
        total += w * probs
        mass += w
    if mass == 0.0:
        return DocStance("none", {k: (1.0 if k == "none" else 0.0) for k in STANCES})
    probs = total / mass
    scores = {k: float(v) for k, v in zip(STANCES, probs, strict=True)}
    label = STANCES[int(probs.argmax())]
    if scores[label] < threshold:
        label = "none"
    return DocStance(label, scores)


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
