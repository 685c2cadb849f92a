"""Freed memory goes back to the OS every few hundred sentences, not on every call."""

from __future__ import annotations

import pytest

import stance.model.memory as memory


def test_trimmer_trims_once_enough_sentences_were_labelled(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(memory, "trim", lambda: calls.append(1) or True)
    trimmer = memory.Trimmer(every=10)
    assert [trimmer.add(n) for n in (4, 4, 4, 3, 9)] == [False, False, True, False, True]
    assert len(calls) == 2


def test_trim_runs_here() -> None:
    """On glibc (CI's Linux) the call exists and returns; elsewhere it reports False."""
    assert memory.trim() is (memory._libc() is not None)
