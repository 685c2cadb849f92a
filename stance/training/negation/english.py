"""English: "not" after the modal or auxiliary, do-support, "Should X be Y?" as a statement.

"X should Y" → "X should not Y", "X is Y" → "X is not Y", "X can Y" → "X cannot Y", "X has a
Y" → "X does not have a Y", "He likes Y" / "The man plays Y" → "… does not like / play Y"
(present tense, a pronoun or a determiner and one noun as subject: a past or plural verb, or
the verb after a longer noun phrase, cannot be told from a noun without a tagger). "Should
children be allowed X?" → "Children should not be allowed X."; "This house believes that X"
keeps its frame and negates X. "X is not Y" → "X is Y" the other way.
"""

from __future__ import annotations

import re

from stance.training.negation.common import (
    capitalised,
    flip_statement,
    second_clause,
    subject_ok,
    word,
    words,
)

MODALS = words("will would should must can could may might shall")
AUX = MODALS | words("is are was were am")
_HAVE = {"has": "does not have", "have": "do not have", "had": "did not have"}
_FINITE = AUX | frozenset(_HAVE)
_NOUN_SIGN = AUX | words("has had")  # "Free will is X": after a modal, "will" is a noun
_CONTRACTED = {
    **{f"{a}n't": a for a in sorted(words("is are was were has have had could would should must"))},
    "can't": "can",
    "cannot": "can",
    "won't": "will",
    "shan't": "shall",
}
_NEGATIONS = words("not never no nothing nobody none neither nor cannot")
_STOP = words(
    """who whom whose which where when if because although though while whether since unless
    some many several few most all every each any no none nobody nothing everyone everybody
    someone somebody anyone"""
)
_DEMONSTRATIVES = words("this that these those")
_DETERMINERS = words("the a an this these those his her its their our my your")
_COORDINATORS = words("and or")
_CONNECTORS = words("but so yet although though because while whereas unless")
_POLARITY = words("any anything anyone anybody anywhere ever yet")  # need a negation
_SCOPE = words("all both always only also even just already still ever")
_PARTICIPLE = words(
    """been got gone done made seen had taken given become come run put set left lost won
    brought bought thought told said kept found felt held led met paid sent spent stood known
    begun grown shown drawn written driven eaten fallen forgotten gotten hidden spoken stolen
    worn chosen frozen broken"""
)
_PREPOSITIONS = words("with in on of at for from by into near under over wearing")
_NOT_VERBS = words(
    """always sometimes perhaps thus towards afterwards besides unless this his its yes news
    series species is was has does"""
)
_FRAME = re.compile(r"^(This house (?:believes|thinks)(?: that)?) (.+)$", re.IGNORECASE)
_SHOULD_BE = re.compile(r"^(Should|Must) (?P<subj>.+?) be (?P<rest>.+?)\s*\??$", re.IGNORECASE)
_SHOULD_WE = re.compile(r"^(Should|Must) (?P<subj>we|you|they|I) (?P<rest>.+?)\s*\??$", re.I)


def english(text: str) -> str | None:
    """The negation of an English statement (or "Should X be Y?" question), or None."""
    if m := _FRAME.match(text):
        inner = english(m[2])
        return f"{m[1]} {inner}" if inner else None
    text = text.replace("’", "'")
    if text.lower().startswith(("should ", "must ")):
        return _question(text)
    if "?" in text:
        return None
    return flip_statement(text, _is_negation, _negate, _unnegate)


def _is_negation(token: str) -> bool:
    return token in _NEGATIONS or token.endswith("n't")


def _question(text: str) -> str | None:
    """ "Should SUBJ be REST?" → "SUBJ should not be REST."; "Should we REST?" likewise."""
    m = _SHOULD_BE.match(text) or _SHOULD_WE.match(text)
    if m is None or {word(t) for t in m["rest"].split()} & _NEGATIONS:
        return None
    subject, rest = m["subj"].split(), m["rest"]
    if not _subject_ok(subject) or _second_clause(rest.split()):
        return None
    be = "be " if m.re is _SHOULD_BE else ""
    return f"{capitalised(m['subj'])} {m[1].lower()} not {be}{rest}."


