"""schemathesis generates requests from the contract (docs/contract.openapi.json) and
sends them to the twin's backends, served over HTTP with a day running behind them:
none may end in a server error, and every answer must be one the contract documents,
with the status, headers, content type and body it says.

The scenario's faults are off, and so are the backends' lost answers (a lost answer is
held and then answered 504, a documented failure, but a 5xx all the same): what is
under test is the face and the backends' answers, not the failures a scenario injects.
Examples per operation are bounded to keep `make test` quick.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
import schemathesis
import simpy
import uvicorn
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    status_code_conformance,
)

from scenarios.spec.loader import scenario_from_dict
from scenarios.twin.external.gate import BackendGate
from scenarios.twin.external.http_face import DayState, build_face
from scenarios.twin.external.link import ExternalHub
from scenarios.twin.external.pace import WallPace
from scenarios.twin.external.webhooks import WebhookSender
from scenarios.twin.runtime import start, step_towards
from simulators import contract
from simulators.contract import openapi

QUIET_DAY = {
    "scenario": {"name": "quiet", "description": "No faults, no lost answers.", "duration": "2h"},
    "world": {"skus": 20, "stores": 4, "customers": 50},
    # every backend of the contract, the optional ones too
    "backends": {
        "erp": {"lost_response_rate": 0.0},
        "payment": {"lost_response_rate": 0.0},
        "tax": {"enabled": True},
        "fraud": {"enabled": True},
    },
}
#: the face's own refusals, before a request reaches a backend (400 not JSON, 405 wrong
#: method, 413 too large, 422 off the schema): `validate_answer` knows the backends'
FACE = (400, 405, 413, 422)
#: the hub's webhooks go nowhere in this test (no hub listens): the broker just counts
NOWHERE = "http://127.0.0.1:9"


async def _serve(ready: threading.Event, stop: asyncio.Event, where: list[str]) -> None:
    env = simpy.Environment()
    pace = WallPace(50.0)
    async with aiohttp.ClientSession() as client:
        sender = WebhookSender(NOWHERE, client, pace, lambda: float(env.now))
        link = ExternalHub(NOWHERE, sender, lambda: float(env.now))
        scenario = scenario_from_dict(QUIET_DAY)
        estate = start(scenario, env, external_hub=link).result.estate
        gate = BackendGate(env, estate.network, estate.backends, estate.receivers)
        link.open_gate(gate)
        face = build_face(gate, pace, DayState(lambda: float(env.now), scenario.duration_s))
        sock = socket.socket()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as wall_run's socket
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(face, log_level="warning", lifespan="off"))
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            await asyncio.sleep(0.01)
        where.append(f"http://127.0.0.1:{sock.getsockname()[1]}")
        ready.set()
        while not stop.is_set():
            step_towards(env, pace.target(), 0.005)
            await asyncio.sleep(0.002)
        server.should_exit = True
        await serving
        await sender.close()
        sock.close()


@dataclass(slots=True)
class Face:
    """The twin's backends served from a thread; what ended the thread, if it ended."""

    url: str
    thread: threading.Thread
    failure: list[BaseException]

    def check_alive(self) -> None:
        """A day that died (a simulator raised on some request) is reported at the next
        call, not found by waiting out every call's timeout on a socket nobody serves."""
        assert self.thread.is_alive(), f"the twin's face stopped: {self.failure!r}"


@pytest.fixture(scope="module")
def twin_face() -> Iterator[Face]:
    """The backends of a quiet day, served from a thread of their own (schemathesis
    calls synchronously; the day must go on stepping while it waits for answers)."""
    loop = asyncio.new_event_loop()
    ready, stop, where = threading.Event(), asyncio.Event(), []
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            loop.run_until_complete(_serve(ready, stop, where))
        except BaseException as exc:
            failure.append(exc)
            raise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(30), f"the twin's face never started: {failure!r}"
    yield Face(where[0], thread, failure)
    loop.call_soon_threadsafe(stop.set)
    thread.join(30)
    loop.close()


schema = schemathesis.openapi.from_dict(openapi.document())


@schema.parametrize()
# derandomized: the same examples on every run, so a failure in CI is one you can rerun
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_generated_request_breaks_the_contract(case: Any, twin_face: Face) -> None:
    twin_face.check_alive()
    response = case.call(base_url=twin_face.url, timeout=10)
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
        ],
    )
    # the body against the contract's own validator: schemathesis 4.32 rewrites the
    # draft 2020-12 `prefixItems` of the contract's table rows into a draft-4 `items`
    # list and then rejects its own rewrite (schemathesis issues 3842 and 4099)
    parts = case.path.strip("/").split("/")
    if case.method == "POST" and parts[0] == "systems" and response.status_code not in FACE:
        _, system, operation = parts
        body = response.json()
        assert contract.validate_answer(system, operation, response.status_code, body) == []
