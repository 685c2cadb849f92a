"""French: ``ne … pas`` around the finite verb, and X-Stance's yes/no questions as statements.

"Il faut X" → "Il ne faut pas X", "X est Y" → "X n'est pas Y", "Il y a X" → "Il n'y a pas
X", "Il a un chien" → "Il n'a pas de chien". The verb is the first modal, copula or auxiliary
form after the subject (``VERBS``), or, after a subject pronoun, the next word (past its
clitics). "X n'est pas Y" → "X est Y" the other way.
"""

from __future__ import annotations

import re

from stance.training.negation.common import second_clause, split_final, subject_ok, word, words

VERBS = words(
    """est sont était étaient sera seront serait seraient fut furent suis es sommes êtes
    a ont avait avaient aura auront aurait auraient ai as avons avez
    doit doivent devait devaient devrait devraient devra devront dois devons devez
    peut peuvent pouvait pouvaient pourrait pourraient pourra pourront peux pouvons pouvez
    faut faudrait faudra fallait va vont vais allons allez allait allaient
    veut veulent voulait voulaient voudrait voudraient"""
)
# "pas de" after these: "Il a un chien" → "Il n'a pas de chien", "Il faut des X" → "pas de X"
_PARTITIVE = words("a ont avait avaient aura auront aurait auraient ai as avons avez")
_PARTITIVE |= words("faut fallait faudrait faudra")
_INDEFINITE = frozenset(("un", "une", "des", "du"))
_PRONOUNS = words("je tu il elle on nous vous ils elles")
_CLITICS = words("y en le la les lui leur me te se nous vous")
_ELIDED = re.compile(r"^([lmts])['’](.+)$", re.IGNORECASE)  # l'a, s'est, m'ont
_SUBJECT_STOP = words(
    """qui que qu dont où si quand lorsque lorsqu car parce puisque comme mais
    certains certaines quelques plusieurs beaucoup plupart tous toutes tout chaque
    aucun aucune nul nulle"""
)
_DETERMINERS = words(
    "le la les l' un une des du de d' ce cet cette ces mon ma mes ton ta tes son sa ses "
    "notre nos votre vos leur leurs au aux"
)
_COORDINATORS = words("et ou")
_CONNECTORS = words("mais car donc puis cependant pourtant or sinon")
_OTHER_NEGATIONS = words("pas plus jamais rien aucun aucune guère ni nullement")
_VOWEL = re.compile(r"^[aeiouyéèêëàâîïôûh]", re.IGNORECASE)
_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ]+")


def ne_pas(subject: str, verb: str, rest: str) -> str:
    """``subject ne verb pas rest`` with elision (n'est, n'y a): the one French negation."""
    ne = "n'" if _VOWEL.match(verb) else "ne "
    return " ".join(part for part in (subject, f"{ne}{verb}", "pas", rest) if part)


def french(text: str) -> str | None:
    """The negation of a French statement or yes/no policy question, or None."""
    if text.endswith("?"):
        rewritten = question_to_statements(text)
        return rewritten[1] if rewritten else None
    body, mark = split_final(text)
    tokens = _tokens(body)
    if len(tokens) < 2:
        return None
    if any(t.lower() == "ne" or _is_elided_ne(t) for t in tokens):
        negated = _unnegate(tokens)
    elif {word(t) for t in tokens} & _OTHER_NEGATIONS:
        return None  # "c'est pas", "jamais": a negation without "ne"
    else:
        negated = _negate(tokens)
    return negated + mark if negated else None


def _negate(tokens: list[str]) -> str | None:
    v = _verb_at(tokens)
    if v is None:
        return None
    c = v
    while c > 1 and tokens[c - 1].lower() in _CLITICS:
        c -= 1
    subject, rest = tokens[:c], tokens[v + 1 :]
    if not _subject_ok(subject) or second_clause(tokens[v:], _CONNECTORS, _COORDINATORS, VERBS):
        return None
    if _verb(tokens[v]) in _PARTITIVE and len(rest) > 1 and rest[0].lower() in _INDEFINITE:
        head = f"d'{rest[1]}" if _VOWEL.match(rest[1]) else f"de {rest[1]}"
        rest = [head, *rest[2:]]  # "Il a un chien" → "Il n'a pas de chien"
    return _elide(ne_pas(" ".join(subject), " ".join(tokens[c : v + 1]), " ".join(rest)))


def _unnegate(tokens: list[str]) -> str | None:
    """ "X ne V pas Y" / "X n'V pas Y" → "X V Y" when that is the sentence's only negation."""
    ne = [i for i, t in enumerate(tokens) if t.lower() == "ne" or _is_elided_ne(t)]
    others = [i for i, t in enumerate(tokens) if word(t) in _OTHER_NEGATIONS]
    if len(ne) != 1 or len(others) != 1 or word(tokens[others[0]]) != "pas" or ne[0] == 0:
        return None
    i, j = ne[0], others[0]
    group = tokens[i + 1 : j] if tokens[i].lower() == "ne" else [tokens[i][2:], *tokens[i + 1 : j]]
    if not group or _verb(group[-1]) not in VERBS:
        return None
    if not all(t.lower() in _CLITICS for t in group[:-1]):
        return None
    after = tokens[j + 1 : j + 2]
    if after and (after[0].lower() == "de" or after[0].lower().startswith(("d'", "d’"))):
        return None  # "n'a pas de X": the article it replaced is unknown
    return _elide(" ".join([*tokens[:i], *group, *tokens[j + 1 :]]))


def _verb_at(tokens: list[str]) -> int | None:
    """Index of the finite verb: the first known one, or the word after a subject pronoun."""
    for i, token in enumerate(tokens[1:], start=1):
        if _verb(token) in VERBS:
            return i
    if tokens[0].lower() in _PRONOUNS:
        i = 1
        while i < len(tokens) - 1 and tokens[i].lower() in _CLITICS:
            i += 1
        if _WORD.fullmatch(tokens[i]):
            return i
    return None


def _verb(token: str) -> str:
    """The verb of a token, its elided clitic dropped ("s'est" → "est")."""
    m = _ELIDED.match(token.lower())
    return m[2] if m else token.lower()


def _is_elided_ne(token: str) -> bool:
    return token.lower().startswith(("n'", "n’")) and len(token) > 2


def _subject_ok(subject: list[str]) -> bool:
    if any(t.lower().startswith(("qu'", "qu’", "lorsqu")) for t in subject):
        return False
    return subject_ok(subject, _SUBJECT_STOP, _DETERMINERS, _PRONOUNS | {"ce", "cela", "ça"})


def _tokens(body: str) -> list[str]:
    """Tokens with "C'est" / "J'ai" opened up into "Ce est" / "Je ai" (``_elide`` closes them)."""
    tokens = body.split()
    if tokens and (m := re.match(r"^([CcJj])['’](\w.*)$", tokens[0])):
        tokens[:1] = [m[1] + "e", m[2]]
    return tokens


def _elide(text: str) -> str:
    return re.sub(r"^([CcJj])e (?=[aeiouyéèêh])", r"\1'", text)


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
        return f"Il faut {m['rest']}.", ne_pas("Il", "faut", m["rest"]) + "."
    if m := _YOU.match(q):
        rest = f"{m['adj']} {m['rest']}"
        return f"Je suis {rest}.", ne_pas("Je", "suis", rest) + "."
    if m := _MODAL.match(q):
        subj = m["subj"][0].upper() + m["subj"][1:]
        return f"{subj} {m['verb']} {m['rest']}.", ne_pas(subj, m["verb"], m["rest"]) + "."
    return None
