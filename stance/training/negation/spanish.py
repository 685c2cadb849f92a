"""Spanish: "no" before the finite verb and the clitics in front of it.

"X debe Y" → "X no debe Y", "X es Y" → "X no es Y", "Juan lo ha dicho" → "Juan no lo ha
dicho", "Hay X" → "No hay X" (Spanish drops subject pronouns: the verb may come first). The
finite verb is the first modal, copula or auxiliary form (``VERBS``). "X no es Y" → "X es Y"
the other way, when "no" is the sentence's only negation ("No tiene nada" is refused).
"""

from __future__ import annotations

from stance.training.negation.common import (
    capitalised,
    flip_statement,
    second_clause,
    subject_ok,
    word,
    words,
)

VERBS = words(
    """es son era eran fue fueron será serán sería serían soy eres somos
    está están estaba estaban estará estarán estaría estarían estoy estamos
    hay había habrá habría ha han he has hemos habían
    tiene tienen tenía tenían tendrá tendrán tendría tendrían tengo tenemos
    debe deben debería deberían debía debían debo debemos
    puede pueden podría podrían podía podían podrá podrán puedo podemos
    va van iba iban quiere quieren quería querían"""
)
_CLITICS = words("me te se lo la le los las les nos os")
_NEGATIONS = words("no nunca jamás nadie nada ningún ninguno ninguna tampoco ni")
_STOP = words(
    """que quien quienes cuando si porque donde cuyo cuya algunos algunas muchos muchas
    varios varias pocos pocas todos todas todo cada mayoría alguien"""
)
_DETERMINERS = words(
    "el la los las un una unos unas lo este esta estos estas ese esa esos esas su sus mi mis "
    "tu tus nuestro nuestra nuestros nuestras al del"
)
_COORDINATORS = words("y o e")
_CONNECTORS = words("pero sino aunque porque mientras")


def spanish(text: str) -> str | None:
    """The negation of a Spanish statement, or None (questions are refused)."""
    if "?" in text or "¿" in text:
        return None
    return flip_statement(text, _NEGATIONS.__contains__, _negate, _unnegate)


def _negate(tokens: list[str]) -> str | None:
    v = next((i for i, t in enumerate(tokens) if t.lower() in VERBS), None)
    if v is None or second_clause(tokens[v + 1 :], _CONNECTORS, _COORDINATORS, VERBS):
        return None
    c = v
    while c > 0 and tokens[c - 1].lower() in _CLITICS:
        c -= 1
    subject, group = tokens[:c], tokens[c : v + 1]
    if not subject:  # "Hay X" → "No hay X"
        return " ".join(["No", group[0].lower(), *group[1:], *tokens[v + 1 :]])
    if not subject_ok(subject, _STOP, _DETERMINERS):
        return None
    return " ".join([*subject, "no", *group, *tokens[v + 1 :]])


def _unnegate(tokens: list[str]) -> str | None:
    """ "X no es Y" → "X es Y", "No hay X" → "Hay X" (one negation, before clitics + verb)."""
    found = [i for i, t in enumerate(tokens) if word(t) in _NEGATIONS]
    if len(found) != 1 or word(tokens[found[0]]) != "no":
        return None
    i = found[0]
    j = i + 1
    while j < len(tokens) and tokens[j].lower() in _CLITICS:
        j += 1
    if j >= len(tokens) or tokens[j].lower() not in VERBS:
        return None
    rest = tokens[i + 1 :]
    if i == 0:
        return " ".join([capitalised(rest[0]), *rest[1:]])
    return " ".join([*tokens[:i], *rest])
