"""Idempotency keys are remembered one to two windows, in two generations, then
forgotten: a gateway's memory follows what is in flight, not the day's total."""

from __future__ import annotations

import pytest

from simulators.key_memory import KeyMemory


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_key_is_remembered_for_at_least_one_window() -> None:
    clock = _Clock()
    memory: KeyMemory[str] = KeyMemory(100.0, clock)
    clock.now = 99.0
    memory.put("k", "first")
    # rolled into the previous generation at 100, still held until 200
    for now in (99.0, 150.0, 198.9, 199.0):
        clock.now = now
        assert memory.get("k") == "first"
    clock.now = 200.0
    assert memory.get("k") is None


def test_a_key_is_forgotten_after_two_windows_even_unconsulted() -> None:
    clock = _Clock()
    memory: KeyMemory[str] = KeyMemory(100.0, clock)
    memory.put("k", "first")
    clock.now = 200.0
    assert memory.get("k") is None
    assert len(memory) == 0


def test_generations_roll_at_whole_windows_from_the_first() -> None:
    clock = _Clock()
    memory: KeyMemory[int] = KeyMemory(100.0, clock)
    memory.put("a", 1)
    clock.now = 150.0
    memory.put("b", 2)  # rolls: a is previous, b is current (window 100-200)
    assert (memory.get("a"), memory.get("b"), len(memory)) == (1, 2, 2)
    clock.now = 250.0  # window 200-300: a goes, b is previous
    memory.put("c", 3)
    assert (memory.get("a"), memory.get("b"), memory.get("c")) == (None, 2, 3)
    clock.now = 310.0  # window 300-400, not 250-350: b goes at 300
    assert (memory.get("b"), memory.get("c"), len(memory)) == (None, 3, 1)


def test_the_current_generation_answers_before_the_previous() -> None:
    clock = _Clock()
    memory: KeyMemory[str] = KeyMemory(10.0, clock)
    memory.put("k", "old")
    clock.now = 25.0  # two windows on: forgotten, so a new value may be kept
    assert memory.get("k") is None
    memory.put("k", "new")
    assert memory.get("k") == "new"


def test_a_window_must_be_longer_than_zero() -> None:
    with pytest.raises(ValueError, match="longer than 0"):
        KeyMemory(0.0, _Clock())
