"""The hub as a web service: webhooks in, one hub per day.

`POST /webhooks/{source}` hands a message to the hub and answers 200 only once the hub
has acknowledged it (after its journal commit), so a message the hub has not taken is
redelivered by the twin. `day.started` (source `twin`) builds a fresh hub for the day
from what the message says (topology, opening stock, the backends' URL, the speed);
`day.closing` closes the trading day. `GET /healthz` says which day is being served.

`ServerDefect` seeds faults into this adapter, not into the core: the negative controls
for an external hub, which the checker must catch from ground truth alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.adapters.http.defects import SLOW_WALL_S, ServerDefect
from hub.adapters.http.transport import HttpTransport
from hub.adapters.http.wall_ports import LoopScheduler, TwinClock, TwinTimers
from hub.core import Hub

log = logging.getLogger("retailtwin.hub")

#: wall seconds a webhook waits for the hub's acknowledgement before answering 503
#: (the twin then redelivers, and the hub's idempotent consumer absorbs the repeat)
ACK_WAIT_WALL_S = 10.0
#: how long the hub waits for the twin's `GET /clock` (a stalled twin answers late)
CLOCK_TIMEOUT = aiohttp.ClientTimeout(total=10.0)
#: the source of the twin's lifecycle messages
TWIN = "twin"


#: how often ACK_THEN_DROP drops a message
DROP_EVERY = 50


@dataclass(frozen=True, slots=True)
class HubPorts:
    """The ports a day's hub is built on."""

    clock: TwinClock
    scheduler: LoopScheduler
    transport: HttpTransport


#: builds the day's hub from `day.started` on the given ports (the caller knows the
#: policy format and where randomness comes from; this adapter does not)
HubFactory = Callable[[Mapping[str, Any], HubPorts], Hub]


class DaySession:
    """One day's hub, its ports, and the webhooks waiting for its acknowledgement."""

    def __init__(
        self, started: Mapping[str, Any], factory: HubFactory, client: aiohttp.ClientSession
    ) -> None:
        self.scenario = str(started.get("scenario", ""))
        self._client = client
        self._backends_url = str(started["backends_url"]).rstrip("/")
        clock = TwinClock(float(started["speed"]))
        timers = TwinTimers(clock, self._ask_twin_clock)
        scheduler = LoopScheduler(clock, timers, self._on_timer)
        transport = HttpTransport(
            client, self._backends_url, clock, timers, self._on_response, self._on_ack
        )
        self.ports = HubPorts(clock, scheduler, transport)
        self._waiting: dict[tuple[str, int], asyncio.Future[None]] = {}
        self.hub = factory(started, self.ports)
        self.received = 0

    def receive(
        self, source: str, message_id: int, payload: Mapping[str, Any]
    ) -> asyncio.Future[None]:
        """Hand a message to the hub; the future completes when the hub acknowledges."""
        key = (source, message_id)
        waiting = self._waiting.get(key)
        if waiting is None or waiting.done():
            waiting = asyncio.get_running_loop().create_future()
            self._waiting[key] = waiting
        self.received += 1
        self.hub.receive(source, message_id, payload)
        return waiting

    def forget(self, source: str, message_id: int) -> None:
        self._waiting.pop((source, message_id), None)

    def _on_ack(self, source: str, message_id: int) -> None:
        waiting = self._waiting.pop((source, message_id), None)
        if waiting is not None and not waiting.done():
            waiting.set_result(None)

    def _on_response(self, system: str, call_id: int, status: int, body: Mapping[str, Any]) -> None:
        try:
            self.hub.on_response(system, call_id, status, body)
        except Exception:  # a hub bug must not take the service down: log it
            log.exception("the hub failed on %s's answer to call %s", system, call_id)

    async def _ask_twin_clock(self) -> float:
        """The twin's simulated time, from its `GET /clock` (answered only when the twin
        is running: a stalled twin answers when it is back)."""
        try:
            async with self._client.get(
                f"{self._backends_url}/clock", timeout=CLOCK_TIMEOUT
            ) as response:
                answer = await response.json(content_type=None)
        except aiohttp.ClientError as exc:
            raise OSError(f"GET /clock: {exc}") from exc
        if not isinstance(answer, dict) or not isinstance(answer.get("now_s"), int | float):
            raise ValueError(f"GET /clock answered {answer!r}")
        return float(answer["now_s"])

    def _on_timer(self, timer: tuple[str, Any]) -> None:
        try:
            self.hub.on_timer(timer)
        except Exception:
            log.exception("the hub failed on timer %s", timer[0])

    async def close(self) -> None:
        self.ports.scheduler.cancel_all()
        await self.ports.transport.close()


