"""The twin's HTTP face for external hubs, over real sockets: the webhook broker
redelivers until a 2xx and counts a silent hub; the backends' face refuses what is not
a JSON object, or breaks the contract's schema, naming what it expected; it carries a
call through the simulation, and turns a 429's simulated retry delay into `Retry-After`
at the run's speed; the first message a hub gets matches the contract."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import aiohttp
import httpx2
import pytest
import simpy
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from scenarios.spec.loader import scenario_from_dict
from scenarios.twin.external import webhooks
from scenarios.twin.external.gate import BackendGate
from scenarios.twin.external.http_face import DayState, build_face
from scenarios.twin.external.link import QUIET_S, ExternalHub
from scenarios.twin.external.pace import WallPace
from scenarios.twin.external.wall_run import day_started
from scenarios.twin.external.webhooks import WebhookSender
from scenarios.twin.runtime import start, step_towards
from simulators import contract


@asynccontextmanager
async def serving(app: Starlette) -> AsyncIterator[str]:
    """`app` on a loopback port of this event loop; yields its base URL."""
    sock = socket.socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as wall_run's socket
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


def hub_app(answer: Callable[[Request], Awaitable[Response]]) -> Starlette:
    return Starlette(routes=[Route("/webhooks/{source}", answer, methods=["POST"])])


async def until(condition: Callable[[], bool], limit_s: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit_s
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition never held"
        await asyncio.sleep(0.01)


def test_a_webhook_is_redelivered_until_the_hub_takes_it() -> None:
    seen: list[dict[str, Any]] = []

    async def refuse_twice(request: Request) -> Response:
        seen.append({**request.headers, "body": json.loads(await request.body())})
        return JSONResponse({}, 503 if len(seen) <= 2 else 200)

    async def scenario() -> WebhookSender:
        async with serving(hub_app(refuse_twice)) as url, aiohttp.ClientSession() as client:
            sender = WebhookSender(url, client, WallPace(speed=1000.0), lambda: 42.0)
            sender.send("web", 7, {"type": "order.created", "order_ref": "W-1"})
            await until(lambda: sender.pending() == 0)
            await sender.close()
            return sender

    sender = asyncio.run(scenario())
    assert [int(s["x-retailtwin-attempt"]) for s in seen] == [1, 2, 3]
    assert {s["x-message-id"] for s in seen} == {"7"}
    assert {s["x-correlation-id"] for s in seen} == {"W-1"}
    assert float(seen[0]["x-retailtwin-sim-time"]) == 42.0
    assert seen[-1]["body"] == {"type": "order.created", "order_ref": "W-1"}
    counts = sender.counts
    assert (counts.delivered, counts.refused, counts.redelivered) == (1, 2, 2)


def test_a_silent_hub_is_counted_and_its_messages_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webhooks, "MIN_POST_TIMEOUT_WALL_S", 0.1)

    async def never(_request: Request) -> Response:
        await asyncio.sleep(30)
        return JSONResponse({})

    async def scenario() -> WebhookSender:
        async with serving(hub_app(never)) as url, aiohttp.ClientSession() as client:
            sender = WebhookSender(url, client, WallPace(speed=1000.0), lambda: 0.0)
            sender.send("wms", 1, {"msg": "ORDER_PICKED", "orderRef": "W-2"})
            await until(lambda: sender.counts.unanswered >= 2)
            pending = sender.pending()
            await sender.close()
            assert pending == 1
            return sender

    sender = asyncio.run(scenario())
    assert sender.counts.delivered == 0
    assert sender.counts.redelivered >= 1


TINY = {
    "scenario": {"name": "tiny", "description": "A tiny estate.", "duration": "1h"},
    "world": {"skus": 20, "stores": 4, "customers": 50},
}


@asynccontextmanager
async def face_of_a_tiny_day(
    speed: float, clock_runs: bool = True
) -> AsyncIterator[tuple[str, DayState, Any]]:
    """A tiny estate with an external hub link, its face served, its clock stepped at
    `speed` in the background (or standing still, so every call waits on the
    simulation); yields the face's URL, its day and the estate."""
    env = simpy.Environment()
    pace = WallPace(speed)
    async with aiohttp.ClientSession() as client:
        sender = WebhookSender("http://127.0.0.1:9", client, pace, lambda: float(env.now))
        link = ExternalHub("http://127.0.0.1:9", sender, lambda: float(env.now))
        estate = start(scenario_from_dict(TINY), env, external_hub=link).result.estate
        gate = BackendGate(env, estate.network, estate.backends, estate.receivers)
        link.open_gate(gate)
        day = DayState(lambda: float(env.now), 3600.0)

        async def step() -> None:
            while clock_runs:
                step_towards(env, pace.target(), 0.005)
                await asyncio.sleep(0.002)

        stepping = asyncio.create_task(step())
        try:
            async with serving(build_face(gate, pace, day)) as url:
                yield url, day, estate
        finally:
            stepping.cancel()
            await asyncio.gather(stepping, return_exceptions=True)
            await sender.close()


