"""A run against an external hub: the day stepped against the wall clock at `speed`,
the backends served on a loopback port, the systems' messages POSTed to the hub.

The order of a run: build the estate with the hub left out; open the boundary (the
HTTP face, and `day.started` acknowledged by the hub, because a hub that is not there
is bad input, not a finding: scenarios/twin/external/boundary.py); then step the model
towards `speed` x the wall time elapsed, a slice at a time so the server can answer in
between; after the drain, run on until the hub has gone quiet; seal and hand the
result to the same checker as an in-process run. Nothing the hub does (errors,
silence, garbage) stops the twin: the broker redelivers and counts.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import simpy
import uvicorn

from scenarios.spec.scenario import Scenario
from scenarios.twin.external.boundary import HubBoundary, HubUnreachable, day_started
from scenarios.twin.external.pace import WallPace
from scenarios.twin.external.stalls import Stall, StallSchedule
from scenarios.twin.run_result import RunClock, RunResult
from scenarios.twin.runtime import SETTLE_LIMIT_S, Day, finish, settled, step_towards
from scenarios.twin.timeline import TimelineRecorder
from scenarios.types import Progress

__all__ = ["HubUnreachable", "Stall", "WallClockRun", "day_started", "run_against_hub"]

#: wall seconds the model may run before the loop serves HTTP again
STEP_BUDGET_S = 0.005
#: wall seconds between steps when the model has caught up with the wall clock
TICK_S = 0.002


@dataclass(frozen=True, slots=True)
class WallClockRun:
    """How to run against an external hub."""

    hub_url: str
    #: simulated seconds per wall second
    speed: float
    #: loopback port for the backends (0: any free port)
    port: int = 0
    #: stalls to inflict on the twin (tests of a hub's clock; a real run has none)
    stalls: tuple[Stall, ...] = ()


async def run_against_hub(
    scenario: Scenario,
    how: WallClockRun,
    progress: Progress | None = None,
    observer: TimelineRecorder | None = None,
) -> RunResult:
    """Run `scenario` against the hub at `how.hub_url` and return the sealed result
    for the checker. Raises `HubUnreachable` before any time runs if the hub does not
    acknowledge `day.started`. `observer` records the messages' timeline (for the read
    model `--out` writes)."""
    started = time.perf_counter()
    env = simpy.Environment()
    boundary = HubBoundary(how.hub_url, how.speed, env)
    day = boundary.start_day(scenario, observer)
    end = scenario.duration_s + scenario.drain_s
    await boundary.open(scenario, day.result.estate, how.port)
    try:
        server = boundary.server
        assert server is not None
        pace = boundary.pace
        pace.restart()
        stalls = StallSchedule(how.stalls, boundary.gate.calls_open)
        await _run_day(env, pace, end, progress, server, stalls)
        await _settle(day, pace, server)
        boundary.end_day()
        finish(env, day)
    finally:
        await boundary.close()
    seal = day.result.seal
    seal.wall_seconds = time.perf_counter() - started
    seal.clock = RunClock.WALL
    seal.hub_calls = boundary.hub_calls()
    seal.slipped_wall_s = boundary.pace.slipped_wall_s
    return day.result


async def _run_day(
    env: simpy.Environment,
    pace: WallPace,
    end: float,
    progress: Progress | None,
    server: uvicorn.Server,
    stalls: StallSchedule,
) -> None:
    """Step the model to `end`, keeping it at the wall clock's pace (and stalling the
    twin where a test asked to)."""
    while env.now < end:
        _go_on(server)
        stalls.stall_if_due(float(env.now))
        step_towards(env, stalls.cap(min(end, pace.keep_up(float(env.now)))), STEP_BUDGET_S)
        if progress is not None:
            progress(float(env.now), end)
        await asyncio.sleep(TICK_S)


def _go_on(server: uvicorn.Server) -> None:
    """Stop the day when the face is shutting down: uvicorn took the user's Ctrl-C (or
    a SIGTERM), and a day whose backends no longer answer has nothing left to judge."""
    if server.should_exit:
        raise KeyboardInterrupt("the run was interrupted")


async def _settle(day: Day, pace: WallPace, server: uvicorn.Server) -> None:
    """Run on past the drain, still at the wall's pace, until the hub has gone quiet
    and the broker has nothing left for it, for at most `SETTLE_LIMIT_S`."""
    result = day.result
    env = result.estate.env
    limit = float(env.now) + SETTLE_LIMIT_S
    pace.restart(float(env.now))
    while not settled(result) and env.now < limit:
        _go_on(server)
        step_towards(env, min(limit, pace.keep_up(float(env.now))), STEP_BUDGET_S)
        await asyncio.sleep(TICK_S)
    result.settled_at = float(env.now) if settled(result) else -1.0
