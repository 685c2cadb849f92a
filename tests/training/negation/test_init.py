"""Negation of stance targets: the dispatcher `negate` over the four languages, with the cases
each language module is also checked on directly (tests/training/negation/test_<language>.py)."""

from __future__ import annotations

import pytest

from stance.training.negation import negate, question_to_statements
from stance.training.negation.english import base_form, third_person

GOOD = [
    # French: ne … pas around the modal / copula / auxiliary, clitics inside, elision
    (
        "fr",
        "Il faut interdire les vols intérieurs courts",
        "Il ne faut pas interdire les vols intérieurs courts",
    ),
    ("fr", "Le nucléaire est une énergie propre.", "Le nucléaire n'est pas une énergie propre."),
    ("fr", "C'est une bonne idée.", "Ce n'est pas une bonne idée."),
    ("fr", "La Suisse doit adhérer à l'UE.", "La Suisse ne doit pas adhérer à l'UE."),
    ("fr", "Il y a des problèmes.", "Il n'y a pas de problèmes."),
    ("fr", "Il a un chien.", "Il n'a pas de chien."),
    (
        "fr",
        "Un mois s'est écoulé depuis les élections.",
        "Un mois ne s'est pas écoulé depuis les élections.",
    ),
    ("fr", "Ils connaissaient les coûts exacts.", "Ils ne connaissaient pas les coûts exacts."),
    ("fr", "Faut-il taxer le kérosène ?", "Il ne faut pas taxer le kérosène."),
    ("fr", "Ce n'est pas une bonne idée.", "C'est une bonne idée."),  # un-negated
    ("fr", "Le programme ne sera pas terminé en 2000.", "Le programme sera terminé en 2000."),
    # English: not after modal / auxiliary, cannot, do-support, questions with "be", frames
    ("en", "Animals should have rights", "Animals should not have rights"),
    ("en", "Free press is vital in democracy", "Free press is not vital in democracy"),
    ("en", "Her husband can corroborate her story.", "Her husband cannot corroborate her story."),
    ("en", "The man has a dog.", "The man does not have a dog."),
    (
        "en",
        "It has been a month since the election.",
        "It has not been a month since the election.",
    ),
    ("en", "He likes cats.", "He does not like cats."),
    ("en", "The man watches TV.", "The man does not watch TV."),
    ("en", "Should animal testing be banned?", "Animal testing should not be banned."),
    ("en", "Should we legalize euthanasia?", "We should not legalize euthanasia."),
    (
        "en",
        "This house believes that advertising is harmful",
        "This house believes that advertising is not harmful",
    ),
    ("en", "Poetry should not be taught in schools", "Poetry should be taught in schools"),
    ("en", "They can't vote.", "They can vote."),
    ("en", "Her doll does not bring her comfort.", "Her doll brings her comfort."),
    # German: nicht after the finite verb, ein → kein
    ("de", "Die Schweiz sollte der EU beitreten.", "Die Schweiz sollte nicht der EU beitreten."),
    ("de", "Atomkraft ist gefährlich.", "Atomkraft ist nicht gefährlich."),
    ("de", "Das ist ein Problem.", "Das ist kein Problem."),
    ("de", "Er hatte eine Beziehung.", "Er hatte keine Beziehung."),
    ("de", "Er hat keinen Hund.", "Er hat einen Hund."),
    ("de", "Ich stimme nicht mit ihm überein.", "Ich stimme mit ihm überein."),
    # Spanish: no before the finite verb and its clitics
    ("es", "El gobierno debe bajar los impuestos.", "El gobierno no debe bajar los impuestos."),
    ("es", "La energía nuclear es peligrosa.", "La energía nuclear no es peligrosa."),
    ("es", "Juan lo ha dicho.", "Juan no lo ha dicho."),
    ("es", "Ha pasado un mes desde las elecciones.", "No ha pasado un mes desde las elecciones."),
    ("es", "No hay factores que ayuden.", "Hay factores que ayuden."),
]

REFUSED = [
    ("fr", "Certains élèves sont paresseux."),  # quantifier: both can be true
    ("fr", "Le livre que la fille a lu est bon."),  # the first verb is in a relative clause
    ("fr", "Les sommes versées sont trop élevées."),  # "sommes" is a noun here
    ("fr", "Ils ont été capturés, mais voulaient s'enfuir."),  # a second clause
    ("fr", "Je ne suis pas d'accord."),  # "pas de": the article it replaced is unknown
    ("fr", "Aucun facteur n'aide les populations."),  # no known verb after "n'"
    ("fr", "Approuvez-vous cette décision ?"),  # a question of unknown shape
    ("fr", "Emmanuel Macron"),  # no verb
    ("fr", "Il est venu. Il est reparti."),  # two sentences
    ("en", "Some students are lazy."),
    ("en", "People who are poor should get aid."),
    ("en", "Free will is an illusion"),  # "will" is a noun
    ("en", "We must all believe in human rights"),  # "not" would fall inside "all"
    ("en", "They knew the exact costs."),  # past tense: no do-support
    ("en", "The civil procedure rules allow a fair trial"),  # which word is the verb?
    ("en", "A man with glasses reads."),
    ("en", "Blasphemy has no place on the statute books"),  # "no" is not the rule's negation
    ("en", "IRT artists don't do anything with kids."),  # "anything" needs the negation
    ("en", "Is the advertisement harmful?"),
    ("en", "abortion"),
    ("de", "Er hat Angst."),  # "keine Angst", not "nicht Angst"
    ("de", "Es gibt keine Faktoren."),  # "keine": singular or plural?
    ("de", "Alle Kinder sind müde."),
    ("de", "Das Theater ist finanziert und wird sich abwenden."),  # a second clause
    ("de", "Soll die Schweiz der EU beitreten?"),
    ("es", "Algunos estudiantes son perezosos."),
    ("es", "No tiene nada."),  # two negations
    ("es", "Ellos habían sido capturados pero querían escapar."),
    ("es", "¿Asististe al campamento?"),
    ("es", "La independencia de Cataluña"),
    ("ca", "La independència de Catalunya és bona."),  # no Catalan rules
]


@pytest.mark.parametrize(("language", "target", "negated"), GOOD)
def test_targets_are_negated(language: str, target: str, negated: str) -> None:
    assert negate(target, language) == negated


@pytest.mark.parametrize(
    ("language", "target"),
    [
        ("fr", "Le nucléaire est une énergie propre."),
        ("fr", "Un mois s'est écoulé depuis les élections."),
        ("en", "Free press is vital in democracy"),
        ("en", "He likes cats."),
        ("de", "Die Schweiz sollte der EU beitreten."),
        ("es", "Juan lo ha dicho."),
        ("es", "Hay factores que ayuden."),
    ],
)
def test_negating_twice_gives_the_target_back(language: str, target: str) -> None:
    negated = negate(target, language)
    assert negated is not None and negate(negated, language) == target


@pytest.mark.parametrize(("language", "target"), REFUSED)
def test_unsafe_targets_are_refused(language: str, target: str) -> None:
    assert negate(target, language) is None


def test_french_questions_keep_their_statements() -> None:
    assert question_to_statements("Êtes-vous favorable à un salaire minimum?") == (
        "Je suis favorable à un salaire minimum.",
        "Je ne suis pas favorable à un salaire minimum.",
    )


@pytest.mark.parametrize(
    ("third", "base"),
    [
        ("likes", "like"),
        ("watches", "watch"),
        ("studies", "study"),
        ("has", "have"),
        ("goes", "go"),
    ],
)
def test_english_verb_forms(third: str, base: str) -> None:
    assert base_form(third) == base and third_person(base) == third
