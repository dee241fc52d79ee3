"""The twin's side of the boundary with an external hub, for one day: the webhook
sender to the hub, the gate and the HTTP face its calls come in by, and the opening
handshake. A run against the hub (`run --hub`, wall_run.py) and a live twin over it
(`serve --hub`, scenarios/live/twin.py) both stand on it; only how they step the day
differs.

The order: `start_day` builds the estate with the hub left out and its link to the
sender; `open` serves the backends on a loopback port (in the caller's event loop) and
tells the hub the day has started (`day.started`: topology, opening stock, the
backends' URL, the speed), waiting for its 2xx, because a hub that is not there is bad
input, not a finding (`HubUnreachable`); `close` stops both. The pace starts when the
caller starts the clock (`pace.restart`), not when the hub answered.
"""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import simpy
import uvicorn

from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import scenario_to_dict
from scenarios.spec.scenario import Scenario
from scenarios.twin.estate import Estate
from scenarios.twin.external.gate import BackendGate
from scenarios.twin.external.http_face import DayState, build_face
from scenarios.twin.external.link import DAY_STARTED_ID, TWIN, ExternalHub
from scenarios.twin.external.pace import WallPace
from scenarios.twin.external.webhooks import WebhookSender
from scenarios.twin.runtime import Day, start
from scenarios.twin.timeline import TimelineRecorder
from simulators.credentials import AUTH_TOKEN, CLIENT_ID
from simulators.faults import HUB

#: wall seconds the hub has to acknowledge `day.started` before the run is refused
HUB_READY_WALL_S = 10.0


class HubUnreachable(RuntimeError):
    """The day could not start: the hub never acknowledged `day.started`, or the
    backends' port was taken. Nothing could be judged."""


def check_runnable(scenario: Scenario) -> None:
    """Refuse, before anything starts, what only the in-process hub can do."""
    if scenario.backends.partners:
        raise ScenarioError(
            "backends.partners: drop-ship partners need the built-in hub; the HTTP "
            "contract does not offer their APIs or messages to a hub outside yet",
            field="backends.partners",
        )
    for index, fault in enumerate(scenario.faults):
        if fault.target == HUB:
            raise ScenarioError(
                f"faults[{index}]: a {fault.target}/{fault.kind} fault needs the built-in hub; "
                "with --hub, crash your hub yourself (docs/integrate.md)",
                field=f"faults[{index}]",
            )


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
            "region_hops": {a: {b: world.hops(a, b) for b in world.regions} for a in world.regions},
            "systems": sorted(estate.backends),
            "credentials": {
                system: {"token_operation": AUTH_TOKEN, "client_id": CLIENT_ID}
                for system in sorted(estate.authorities)
            },
            # several marketplaces, by name (absent: the one named "marketplace")
            **(
                {"marketplaces": [m.system for m in estate.marketplaces]}
                if scenario.backends.marketplaces
                else {}
            ),
        },
        "opening_stock": opening,
        "hub_policy": scenario_to_dict(scenario)["hub"],
    }


def loopback_socket(port: int) -> socket.socket:
    """A socket bound on 127.0.0.1:`port` (0: any free port) for the backends' face;
    `HubUnreachable` when the port is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # accepted connections inherit it: uvicorn serving a socket it was handed leaves
    # Nagle's algorithm on, and a response written as headers then body waited out the
    # hub's delayed ACK, 40 ms per call (measured: 44 ms a round trip, 0.13 ms with it)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise HubUnreachable(
            f"--backends-port {port}: cannot listen on 127.0.0.1:{port} ({exc.strerror}); "
            "leave it out for any free port"
        ) from None
    return sock


class HubBoundary:
    """One day's boundary with the hub at `hub_url`, run at `speed`."""

    def __init__(self, hub_url: str, speed: float, env: simpy.Environment) -> None:
        self.hub_url = hub_url
        self.env = env
        self.pace = WallPace(speed)
        self.sender = WebhookSender(hub_url, None, self.pace, self._sim_now)
        self.link = ExternalHub(hub_url, self.sender, self._sim_now)
        self.backends_url = ""
        self._gate: BackendGate | None = None
        self._state: DayState | None = None
        self._sock: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._serving: asyncio.Task[None] | None = None

    def _sim_now(self) -> float:
        return float(self.env.now)

    @property
    def gate(self) -> BackendGate:
        assert self._gate is not None, "start_day first"
        return self._gate

    @property
    def server(self) -> uvicorn.Server | None:
        """The face's server once open: it sets `should_exit` on Ctrl-C or SIGTERM."""
        return self._server

    def start_day(self, scenario: Scenario, observer: TimelineRecorder | None = None) -> Day:
        """Build the estate with the hub outside it and start the day's processes,
        without running time."""
        day = start(scenario, self.env, observer, external_hub=self.link)
        estate = day.result.estate
        self._gate = BackendGate(self.env, estate.network, estate.backends, estate.receivers)
        self.link.open_gate(self._gate)
        self._state = DayState(self._sim_now, scenario.duration_s + scenario.drain_s)
        return day

    async def open(self, scenario: Scenario, estate: Estate, port: int = 0) -> None:
        """Serve the backends on `port` and have the hub acknowledge `day.started`;
        `HubUnreachable` (with everything closed again) when either fails."""
        assert self._state is not None, "start_day first"
        self._sock = loopback_socket(port)
        config = uvicorn.Config(
            build_face(self.gate, self.pace, self._state),
            log_level="warning",
            lifespan="off",
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._serving = asyncio.create_task(self._server.serve(sockets=[self._sock]))
        try:
            host, bound = self._sock.getsockname()[:2]
            self.backends_url = f"http://{host}:{bound}"
            message = day_started(scenario, estate, self.pace.speed, self.backends_url)
            await self._open_day(message)
        except BaseException:
            await self.close()
            raise

    async def _open_day(self, message: dict[str, Any]) -> None:
        deadline = time.perf_counter() + HUB_READY_WALL_S
        while True:
            if await self.sender.deliver_now(TWIN, DAY_STARTED_ID, message):
                return
            if time.perf_counter() >= deadline:
                raise HubUnreachable(
                    f"the hub at {self.hub_url} did not acknowledge day.started with a 2xx "
                    f"at {self.hub_url.rstrip('/')}/webhooks/{TWIN} within "
                    f"{HUB_READY_WALL_S:.0f} s: is it running, and does it serve the "
                    "contract (docs/integrate.md)?"
                )
            await asyncio.sleep(0.25)

    def end_day(self) -> None:
        """The day is over: the face takes no more backend calls."""
        if self._state is not None:
            self._state.finish()

    async def close(self) -> None:
        """Stop serving the backends and sending webhooks; a call still waiting for
        its answer is answered 503 first, so none is cut off mid-request."""
        self.end_day()
        if self._server is not None and self._serving is not None:
            self._server.should_exit = True
            await asyncio.gather(self._serving, return_exceptions=True)
            self._serving = None
        await self.sender.close()
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def hub_calls(self) -> int:
        """Everything that crossed the boundary: the hub's calls and publishes, and the
        webhooks it took."""
        gate = self.gate
        return gate.calls + gate.publishes + self.sender.counts.delivered
