"""A run is a pure function of (scenario, seed, code): same inputs, same digest."""

from __future__ import annotations

from runs import SMALL

from scenarios.loader import load_scenario
from scenarios.runtime import run


def _digest(seed: int) -> str:
    return run(load_scenario("steady-day", SMALL, seed)).digest


def test_same_seed_same_digest() -> None:
    assert _digest(3) == _digest(3)


def test_different_seed_different_digest() -> None:
    assert _digest(3) != _digest(4)