class HubService:
    """The state behind the routes: the current day's session, if any."""

    def __init__(self, factory: HubFactory, defects: frozenset[ServerDefect]) -> None:
        self.factory = factory
        self.defects = defects
        self.session: DaySession | None = None
        self.client: aiohttp.ClientSession | None = None
        self._seen = 0

    async def lifecycle(self, payload: Mapping[str, Any]) -> Response:
        kind = payload.get("type")
        if kind == "day.started":
            if self.session is not None:
                await self.session.close()
            assert self.client is not None
            try:
                self.session = DaySession(payload, self.factory, self.client)
            except (KeyError, TypeError, ValueError) as exc:
                self.session = None
                return _error(422, f"day.started: {exc}")
            log.info("day started: %s", self.session.scenario)
            return JSONResponse({"ok": True})
        if kind == "day.closing":
            if self.session is None:
                return _error(409, "no day has started")
            self.session.hub.end_of_day()
            return JSONResponse({"ok": True})
        return _error(422, f"unknown lifecycle message type {kind!r}")

    async def message(self, source: str, message_id: int, payload: Mapping[str, Any]) -> Response:
        session = self.session
        if session is None:
            return _error(409, "no day has started: the twin sends day.started first")
        self._seen += 1
        if ServerDefect.SLOW in self.defects:
            await asyncio.sleep(SLOW_WALL_S)
        if ServerDefect.ACK_THEN_DROP in self.defects:
            if self._seen % DROP_EVERY:
                asyncio.get_running_loop().call_soon(
                    self._receive_unwatched, session, source, message_id, payload
                )
            return JSONResponse({"ok": True})
        try:
            acknowledged = session.receive(source, message_id, payload)
        except (KeyError, TypeError, ValueError) as exc:
            session.forget(source, message_id)
            log.exception("the hub could not take message %s from %s", message_id, source)
            return _error(422, f"the hub could not take this message: {exc!r}")
        try:
            await asyncio.wait_for(asyncio.shield(acknowledged), ACK_WAIT_WALL_S)
        except TimeoutError:
            return _error(503, "not acknowledged yet: deliver it again")
        return JSONResponse({"ok": True})

    @staticmethod
    def _receive_unwatched(
        session: DaySession, source: str, message_id: int, payload: Mapping[str, Any]
    ) -> None:
        try:
            session.receive(source, message_id, payload)
        except Exception:
            log.exception("the hub could not take message %s from %s", message_id, source)
        session.forget(source, message_id)


def _error(status: int, text: str) -> JSONResponse:
    return JSONResponse({"error": text}, status)


def build_hub_app(factory: HubFactory, defects: frozenset[ServerDefect] = frozenset()) -> Starlette:
    service = HubService(factory, defects)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        connector = aiohttp.TCPConnector(limit=64)
        async with aiohttp.ClientSession(connector=connector) as client:
            service.client = client
            yield
            if service.session is not None:
                await service.session.close()

    async def webhook(request: Request) -> Response:
        source = request.path_params["source"]
        try:
            payload = await request.json()
        except ValueError as exc:
            return _error(400, f"the body is not JSON: {exc}")
        if not isinstance(payload, dict):
            return _error(400, "the body must be a JSON object")
        if source == TWIN:
            return await service.lifecycle(payload)
        try:
            message_id = int(request.headers["x-message-id"])
        except (KeyError, ValueError):
            return _error(400, "X-Message-Id must be a decimal integer")
        sim_time = request.headers.get("x-retailtwin-sim-time")
        if service.session is not None and sim_time is not None:
            with contextlib.suppress(ValueError):
                service.session.ports.clock.observe(float(sim_time))
        return await service.message(source, message_id, payload)

    async def healthz(_request: Request) -> Response:
        session = service.session
        return JSONResponse(
            {
                "day": None if session is None else session.scenario,
                "received": 0 if session is None else session.received,
                "defects": sorted(service.defects),
            }
        )

    return Starlette(
        routes=[
            Route("/webhooks/{source}", webhook, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
