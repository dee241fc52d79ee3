"""The twin's backends as an HTTP service, for an external hub to call.

`POST /systems/{system}/{operation}` is a backend call: it enters the simulation
through the gate and the HTTP answer is whatever came back (scenarios/twin/external/
gate.py), however long that takes. A 429 carries `Retry-After` in wall seconds (rounded
up, as RFC 9110 wants whole seconds) and the exact simulated figure in
`X-Retailtwin-Retry-After-Sim-S`. An answer the simulation lost is held for
`LOST_ANSWER_HOLD_SIM_S` simulated seconds (at least `MIN_HOLD_WALL_S` wall seconds) and
then answered 504: by then the hub's own timeout has long decided. `POST
/channels/{channel}/{topic}` hands a feed or a status notice to the broker (202).
`GET /clock` says where the day is. A backend the run guards with access tokens reads
the call's `Authorization: Bearer` header (simulators/credentials.py); the others ignore
it. Nothing a hub sends can reach a simulator unchecked: a body that is not a JSON
object, or that breaks the operation's schema in the contract, is refused with 400 or
422 and never enters the simulation.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from scenarios.twin.external.gate import BackendGate
from scenarios.twin.external.pace import WallPace
from simulators import contract
from simulators.contract import openapi
from simulators.contract.face import unprocessable

#: simulated seconds a lost answer keeps the hub's connection open before a 504
LOST_ANSWER_HOLD_SIM_S = 600.0
MIN_HOLD_WALL_S = 5.0
#: the largest request body the face reads (a full inventory feed is well under it)
MAX_BODY_BYTES = 8 * 1024 * 1024


#: what a backend call still waiting when the day ends is answered
DAY_OVER = (503, {"error": "the run is over: the backends take no more calls"})


@dataclass(slots=True)
class DayState:
    """What `GET /clock` reports, kept current by the runner, and the backend calls
    still waiting for the simulation's answer."""

    sim_now: Callable[[], float]
    end_s: float
    finished: bool = False
    waiting: set[asyncio.Future[tuple[int, dict[str, Any]]]] = field(default_factory=set)

    def finish(self) -> None:
        """The day is over: every call still waiting is answered 503 now. Left waiting,
        each would hold its connection past the server's graceful shutdown and be
        cancelled mid-request, which uvicorn logs as an exception in the application."""
        self.finished = True
        for waiting in self.waiting:
            if not waiting.done():
                waiting.set_result(DAY_OVER)
        self.waiting.clear()


def _problem(status: int, error: str) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status)


def _no_constant(name: str) -> float:
    """Python's reader takes `NaN`, `Infinity` and `-Infinity`, which JSON (RFC 8259)
    does not have: left so, the contract's validators saw a float no schema admits and
    refused it as `null is not of type ...`, naming nothing the caller sent."""
    raise ValueError(f"{name} is not a JSON number (RFC 8259 has no NaN or Infinity)")


async def _json_object(request: Request) -> dict[str, Any] | JSONResponse:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        return _problem(413, f"the body is {len(raw)} bytes; at most {MAX_BODY_BYTES} are read")
    try:
        body = json.loads(raw, parse_constant=_no_constant)
    except ValueError as exc:  # not UTF-8, not JSON, or a number JSON does not have
        return _problem(400, f"the body is not JSON: {exc}")
    if not isinstance(body, dict):
        return _problem(400, f"the body must be a JSON object, got {type(body).__name__}")
    return body


def _bearer(request: Request) -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header (RFC 6750), if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def retry_headers(pace: WallPace, status: int, answer: dict[str, Any]) -> dict[str, str]:
    """A 429's simulated retry delay as `Retry-After` (wall seconds, rounded up) and
    exactly, in simulated seconds."""
    retry_sim = answer.get("retry_after_s")
    if status != 429 or not isinstance(retry_sim, int | float):
        return {}
    return {
        "retry-after": str(max(0, math.ceil(pace.wall(float(retry_sim))))),
        "x-retailtwin-retry-after-sim-s": f"{float(retry_sim):.3f}",
    }


