"""Stance targets written as statements: X-Stance asks questions, users type claims.

X-Stance targets are questions ("La Suisse doit-elle adhérer à l'UE ?"), but users name a
claim ("Il faut interdire les vols intérieurs courts"). ``question_to_statements`` rewrites the
common question shapes as a statement and its negation, so that training
(``statement_examples``) also shows statement targets, plus explicit pairs where the text
restates the target (favor) or negates it (against).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from stance.tasks import PairExample

_MODAL = re.compile(
    r"^(?P<subj>.+?)\s+(?P<verb>doit|doivent|devrait|devraient|peut|peuvent)"
    r"-(?:t-)?(?:il|elle|ils|elles)\s+(?P<rest>.+?)\s*\?$"
)
_FAUT = re.compile(r"^Faut-il\s+(?P<rest>.+?)\s*\?$")
_YOU = re.compile(
    r"^(?:Êtes|Seriez)-vous\s+(?P<adj>favorable|pour|en faveur)\s+(?P<rest>.+?)\s*\?$"
)


def question_to_statements(question: str) -> tuple[str, str] | None:
    """(statement, negation) for a yes/no policy question, or None when the shape is unknown."""
    q = " ".join(question.split())
    if m := _FAUT.match(q):
        return f"Il faut {m['rest']}.", f"Il ne faut pas {m['rest']}."
    if m := _YOU.match(q):
        return f"Je suis {m['adj']} {m['rest']}.", f"Je ne suis pas {m['adj']} {m['rest']}."
    if m := _MODAL.match(q):
        subj = m["subj"][0].upper() + m["subj"][1:]
        return f"{subj} {m['verb']} {m['rest']}.", f"{subj} ne {m['verb']} pas {m['rest']}."
    return None


def statement_examples(
    examples: Sequence[PairExample], share: float, seed: int
) -> list[PairExample]:
    """Extra training pairs: a ``share`` of the labelled pairs again with the statement as
    target, and for every rewritable target the restatement (favor) / negation (against) pairs.
    """
    rng = random.Random(seed)
    out: list[PairExample] = []
    seen: set[str] = set()
    for ex in examples:
        rewritten = question_to_statements(ex.first)
        if rewritten is None or ex.label == "none":
            continue
        statement, negation = rewritten
        if rng.random() < share:
            out.append(PairExample(statement, ex.second, ex.label, ex.group))
        if ex.first not in seen:
            seen.add(ex.first)
            for target in (ex.first, statement):
                out.append(PairExample(target, statement, "favor", ex.group, False))
                out.append(PairExample(target, negation, "against", ex.group, False))
    return out
