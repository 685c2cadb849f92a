"""What every language's negation rule shares."""

from __future__ import annotations

from stance.training.negation.common import (
    MAX_TOKENS,
    capitalised,
    flip_statement,
    second_clause,
    split_final,
    subject_ok,
    usable,
    word,
    words,
)

STOP = words("qui que et mais")
DETERMINERS = words("le la les un une")


def test_only_one_short_plain_sentence_is_usable() -> None:
    assert usable("Il faut interdire les vols courts.")
    assert not usable("")
    assert not usable("Il faut agir. Les vols polluent.")  # two sentences
    assert not usable("Il a dit : « non ».")  # quotation
    assert not usable(" ".join(["mot"] * (MAX_TOKENS + 1)))


def test_tokens_and_final_mark() -> None:
    assert word("«Non»,") == "non"
    assert split_final("X est Y.") == ("X est Y", ".")
    assert split_final("X est Y") == ("X est Y", "")
    assert capitalised("ce n'est pas") == "Ce n'est pas"


def test_subjects_that_are_clauses_or_end_on_a_determiner_are_refused() -> None:
    assert subject_ok(["Le", "nucléaire"], STOP, DETERMINERS)
    assert not subject_ok(["Ceux", "qui", "partent"], STOP, DETERMINERS)
    assert not subject_ok(["Le"], STOP, DETERMINERS)
    assert not subject_ok(["Paris,", "Lyon"], STOP, DETERMINERS)
    assert subject_ok(["Ce"], STOP, DETERMINERS, pronouns=words("ce"))


def test_a_second_clause_after_the_verb_is_seen() -> None:
    assert second_clause(["propre,", "mais", "cher"], STOP)
    assert not second_clause(["une", "énergie", "propre"], STOP)
    assert second_clause(["Y", "et", "devient", "Z"], words(""), words("et"), words("devient"))


def test_flip_statement_keeps_the_mark_and_picks_the_direction() -> None:
    def negate(tokens: list[str]) -> str:
        return " ".join([tokens[0], "NOT", *tokens[1:]])

    def unnegate(tokens: list[str]) -> str:
        return " ".join(t for t in tokens if t != "NOT")

    def is_not(token: str) -> bool:
        return token == "not"

    assert flip_statement("X is Y.", is_not, negate, unnegate) == "X NOT is Y."
    assert flip_statement("X NOT is Y!", is_not, negate, unnegate) == "X is Y!"
    assert flip_statement("Oui.", is_not, negate, unnegate) is None  # one word: refused
    assert flip_statement("X is Y", is_not, lambda tokens: None, unnegate) is None