def _negate(tokens: list[str]) -> str | None:
    v = next((i for i, t in enumerate(tokens[1:], start=1) if word(t) in _FINITE), None)
    if v is None:
        return _do_support(tokens)
    subject, verb, rest = tokens[:v], tokens[v], tokens[v + 1 :]
    if not _subject_ok(subject) or _second_clause(rest):
        return None
    if rest and (word(rest[0]) in _SCOPE or (word(verb) in MODALS and word(rest[0]) in _NOUN_SIGN)):
        return None  # "We must all X": "not" inside "all"; "Free will is X": "will" is a noun
    if verb.lower() in _HAVE and not (rest and _participle(rest[0])):
        negated = _HAVE[verb.lower()]  # "has a dog" → "does not have a dog"
    elif verb.lower() == "can":
        negated = f"{verb}not"
    else:
        negated = f"{verb} not"
    return " ".join([*subject, negated, *rest])


def _do_support(tokens: list[str]) -> str | None:
    """ "He likes X" / "The man plays X" → "… does not like / play X" (present, singular)."""
    first = tokens[0].lower()
    if first in ("he", "she", "it"):
        k = 1
    elif first in _DETERMINERS:
        k = 2  # determiner + one noun: "The civil procedure rules allow X" has no safe verb
        if len(tokens) < 3 or {tokens[1].lower()} & (_NOT_VERBS | _STOP | _PREPOSITIONS):
            return None
    else:
        return None
    verb = tokens[k]
    if not _third_person(verb) or _second_clause(tokens[k + 1 :]):
        return None
    return " ".join([*tokens[:k], "does not", base_form(verb), *tokens[k + 1 :]])


def _unnegate(tokens: list[str]) -> str | None:
    """ "X is not Y" / "X isn't Y" / "X cannot Y" / "They do not Y" → the positive sentence."""
    found = [i for i, t in enumerate(tokens) if word(t) in _NEGATIONS or word(t).endswith("n't")]
    if len(found) != 1 or found[0] == 0:
        return None
    i = found[0]
    token = word(tokens[i])
    if {word(t) for t in tokens[i + 1 :]} & _POLARITY:
        return None  # "They don't do anything" → "They do anything" is no sentence
    if token in _CONTRACTED:
        return " ".join([*tokens[:i], _keep_case(tokens[i], _CONTRACTED[token]), *tokens[i + 1 :]])
    if token in ("don't", "doesn't"):  # opened up: "doesn't like" → "does not like"
        tokens = [*tokens[:i], token[:-3], "not", *tokens[i + 1 :]]
        i += 1
    elif token != "not":
        return None
    before, rest = word(tokens[i - 1]), tokens[i + 1 :]
    if i < 2 or not rest:
        return None
    if before in _FINITE:
        return " ".join([*tokens[:i], *rest])
    if before == "do":
        return " ".join([*tokens[: i - 1], *rest])
    if before == "does" and re.fullmatch(r"[a-z]+", rest[0]):
        return " ".join([*tokens[: i - 1], third_person(rest[0]), *rest[1:]])
    return None


def _subject_ok(subject: list[str]) -> bool:
    ws = [word(t) for t in subject]
    if "that" in ws[1:]:  # "The idea that X is Y": a clause; "That X is Y" is fine
        return False
    return subject_ok(subject, _STOP, _DETERMINERS, _DEMONSTRATIVES)


def _second_clause(rest: list[str]) -> bool:
    return second_clause(rest, _CONNECTORS, _COORDINATORS, _FINITE)


def _participle(token: str) -> bool:
    w = word(token)
    return w.endswith("ed") or w in _PARTICIPLE


def _third_person(token: str) -> bool:
    """A present-tense singular verb: "likes", "watches" (not "glass", "bus", "this")."""
    if not re.fullmatch(r"[a-z]+s", token) or token in _NOT_VERBS:
        return False
    return not token.endswith(("ss", "us", "is", "ous"))


def base_form(verb: str) -> str:
    """ "likes" → "like", "watches" → "watch", "studies" → "study", "has" → "have"."""
    if verb in ("has", "does", "goes"):
        return {"has": "have", "does": "do", "goes": "go"}[verb]
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "zzes", "oes")):
        return verb[:-2]
    return verb[:-1]


def third_person(verb: str) -> str:
    """ "like" → "likes", "watch" → "watches", "study" → "studies", "have" → "has"."""
    if verb in ("have", "do", "go"):
        return {"have": "has", "do": "does", "go": "goes"}[verb]
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "z", "o")) else "s")


def _keep_case(original: str, replacement: str) -> str:
    return replacement.capitalize() if original[:1].isupper() else replacement