class BackendFace:
    """The routes over one run's gate."""

    def __init__(self, gate: BackendGate, pace: WallPace, day: DayState) -> None:
        self.gate = gate
        self.pace = pace
        self.day = day
        self._document: dict[str, Any] | None = None

    async def _checked_body(
        self, request: Request, what: str, validate: Callable[[dict[str, Any]], list[str]]
    ) -> dict[str, Any] | JSONResponse:
        """The request's body if it is a JSON object the contract accepts, else the
        refusal to answer with (counted: a hub's requests the contract refused)."""
        body = await _json_object(request)
        if not isinstance(body, JSONResponse):
            problems = validate(body)
            if not problems:
                return body
            body = JSONResponse(unprocessable(what, problems), 422)
        self.gate.refused += 1
        return body

    async def system_call(self, request: Request) -> Response:
        system = request.path_params["system"]
        operation = request.path_params["operation"]
        kind = self.gate.contract_name(system)
        if not contract.known(kind, operation):
            self.gate.refused += 1
            return _problem(
                404, f"no operation {system}/{operation} in the contract (GET /openapi.json)"
            )
        if system not in self.gate.systems():
            self.gate.refused += 1
            return _problem(
                404,
                f"this run's estate has no {system} backend: the scenario does not enable it "
                "(day.started's topology.systems lists the ones it has)",
            )
        if self.day.finished:
            return JSONResponse(DAY_OVER[1], DAY_OVER[0])
        body = await self._checked_body(
            request,
            f"{system}/{operation}",
            lambda body: contract.validate_request(kind, operation, body),
        )
        if isinstance(body, JSONResponse):
            return body
        answered: asyncio.Future[tuple[int, dict[str, Any]]] = (
            asyncio.get_running_loop().create_future()
        )

        def answer(status: int, answer_body: dict[str, Any]) -> None:
            if not answered.done():
                answered.set_result((status, answer_body))

        body = contract.requested(kind, operation, body)
        self.gate.call(system, operation, body, answer, _bearer(request))
        hold = max(MIN_HOLD_WALL_S, self.pace.wall(LOST_ANSWER_HOLD_SIM_S))
        self.day.waiting.add(answered)
        try:
            status, answer_body = await asyncio.wait_for(answered, hold)
        except TimeoutError:
            return _problem(504, "the backend's answer was lost")
        finally:
            self.day.waiting.discard(answered)
        headers = retry_headers(self.pace, status, answer_body)
        return JSONResponse(answer_body, status, headers=headers)

    async def channel_publish(self, request: Request) -> Response:
        channel = request.path_params["channel"]
        topic = request.path_params["topic"]
        kind = self.gate.contract_name(channel)
        if not contract.known_topic(kind, topic):
            self.gate.refused += 1
            return _problem(404, f"no topic {channel}/{topic} in the contract (GET /openapi.json)")
        body = await self._checked_body(
            request,
            f"{channel}/{topic}",
            lambda body: contract.validate_publish(kind, topic, body),
        )
        if isinstance(body, JSONResponse):
            return body
        if not self.day.finished:
            self.gate.publish(channel, topic, contract.published(kind, topic, body))
        return JSONResponse({"accepted": True}, 202)

    async def clock(self, _request: Request) -> Response:
        day = self.day
        return JSONResponse(
            {
                "now_s": day.sim_now(),
                "speed": self.pace.speed,
                "end_s": day.end_s,
                "finished": day.finished,
            }
        )

    async def contract_document(self, _request: Request) -> Response:
        if self._document is None:  # built on first asking: most hubs never ask
            self._document = openapi.document()
        return JSONResponse(self._document)


def build_face(gate: BackendGate, pace: WallPace, day: DayState) -> Starlette:
    """The starlette app serving `gate`'s backends and channels over the contract."""
    face = BackendFace(gate, pace, day)
    return Starlette(
        routes=[
            Route("/systems/{system}/{operation}", face.system_call, methods=["POST"]),
            Route("/channels/{channel}/{topic}", face.channel_publish, methods=["POST"]),
            Route("/clock", face.clock, methods=["GET"]),
            Route("/openapi.json", face.contract_document, methods=["GET"]),
        ]
    )
