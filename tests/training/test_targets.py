"""Question targets rewritten as statements, and the extra training pairs built from them."""

from __future__ import annotations

import pytest

from stance.model.tasks import PairExample
from stance.training.targets import question_to_statements, statement_examples


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


Q = "Faut-il taxer le kérosène ?"


def _examples(favor: str, against: str) -> list[PairExample]:
    """Two labelled comments on Q, a `none` pair and a target that is no question."""
    return [
        PairExample(Q, favor, "favor", "q1"),
        PairExample(Q, against, "against", "q1"),
        PairExample(Q, "Texte sans rapport.", "none", "q1"),
        PairExample("Emmanuel Macron", "Bravo !", "favor", "t"),
    ]


def test_statement_examples_keep_labels_and_add_restatements() -> None:
    q = Q
    examples = _examples("Oui, enfin !", "Non, le tourisme en souffrirait.")
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


def test_reasoned_examples_state_the_comments_side_and_give_it_as_reason() -> None:
    from stance.training.targets import reasoned_examples

    q = Q
    examples = _examples("L'avion pollue", "Le tourisme en souffrirait.")
    examples.append(PairExample(q, "Il faut taxer le kérosène.", "favor", "q1", annotated=False))
    extra = reasoned_examples(examples * 20, share=1.0, seed=0)
    assert len(extra) == 40  # labelled, annotated pairs with a rewritable question only
    for e in extra:
        assert e.first in (q, "Il faut taxer le kérosène.") and not e.annotated
        if e.label == "favor":
            assert "l'avion pollue." in e.second.lower() and "il faut taxer" in e.second.lower()
        else:
            assert "tourisme" in e.second and "il ne faut pas taxer" in e.second.lower()
    texts = {e.second for e in extra}
    assert "Il faut taxer le kérosène, car l'avion pollue." in texts  # reason after
    assert any(t.startswith("Le tourisme en souffrirait. ") for t in texts)  # reason first
    assert reasoned_examples(examples, share=0.0, seed=0) == []


def test_negated_examples_flip_the_label_toward_the_negated_statement() -> None:
    from stance.training.targets import negated_examples

    examples = _examples("Oui, enfin !", "Non, le tourisme en souffrirait.")
    examples.append(PairExample(Q, "Il faut taxer le kérosène.", "favor", "q1", annotated=False))
    extra = negated_examples(examples, share=1.0, seed=0)
    neg = "Il ne faut pas taxer le kérosène."
    assert sorted((e.first, e.second, e.label) for e in extra) == [
        (neg, "Non, le tourisme en souffrirait.", "favor"),
        (neg, "Oui, enfin !", "against"),
    ]  # `none`, rule-built rows and targets that are no question are left alone
    assert all(e.group == "q1" and not e.annotated for e in extra)
    assert negated_examples(examples, share=0.0, seed=0) == []
    assert 30 < len(negated_examples(examples * 50, share=0.5, seed=0)) < 70


def test_restated_rows_keep_the_label_for_the_statement_and_flip_it_for_the_negation() -> None:
    from stance.training.targets import restated_rows

    rows = [
        {"id": 1, "question": Q, "comment": "Oui.", "label": "FAVOR", "question_id": 7},
        {"id": 2, "question": "Approuvez-vous X ?", "comment": "Non.", "label": "AGAINST"},
    ]
    out = restated_rows(rows)
    assert [(r["id"], r["question"], r["label"]) for r in out] == [
        ("1-s", "Il faut taxer le kérosène.", "FAVOR"),
        ("1-n", "Il ne faut pas taxer le kérosène.", "AGAINST"),
    ]  # a question that cannot be rewritten is left out
    assert all(r["comment"] == "Oui." and r["question_id"] == 7 for r in out)


def test_casual_targets_lowercase_and_drop_the_final_mark() -> None:
    from stance.training.targets import casual_targets

    examples = [PairExample("Il faut taxer le kérosène.", "Oui !", "favor", "q1")] * 50
    out = casual_targets(examples, share=0.5, seed=0)
    assert {e.first for e in out} == {"Il faut taxer le kérosène.", "il faut taxer le kérosène"}
    assert all(e.second == "Oui !" and e.label == "favor" for e in out)  # only the target
    assert casual_targets(examples, share=0.0, seed=0) == examples


def test_neutral_examples_pair_training_targets_with_neutral_text() -> None:
    from stance.training.targets import neutral_examples

    examples = [
        PairExample("Il faut taxer le kérosène.", "Oui !", "favor", "q1"),
        PairExample("La Suisse doit adhérer à l'UE.", "Non.", "against", "q2"),
        PairExample("Règle", "Texte.", "none", "q3", annotated=False),  # not a user target
    ] * 10
    sentences = [f"Phrase neutre {i}." for i in range(100)]
    out = neutral_examples(examples, sentences, share=0.5, seed=0)
    assert len(out) == 15 and len({e.second for e in out}) == 15
    users = {"Il faut taxer le kérosène.", "La Suisse doit adhérer à l'UE."}
    assert {e.first for e in out} <= users
    assert all(e.label == "none" and not e.annotated and e.second in sentences for e in out)
    assert len(neutral_examples(examples, sentences[:3], share=0.5, seed=0)) == 3


def test_rebuttal_examples_report_another_comment_then_answer_it() -> None:
    from stance.training.targets import rebuttal_examples

    favor, against = "Oui, le climat l'exige.", "Non, le tourisme en souffrirait."
    examples = _examples(favor, against) + [
        PairExample(Q, "Oui, taxons enfin les avions.", "favor", "q1"),
        PairExample(Q, "Non, jamais.", "against", "q1", annotated=False),  # rule-made: skipped
    ]
    out = rebuttal_examples(examples, share=1.0, seed=0)
    assert out and all(not e.annotated and e.first == Q for e in out)  # Macron has no partner
    rebuttals = agreements = 0
    for ex in out:
        quoted, _, answer = ex.second.partition("« ")[2].partition(" » ")
        source = next(e for e in examples if e.second == quoted)
        own = next(e for e in examples if answer.endswith(" " + e.second[0].lower() + e.second[1:]))
        assert own.label == ex.label and own is not source and source.annotated
        if source.label == ex.label:
            agreements += 1
            assert answer.startswith(("Ils ont raison", "C'est juste", "Et c'est vrai"))
        else:
            rebuttals += 1
            assert answer.startswith(("Mais", "Pourtant", "C'est faux", "En réalité"))
    assert rebuttals and agreements
    assert rebuttal_examples(examples, share=0.0, seed=0) == []


def test_rebuttal_examples_never_mix_languages_or_overflow_the_window() -> None:
    from stance.training.targets import REBUTTAL_CHARS, rebuttal_examples

    examples = [
        PairExample(Q, "Oui, le climat l'exige.", "favor", "q1"),
        PairExample(Q, "Nein, das ist nicht fair.", "against", "q1"),  # no French partner
        PairExample(Q, "Non. " + "x" * REBUTTAL_CHARS, "against", "q1"),  # too long for any
    ]
    assert rebuttal_examples(examples, share=1.0, seed=0) == []
