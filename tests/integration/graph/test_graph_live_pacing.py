"""The live twin runs its model in slices so the server can answer in between; the
slices must not change the run: sliced as finely as it goes, the day is the batch
run's day, digest for digest."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from graph_support import SCENARIO, gql, wait_for
from starlette.testclient import TestClient

from graph.app import create_app
from graph.schema import composed_schema
from graph.settings import ApiSettings
from hub.adapters.read_model import sqlite_url
from scenarios.live.twin import LiveTwin, Pace
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import EVENTS_BETWEEN_CLOCK_READS, run

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
    # an operator's call goes through the driver, and counts as a hub call
    assert twin.call_hub(twin.result.estate.hub.replay_dead_letters) == 0
    finished = twin.finish_run()
    assert finished.seal.digest == batch.seal.digest
    assert finished.seal.hub_calls == batch.seal.hub_calls + 1


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


def test_start_at_opens_the_api_on_a_morning_of_data() -> None:
    """At one simulated second per wall second the first hour would take an hour; with
    --start-at 1h the twin runs it first, as fast as it goes, then paces the rest."""
    scenario = load_scenario(SCENARIO, OVERRIDES)
    twin = LiveTwin(scenario, Pace(speed=1.0), SCENARIO, OVERRIDES, start_at_s=3600.0)
    folder = Path(tempfile.mkdtemp(prefix="retailtwin-start-at-"))
    settings = ApiSettings()
    app = create_app(
        composed_schema(settings), sqlite_url(folder / "live.sqlite"), settings, twin=twin
    )
    with TestClient(app) as client:
        health = wait_for(
            lambda: (h := client.get("/healthz").json())["simTimeSeconds"] >= 3600 and h
        )
        assert 3600 <= health["modelTimeSeconds"] < 3700 and health["behindSeconds"] < 60
        body = gql(client, "{ orders(first: 1) { totalCount } }")
        assert 0 < body["data"]["orders"]["totalCount"] <= len(twin.result.estate.hub.ctx.orders)
    shutil.rmtree(folder, ignore_errors=True)
