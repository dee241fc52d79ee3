"""The live twin runs its model in slices so the server can answer in between; the
slices must not change the run: sliced as finely as it goes, the day is the batch
run's day, digest for digest."""

from __future__ import annotations

from graph_support import SCENARIO

from scenarios.live import EVENTS_BETWEEN_CLOCK_READS, LiveTwin, Pace
from scenarios.loader import load_scenario
from scenarios.runtime import run

OVERRIDES = ("scenario.scale=0.25", "scenario.duration=3h", "scenario.drain=1h")


def test_a_day_run_in_slices_is_the_batch_run() -> None:
    scenario = load_scenario(SCENARIO, OVERRIDES)
    batch = run(scenario)
    # no budget at all: every call runs one slice of events and hands back
    twin = LiveTwin(scenario, Pace(step_budget_s=0.0), SCENARIO, OVERRIDES)
    calls = 1
    halfway = twin.end_s / 2
    while not twin.advance(halfway):
        calls += 1
    assert twin.env.now == halfway  # the clock stands exactly where it was sent
    while not twin.advance(twin.end_s):
        calls += 1
    assert calls >= 3, f"the day ran in {calls} slices of {EVENTS_BETWEEN_CLOCK_READS} events"
    assert twin.finish_run().digest == batch.digest


def test_health_says_how_far_the_model_is_behind_the_clock() -> None:
    scenario = load_scenario(SCENARIO, OVERRIDES)
    twin = LiveTwin(scenario, Pace(step_budget_s=0.0), SCENARIO, OVERRIDES)
    assert twin.health() == {
        "speed": 60.0,
        "live": True,
        "behindSeconds": 0.0,
        "modelTimeSeconds": 0.0,
    }
    twin.advance(600.0)
    assert twin.health()["modelTimeSeconds"] == float(twin.env.now) > 0
