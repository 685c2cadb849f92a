"""Question targets rewritten as statements, and the extra training pairs built from them."""

from __future__ import annotations

import pytest

from stance.targets import question_to_statements, statement_examples
from stance.tasks import PairExample


@pytest.mark.parametrize(
    ("question", "statement", "negation"),
    [
        (
            "Faut-il interdire les vols intérieurs courts ?",
            "Il faut interdire les vols intérieurs courts.",
            "Il ne faut pas interdire les vols intérieurs courts.",
        ),
        (
            "La Suisse doit-elle adhérer à l'UE?",
            "La Suisse doit adhérer à l'UE.",
            "La Suisse ne doit pas adhérer à l'UE.",
        ),
        (
            "Les impôts devraient-ils  baisser?",
            "Les impôts devraient baisser.",
            "Les impôts ne devraient pas baisser.",
        ),
        (
            "Êtes-vous favorable à un salaire minimum?",
            "Je suis favorable à un salaire minimum.",
            "Je ne suis pas favorable à un salaire minimum.",
        ),
    ],
)
def test_question_shapes_are_rewritten(question: str, statement: str, negation: str) -> None:
    assert question_to_statements(question) == (statement, negation)


def test_unknown_shapes_are_left_alone() -> None:
    assert question_to_statements("Approuvez-vous cette décision?") is None
    assert question_to_statements("Emmanuel Macron") is None


def test_statement_examples_keep_labels_and_add_restatements() -> None:
    q = "Faut-il taxer le kérosène ?"
    examples = [
        PairExample(q, "Oui, enfin !", "favor", "q1"),
        PairExample(q, "Non, le tourisme en souffrirait.", "against", "q1"),
        PairExample(q, "Texte sans rapport.", "none", "q1"),
        PairExample("Emmanuel Macron", "Bravo !", "favor", "t"),
    ]
    extra = statement_examples(examples, share=1.0, seed=0)
    stmt, neg = "Il faut taxer le kérosène.", "Il ne faut pas taxer le kérosène."
    assert PairExample(stmt, "Oui, enfin !", "favor", "q1") in extra
    assert PairExample(stmt, "Non, le tourisme en souffrirait.", "against", "q1") in extra
    assert not [e for e in extra if e.second == "Texte sans rapport."]  # `none` stays as is
    restatements = [e for e in extra if e.second in (stmt, neg)]
    assert sorted((e.first, e.second, e.label) for e in restatements) == sorted(
        [(q, stmt, "favor"), (q, neg, "against"), (stmt, stmt, "favor"), (stmt, neg, "against")]
    )
    assert not [e for e in extra if e.first == "Emmanuel Macron"]
    assert statement_examples(examples, share=0.0, seed=0) == restatements
