"""``scripts/roles_genres.py``: the binary reading of partial role labels and its F1 interval."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.scripts.scripts_dir import import_script


@pytest.fixture(scope="module")
def genres() -> ModuleType:
    return import_script("roles_genres")


def test_a_gold_on_both_sides_of_a_question_answers_nothing(genres: ModuleType) -> None:
    argument = frozenset({"claim", "premise"})
    assert genres.binary({"claim", "premise"}, argument) == "yes"  # a UKP argument
    assert genres.binary({"none"}, argument) == "no"
    assert genres.binary({"claim", "none"}, argument) is None  # IBM: not evidence
    assert genres.binary({"none", "premise"}, frozenset({"claim"})) == "no"  # IAM: O
    assert genres.binary(set(), argument) is None


def test_f1_of_the_positive_answer_with_an_interval(genres: ModuleType) -> None:
    gold = ["yes", "yes", "no", "no", "yes", "no"] * 10
    pred = ["yes", "no", "no", "yes", "yes", "no"] * 10
    score = genres.f1_interval(gold, pred, n_boot=200)
    assert score["f1"] == pytest.approx(2 * 20 / (2 * 20 + 10 + 10))  # tp 20, fp 10, fn 10
    assert score["low"] < score["f1"] < score["high"] and score["n"] == 60
    assert genres.f1_interval(["no", "no"], ["no", "no"], n_boot=10)["f1"] == 0.0
