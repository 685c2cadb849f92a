"""Negating a stance target by rule, in French, English, German and Spanish.

A pair (target, text, favor) gives (negated target, text, against) and the reverse; ``none``
stays ``none``; for NLI (target = hypothesis) entailment and contradiction swap, neutral stays.
That only holds when the rewrite is the sentence's negation, so every rule refuses (returns
None) what it cannot negate safely: no known finite verb, a subject that is a clause (relative
pronoun, conjunction, comma) or a quantifier ("Certains X sont Y" and "Certains X ne sont pas
Y" can both be true), a second clause after the verb, several sentences, a question of an
unknown shape. An already negated sentence ("X n'est pas Y", "X should not Y", "X ist nicht
Y", "X no es Y") is un-negated when its one negation is the one the rule would have added.

One module per language (one place per rule): ``french`` (``ne … pas``; the yes/no policy
questions of X-Stance through ``question_to_statements``), ``english`` ("not" after a modal or
auxiliary, do-support, "Should X be Y?"), ``german`` ("nicht" after the finite verb, "ein" →
"kein"), ``spanish`` ("no" before the finite verb and its clitics); ``common`` holds what they
share. Catalan and other languages are refused.
"""

from __future__ import annotations

from stance.training.negation.common import MAX_TOKENS, Rule, usable
from stance.training.negation.english import english
from stance.training.negation.french import french, question_to_statements
from stance.training.negation.german import german
from stance.training.negation.spanish import spanish

RULES: dict[str, Rule] = {"fr": french, "en": english, "de": german, "es": spanish}
__all__ = ["MAX_TOKENS", "RULES", "negate", "question_to_statements"]


def negate(target: str, language: str) -> str | None:
    """The negation of ``target`` in ``language`` (fr, en, de, es), or None when refused."""
    rule = RULES.get(language)
    text = " ".join(target.split())
    return rule(text) if rule is not None and usable(text) else None