def test_a_hub_that_has_just_taken_a_message_has_not_gone_quiet() -> None:
    """The run ends once the hub has gone quiet. A hub answers a webhook before it acts
    on it (the minimal example's refund call leaves a millisecond after its 200), so a
    hub quiet for hours that has just taken a late message (a return's inspection,
    redelivered) is not quiet: judged from its calls alone, the run ended between the
    200 and the refund."""
    now = [0.0]

    async def take(_request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def scenario() -> list[bool]:
        async with serving(hub_app(take)) as url, aiohttp.ClientSession() as client:
            env = simpy.Environment()
            sender = WebhookSender(url, client, WallPace(speed=1000.0), lambda: now[0])
            link = ExternalHub(url, sender, lambda: now[0])
            estate = start(scenario_from_dict(TINY), env, external_hub=link).result.estate
            link.open_gate(BackendGate(env, estate.network, estate.backends, estate.receivers))
            now[0] = 4 * QUIET_S  # a quiet spell: nothing called or published since 0
            idle = [link.idle()]
            inspected = {"msg": "RETURN_INSPECTED", "rma": "MPR-1", "dc": "DC-1", "stock": []}
            sender.send("wms", 5, inspected)
            await until(lambda: sender.pending() == 0)
            idle.append(link.idle())
            now[0] += QUIET_S - 1.0
            idle.append(link.idle())
            now[0] += 1.0
            idle.append(link.idle())
            await sender.close()
            return idle

    assert asyncio.run(scenario()) == [True, False, False, True]


def test_the_face_refuses_what_is_not_a_json_object() -> None:
    async def scenario() -> list[tuple[int, dict[str, Any]]]:
        async with (
            face_of_a_tiny_day(100.0) as (url, _day, _estate),
            httpx2.AsyncClient(base_url=url) as http,
        ):
            answers = [
                await http.post("/systems/payment/authorize", content=b"not json"),
                await http.post("/systems/payment/authorize", json=[1, 2]),
                await http.post("/systems/nowhere/authorize", json={}),
                await http.post("/channels/web/inventory", content=b"\xff\xfe"),
                await http.post("/systems/payment/authorize", json={"amount": "ten"}),
                await http.post(
                    "/systems/tax/quote", json={"code": "W-1", "region": "north", "lines": []}
                ),
                await http.post(
                    "/systems/payment/authorize",
                    content=b'{"reference": "W-9", "amount": NaN, "idempotency_key": "k"}',
                ),
            ]
            return [(a.status_code, a.json()) for a in answers]

    (not_json, array, nowhere, not_utf8, off_schema, absent, nan) = asyncio.run(scenario())
    assert not_json[0] == 400 and "not JSON" in not_json[1]["error"]
    assert array[0] == 400 and "JSON object, got list" in array[1]["error"]
    assert nowhere[0] == 404 and "nowhere/authorize" in nowhere[1]["error"]
    assert not_utf8[0] == 400
    assert off_schema[0] == 422
    assert any("amount" in problem for problem in off_schema[1]["problems"]), off_schema
    assert any("reference" in problem for problem in off_schema[1]["problems"]), off_schema
    # in the contract, but not in this estate: the tiny day has no tax engine
    assert absent[0] == 404 and "no tax backend" in absent[1]["error"], absent
    # Python reads NaN; JSON has no such number, and the answer says so by name
    assert nan[0] == 400 and "NaN is not a JSON number" in nan[1]["error"], nan


def test_a_call_travels_the_simulation_and_comes_back() -> None:
    async def scenario() -> tuple[int, dict[str, Any], dict[str, Any]]:
        async with face_of_a_tiny_day(100.0) as (url, _day, estate):
            estate.payment.decline_rate = 0.0
            # no answer lost: this test is about the path, not the gateway's failures
            estate.payment.config = replace(estate.payment.config, lost_response_rate=0.0)
            async with httpx2.AsyncClient(base_url=url) as http:
                body = {"reference": "W-9", "amount": 1250, "idempotency_key": "auth:W-9"}
                answer = await http.post("/systems/payment/authorize", json=body, timeout=10)
                clock = (await http.get("/clock")).json()
                return answer.status_code, answer.json(), clock

    status, answer, clock = asyncio.run(scenario())
    assert status in (200, 201), answer
    assert answer
    assert clock["speed"] == 100.0 and clock["end_s"] == 3600.0 and clock["now_s"] > 0


def test_a_call_still_waiting_when_the_day_ends_is_answered_503() -> None:
    """The clock never moves here, so the call waits on the simulation; at speed 1 it
    would be held 600 wall seconds. The day's end answers it at once, so a server
    shutting down never cuts a hub's request off mid-way."""

    async def scenario() -> tuple[int, dict[str, Any], int]:
        async with (
            face_of_a_tiny_day(1.0, clock_runs=False) as (url, day, _estate),
            httpx2.AsyncClient(base_url=url) as http,
        ):
            body = {"reference": "W-9", "amount": 1250, "idempotency_key": "auth:W-9"}
            call = asyncio.create_task(
                http.post("/systems/payment/authorize", json=body, timeout=30)
            )
            while not day.waiting:
                await asyncio.sleep(0.01)
            day.finish()
            answer = await call
            return answer.status_code, answer.json(), len(day.waiting)

    status, answer, still_waiting = asyncio.run(scenario())
    assert status == 503 and "run is over" in answer["error"], answer
    assert still_waiting == 0


def test_a_429_says_when_to_retry_in_wall_and_simulated_seconds() -> None:
    async def scenario() -> httpx2.Response:
        async with face_of_a_tiny_day(10.0) as (url, _day, estate):
            estate.erp.rate_limit.rate_per_s = 0.05  # one call per 20 simulated seconds
            async with httpx2.AsyncClient(base_url=url) as http:
                body = {"DocRef": "X-1"}
                for _ in range(5):
                    answer = await http.post("/systems/erp/find_document", json=body, timeout=10)
                    if answer.status_code == 429:
                        return answer
        raise AssertionError("the throttled ERP never answered 429")

    answer = asyncio.run(scenario())
    assert answer.headers["x-retailtwin-retry-after-sim-s"] == "20.000"
    assert answer.headers["retry-after"] == "2"  # 20 simulated seconds at 10x


def test_day_started_and_day_closing_match_the_contract() -> None:
    async def scenario() -> dict[str, Any]:
        async with face_of_a_tiny_day(100.0) as (url, _day, estate):
            return day_started(scenario_from_dict(TINY), estate, 100.0, url)

    started = asyncio.run(scenario())
    assert contract.validate_message("twin", started) == []
    assert started["opening_stock"] and started["topology"]["dcs"]
    closing = {"type": "day.closing", "at": 1800.0}
    assert contract.validate_message("twin", closing) == []


def test_the_contract_states_the_broker_window_the_sender_keeps() -> None:
    from simulators.contract.webhooks import DELIVERY

    assert f"up to {webhooks.WINDOW} messages of one source are in flight" in DELIVERY


def test_the_contract_states_how_long_a_lost_answer_is_held() -> None:
    from scenarios.twin.external.http_face import LOST_ANSWER_HOLD_SIM_S, MIN_HOLD_WALL_S
    from simulators.contract.semantics import LOST

    held = f"for {LOST_ANSWER_HOLD_SIM_S:g} simulated seconds (at least {MIN_HOLD_WALL_S:g} wall"
    assert held in LOST
