"""The french rule, called directly on its own cases (shared with test_init.py)."""

from __future__ import annotations

import pytest

from stance.training.negation.common import usable
from stance.training.negation.french import french
from tests.training.negation.test_init import GOOD, REFUSED

CASES = [(target, negated) for lang, target, negated in GOOD if lang == "fr"]
REFUSALS = [target for lang, target in REFUSED if lang == "fr"]


@pytest.mark.parametrize(("target", "negated"), CASES)
def test_negation(target: str, negated: str) -> None:
    assert french(target) == negated


@pytest.mark.parametrize("target", REFUSALS)
def test_refused(target: str) -> None:
    assert not usable(target) or french(target) is None  # negate() never tries unusable ones


def test_has_cases() -> None:
    assert len(CASES) >= 3 and len(REFUSALS) >= 2
