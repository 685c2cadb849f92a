"""German: "nicht" right after the finite verb, or "ein" → "kein".

"X sollte Y" → "X sollte nicht Y", "X ist Y" → "X ist nicht Y", "X ist ein Y" → "X ist kein
Y". The finite verb is the first modal, copula or auxiliary form after the first constituent
(verb second), or, after a subject pronoun, the next word. "haben" and "es gibt" take "kein"
or a participle ("Er hat nicht Angst" is wrong, so "hat" + a bare noun is refused). "X ist
nicht Y" → "X ist Y", "X hat keinen Y" → "X hat einen Y" the other way ("keine" is refused:
singular "eine" or plural, no article, cannot be told apart).
"""

from __future__ import annotations

import re

from stance.training.negation.common import flip_statement, second_clause, subject_ok, word, words

VERBS = words(
    """ist sind war waren wird werden wurde wurden bin bist seid
    soll sollen sollte sollten muss müssen musste mussten kann können konnte konnten
    darf dürfen durfte durften will wollen wollte wollten möchte möchten
    hat haben hatte hatten habe hast habt gibt"""
)
_HAVE = words("hat haben hatte hatten habe hast habt gibt")
_PRONOUNS = words("ich du er sie es wir ihr man")
_INDEFINITE = {f"ein{e}": f"kein{e}" for e in ("", "e", "en", "em", "er", "es")}
_POSITIVE = {"kein": "ein", "keinen": "einen", "keinem": "einem", "keines": "eines"}
_NEGATIONS = words(
    "nicht kein keine keinen keinem keiner keines nie niemals nichts niemand weder keineswegs"
)
_STOP = words(
    """dass weil wenn ob als obwohl damit während falls alle einige manche viele mehrere
    wenige jeder jede jedes jedem jeden"""
)
_DETERMINERS = words("der die das den dem des ein eine einen einem einer eines")
_COORDINATORS = words("und oder")
_CONNECTORS = words("aber denn sondern doch jedoch")


def german(text: str) -> str | None:
    """The negation of a German statement, or None (questions are refused)."""
    if "?" in text:
        return None
    return flip_statement(text, _NEGATIONS.__contains__, _negate, _unnegate)


def _verb_at(tokens: list[str]) -> int | None:
    known = next((i for i, t in enumerate(tokens[1:], start=1) if t in VERBS), None)
    if known is not None:
        return known
    if tokens[0].lower() in _PRONOUNS and re.fullmatch(r"[a-zäöüß]+", tokens[1]):
        return 1
    return None


def _negate(tokens: list[str]) -> str | None:
    v = _verb_at(tokens)
    if v is None:
        return None
    subject, verb, rest = tokens[:v], tokens[v], tokens[v + 1 :]
    if not subject_ok(subject, _STOP, _DETERMINERS, _PRONOUNS | words("das dies der die")):
        return None
    if second_clause(rest, _CONNECTORS, _COORDINATORS, VERBS):
        return None
    if not rest:
        return None
    if rest[0] in _INDEFINITE:
        return " ".join([*subject, verb, _INDEFINITE[rest[0]], *rest[1:]])
    if verb in _HAVE and not re.fullmatch(r"ge\w+(?:t|en)", rest[-1]):
        return None  # "Er hat Angst" → "keine Angst", not "nicht Angst"
    return " ".join([*subject, verb, "nicht", *rest])


def _unnegate(tokens: list[str]) -> str | None:
    """ "X ist nicht Y" → "X ist Y", "X hat keinen Y" → "X hat einen Y" (one negation only)."""
    found = [i for i, t in enumerate(tokens) if word(t) in _NEGATIONS]
    if len(found) != 1 or found[0] < 2 or _verb_at(tokens) != found[0] - 1:
        return None
    i = found[0]
    token = tokens[i]
    if token == "nicht" and i + 1 < len(tokens):
        return " ".join([*tokens[:i], *tokens[i + 1 :]])
    if token in _POSITIVE:
        return " ".join([*tokens[:i], _POSITIVE[token], *tokens[i + 1 :]])
    return None
