"""A run against an external hub: the day stepped against the wall clock at `speed`,
the backends served on a loopback port, the systems' messages POSTed to the hub.

The order of a run: build the estate with the hub left out; open the HTTP face; tell
the hub the day has started (`day.started`: topology, opening stock, the backends' URL,
the speed) and wait for its 2xx, because a hub that is not there is bad input, not a
finding; then step the model towards `speed` x the wall time elapsed, a slice at a time
so the server can answer in between; after the drain, run on until the hub has gone
quiet; seal and hand the result to the same checker as an in-process run. Nothing the
hub does (errors, silence, garbage) stops the twin: the broker redelivers and counts.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import simpy
import uvicorn

from scenarios.spec.loader import scenario_to_dict
from scenarios.spec.scenario import Scenario
from scenarios.twin.estate import Estate
from scenarios.twin.external.gate import BackendGate
from scenarios.twin.external.http_face import DayState, build_face
from scenarios.twin.external.link import DAY_STARTED_ID, TWIN, ExternalHub
from scenarios.twin.external.pace import WallPace
from scenarios.twin.external.webhooks import WebhookSender
from scenarios.twin.run_result import RunClock, RunResult
from scenarios.twin.runtime import (
    SETTLE_LIMIT_S,
    Day,
    finish,
    settled,
    start,
    step_towards,
)
from scenarios.types import Progress

#: wall seconds the hub has to acknowledge `day.started` before the run is refused
HUB_READY_WALL_S = 10.0
#: wall seconds the model may run before the loop serves HTTP again
STEP_BUDGET_S = 0.005
#: wall seconds between steps when the model has caught up with the wall clock
TICK_S = 0.002
#: most HTTP connections the broker keeps open to the hub
WEBHOOK_CONNECTIONS = 64


class HubUnreachable(RuntimeError):
    """The hub never acknowledged the start of the day: nothing could be judged."""


@dataclass(frozen=True, slots=True)
class WallClockRun:
    """How to run against an external hub."""

    hub_url: str
    #: simulated seconds per wall second
    speed: float
    #: loopback port for the backends (0: any free port)
    port: int = 0


def day_started(
    scenario: Scenario, estate: Estate, speed: float, backends_url: str
) -> dict[str, Any]:
    """The first message a hub receives: what it needs to know before the day runs."""
    world = estate.world
    opening = [
        {"sku": sku, "location": location, "on_hand": on_hand}
        for stock in (world.dc_stock, world.store_stock)
        for (sku, location), on_hand in stock.items()
    ]
    return {
        "type": "day.started",
        "scenario": scenario.name,
        "seed": scenario.seed,
        "speed": speed,
        "duration_s": scenario.duration_s,
        "end_s": scenario.duration_s + scenario.drain_s,
        "backends_url": backends_url,
        "topology": {
            "dcs": [dc.location_id for dc in world.dcs],
            "stores": [store.location_id for store in world.stores],
            "regions": dict(world.region_of()),
        },
        "opening_stock": opening,
        "hub_policy": scenario_to_dict(scenario)["hub"],
    }


@contextmanager
def _loopback_socket(port: int) -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # accepted connections inherit it: uvicorn serving a socket it was handed leaves
    # Nagle's algorithm on, and a response written as headers then body waited out the
    # hub's delayed ACK, 40 ms per call (measured: 44 ms a round trip, 0.13 ms with it)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind(("127.0.0.1", port))
        yield sock
    finally:
        sock.close()


async def run_against_hub(
    scenario: Scenario,
    how: WallClockRun,
    progress: Progress | None = None,
) -> RunResult:
    """Run `scenario` against the hub at `how.hub_url` and return the sealed result
    for the checker. Raises `HubUnreachable` before any time runs if the hub does not
    acknowledge `day.started`."""
    started = time.perf_counter()
    env = simpy.Environment()
    pace = WallPace(how.speed)
    connector = aiohttp.TCPConnector(limit=WEBHOOK_CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as client:
        sender = WebhookSender(how.hub_url, client, pace, lambda: float(env.now))
        link = ExternalHub(how.hub_url, sender, lambda: float(env.now))
        day = start(scenario, env, external_hub=link)
        estate = day.result.estate
        gate = BackendGate(env, estate.network, estate.backends, estate.receivers)
        link.open_gate(gate)
        end = scenario.duration_s + scenario.drain_s
        state = DayState(lambda: float(env.now), end)
        face = build_face(gate, pace, state)
        with _loopback_socket(how.port) as sock:
            config = uvicorn.Config(
                face,
                log_level="warning",
                lifespan="off",
                access_log=False,
                timeout_graceful_shutdown=1,
            )
            server = uvicorn.Server(config)
            serving = asyncio.create_task(server.serve(sockets=[sock]))
            try:
                host, port = sock.getsockname()[:2]
                message = day_started(scenario, estate, how.speed, f"http://{host}:{port}")
                await _open_day(sender, message, how.hub_url)
                pace.restart()
                await _run_day(env, pace, end, progress, server)
                await _settle(env, day, pace, server)
                state.finished = True
                finish(env, day)
            finally:
                server.should_exit = True
                await serving
                await sender.close()
    seal = day.result.seal
    seal.wall_seconds = time.perf_counter() - started
    seal.clock = RunClock.WALL
    seal.hub_calls = gate.calls + gate.publishes + sender.counts.delivered
    return day.result


async def _open_day(sender: WebhookSender, message: dict[str, Any], hub_url: str) -> None:
    deadline = time.perf_counter() + HUB_READY_WALL_S
    while True:
        if await sender.deliver_now(TWIN, DAY_STARTED_ID, message):
            return
        if time.perf_counter() >= deadline:
            raise HubUnreachable(
                f"the hub at {hub_url} did not acknowledge day.started with a 2xx at "
                f"{hub_url.rstrip('/')}/webhooks/{TWIN} within {HUB_READY_WALL_S:.0f} s: "
                "is it running, and does it serve the contract (docs/integrate.md)?"
            )
        await asyncio.sleep(0.25)


async def _run_day(
    env: simpy.Environment,
    pace: WallPace,
    end: float,
    progress: Progress | None,
    server: uvicorn.Server,
) -> None:
    """Step the model to `end`, keeping it at the wall clock's pace."""
    while env.now < end:
        _go_on(server)
        step_towards(env, min(end, pace.target()), STEP_BUDGET_S)
        if progress is not None:
            progress(float(env.now), end)
        await asyncio.sleep(TICK_S)


def _go_on(server: uvicorn.Server) -> None:
    """Stop the day when the face is shutting down: uvicorn took the user's Ctrl-C (or
    a SIGTERM), and a day whose backends no longer answer has nothing left to judge."""
    if server.should_exit:
        raise KeyboardInterrupt("the run was interrupted")


async def _settle(env: simpy.Environment, day: Day, pace: WallPace, server: uvicorn.Server) -> None:
    """Run on past the drain, still at the wall's pace, until the hub has gone quiet
    and the broker has nothing left for it, for at most `SETTLE_LIMIT_S`."""
    result = day.result
    limit = float(env.now) + SETTLE_LIMIT_S
    pace.restart(float(env.now))
    while not settled(result) and env.now < limit:
        _go_on(server)
        step_towards(env, min(limit, pace.target()), STEP_BUDGET_S)
        await asyncio.sleep(TICK_S)
    result.settled_at = float(env.now) if settled(result) else -1.0
