"""A batch run's steps: about 200 a run but never longer than 10 simulated minutes, so a
burst's finished aggregates are archived as soon in a four-day run as in a one-day one;
and how long the steps are changes nothing the run decides."""

from __future__ import annotations

from itertools import pairwise

import pytest
import simpy

from scenarios.spec.loader import load_scenario
from scenarios.twin import runtime
from scenarios.twin.runtime import MAX_STEP_S, MIN_STEP_S, run, step_length

HOUR_S = 3600.0


def test_a_step_is_a_200th_of_the_run_within_its_bounds() -> None:
    assert step_length(32 * HOUR_S) == 576.0  # black-friday: as before the bound
    assert step_length(104 * HOUR_S) == MAX_STEP_S == 600.0  # peak-weekend: 624 steps
    assert step_length(HOUR_S) == MIN_STEP_S


def test_a_long_run_is_swept_at_least_every_ten_simulated_minutes() -> None:
    scenario = load_scenario(
        "steady-day", ["scenario.scale=0.01", "scenario.duration=48h", "scenario.drain=2h"]
    )
    seen: list[float] = []

    def note(env: simpy.Environment) -> None:
        seen.append(env.now)

    run(scenario, between_steps=note)
    gaps = [later - earlier for earlier, later in pairwise([0.0, *seen])]
    assert max(gaps) == MAX_STEP_S and len(seen) == 300


def test_shorter_steps_decide_the_same_run(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario("steady-day", ["scenario.scale=0.01"])
    digest = run(scenario).seal.digest
    monkeypatch.setattr(runtime, "MAX_STEP_S", 90.0)
    assert step_length(30 * HOUR_S) == 90.0
    assert run(scenario).seal.digest == digest
