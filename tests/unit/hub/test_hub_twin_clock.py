"""The served hub's clock and timers against a twin that stalls (hub/adapters/http/
wall_ports.py): the clock never runs ahead of what the twin said by more than its
extrapolation, never goes back, and no timer fires before its due simulated time by
more than that extrapolation, however long the twin stands still.

What this guards: a twin starved of the CPU stands still; a hub keeping time by the wall
timed its ERP write out during the stall, looked the document up, was told "no such
document" (the write still queued in the stalled twin) and wrote again: two documents
for one reference (`exactly_once`, tests/e2e/test_external_hub_stalls.py). Each test of
a stall runs twice: with the clock as it is, and with `broken_clock`, the clock before
df53b2b (extrapolating at the twin's speed for ever), which must fail it: the negative
control that says the test still catches the bug it was written for. The same broken
clock (`EXTRAPOLATE_WALL_S = 1e9` in the served hub) still fails the end-to-end day of
tests/e2e/test_external_hub_stalls.py: 5 and 2 duplicate store summaries in two runs
(load 3-4 and 6), where the hub as it is passed (load 6); that day cut to 12 stalls in
9 hours passed against the broken clock, so it was not cut."""

from __future__ import annotations

import asyncio
import math
import time

import aiohttp
import pytest
from aiohttp import web

from hub.adapters.http import wall_ports
from hub.adapters.http.transport import HttpTransport
from hub.adapters.http.wall_ports import (
    EXTRAPOLATE_WALL_S,
    LoopScheduler,
    TwinClock,
    TwinTimers,
)


@pytest.fixture(params=[False, True], ids=["clock", "broken_clock"])
def broken_clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether the test runs against the broken clock: one that never stops
    extrapolating (as before df53b2b, when the hub kept time by the wall alone)."""
    if request.param:
        monkeypatch.setattr(wall_ports, "EXTRAPOLATE_WALL_S", math.inf)
    return bool(request.param)


class FakeWall:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class StallingTwin:
    """A twin at `speed` that stands still for the first `stall_wall_s` wall seconds,
    then runs; asked its time, it answers only once it runs again (as a starved
    process would)."""

    def __init__(self, speed: float, stall_wall_s: float) -> None:
        self.speed = speed
        self.started = time.monotonic()
        self.stall_wall_s = stall_wall_s
        self.asked = 0

    def now(self) -> float:
        return max(0.0, time.monotonic() - self.started - self.stall_wall_s) * self.speed

    async def ask(self) -> float:
        self.asked += 1
        await asyncio.sleep(max(0.0, self.started + self.stall_wall_s - time.monotonic()))
        return self.now()


def test_after_the_twin_slipped_the_clock_pauses_until_it_catches_up() -> None:
    wall = FakeWall()
    clock = TwinClock(100.0, wall=wall)
    wall.now += 0.04
    assert clock.now() == pytest.approx(4.0)
    clock.observe(1.0)  # the twin stalled: it is at 1, not 4
    wall.now += 0.02
    assert clock.now() == pytest.approx(4.0)  # paused, not back to 1 + 2 = 3
    wall.now += 0.02
    assert clock.now() == pytest.approx(5.0)  # the twin's 1 + 4: caught up, and on from there


def test_an_old_time_overtaken_by_a_newer_one_changes_nothing() -> None:
    wall = FakeWall()
    clock = TwinClock(100.0, wall=wall)
    clock.observe(3.0)
    clock.observe(2.0)  # a webhook POSTed earlier, arriving later
    wall.now += 0.01
    assert clock.now() == pytest.approx(4.0)


def test_the_clock_stops_when_the_twin_says_nothing(broken_clock: bool) -> None:
    wall = FakeWall()
    clock = TwinClock(100.0, wall=wall)
    wall.now += 10.0  # ten wall seconds without a word from the twin
    if broken_clock:  # ran on through ten wall seconds of a twin standing still
        assert clock.now() == pytest.approx(1000.0) and not clock.stopped()
        return
    assert clock.now() == pytest.approx(EXTRAPOLATE_WALL_S * 100.0)
    assert clock.stopped()
    clock.observe(900.0)
    assert not clock.stopped() and clock.now() == pytest.approx(900.0)


def test_a_timer_does_not_fire_while_the_twin_stalls(broken_clock: bool) -> None:
    """The twin stands still for 0.3 wall seconds; a timer due in 100 simulated seconds
    (0.1 wall seconds at 1000x) fires when the twin has got there, not after 0.1 wall
    seconds of a day that did not move."""
    speed = 1000.0
    twin = StallingTwin(speed, stall_wall_s=0.3)
    fired_at: list[float] = []

    async def day() -> None:
        clock = TwinClock(speed)
        scheduler = LoopScheduler(clock, TwinTimers(clock, twin.ask), lambda _t: None)
        scheduler.timers.at(100.0, lambda: fired_at.append(twin.now()))
        scheduler.call_later(100.0, ("sync", None))
        for _ in range(200):
            await asyncio.sleep(0.01)
            if fired_at:
                break
        scheduler.cancel_all()

    asyncio.run(day())
    assert fired_at, "the timer never fired"
    if broken_clock:  # fired after 0.1 wall seconds, the twin's day still at 0
        assert fired_at[0] < 100.0 - EXTRAPOLATE_WALL_S * speed and twin.asked == 0, fired_at
        return
    assert fired_at[0] >= 100.0 - EXTRAPOLATE_WALL_S * speed, fired_at
    assert twin.asked >= 1  # nothing else would have told the hub the twin was back


def test_a_timer_that_wakes_early_sleeps_again_for_the_remainder() -> None:
    """The twin's webhooks say it slipped 40 simulated seconds behind the hub: the timer
    sleeps its 0.1 wall seconds, finds the clock short of its due time, and fires only
    when the twin reaches it."""
    speed = 1000.0
    slip_s = 40.0
    started = time.monotonic()
    fired_at: list[float] = []

    def twin_now() -> float:
        elapsed = (time.monotonic() - started) * speed
        return elapsed if elapsed < 10.0 else max(10.0, elapsed - slip_s)

    async def never() -> float:
        await asyncio.sleep(3600)
        return 0.0

    async def day() -> None:
        clock = TwinClock(speed)
        timers = TwinTimers(clock, never)
        timers.at(100.0, lambda: fired_at.append(twin_now()))
        for _ in range(300):  # a webhook every 5 wall ms, stamped with the twin's time
            await asyncio.sleep(0.005)
            clock.observe(twin_now())
            if fired_at:
                break
        timers.cancel_all()

    asyncio.run(day())
    assert fired_at, "the timer never fired"
    assert fired_at[0] >= 100.0 - EXTRAPOLATE_WALL_S * speed, fired_at
    assert fired_at[0] >= 90.0, fired_at  # news every 5 ms: barely any extrapolation


def test_a_call_the_stalled_twin_holds_is_answered_not_timed_out(broken_clock: bool) -> None:
    """The backend answers after 0.4 wall seconds, all of them a stall of the twin: at
    300x the call's 30 simulated seconds (0.25 wall seconds, the floor) have not passed in
    the twin's time, nor in the clock's 15 seconds of extrapolation, so the hub waits
    for the answer instead of calling it lost."""
    answers: list[int] = []

    async def held(_request: web.Request) -> web.Response:
        await asyncio.sleep(0.4)
        return web.json_response({"SalesOrder": "SO-1"})

    async def day() -> None:
        app = web.Application()
        app.router.add_post("/systems/erp/create_sales_order", held)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        twin = StallingTwin(300.0, stall_wall_s=0.5)
        clock = TwinClock(300.0)
        timers = TwinTimers(clock, twin.ask)
        async with aiohttp.ClientSession() as client:
            transport = HttpTransport(
                client,
                f"http://127.0.0.1:{port}",
                clock,
                timers,
                lambda _system, _call, status, _body: answers.append(status),
                lambda _source, _message: None,
            )
            transport.request("erp", "create_sales_order", {"DocRef": "X"}, 1, 30.0)
            for _ in range(100):
                await asyncio.sleep(0.01)
                if answers:
                    break
            await transport.close()
        timers.cancel_all()
        await runner.cleanup()

    asyncio.run(day())
    # the broken clock timed the call out after its 0.25 wall seconds, the twin still
    # standing at 0: the hub would look the document up and write it again
    assert answers == ([504] if broken_clock else [200])


def test_a_timer_cancelled_while_it_waits_for_the_twin_stops_the_asking() -> None:
    """A call's timeout waits for a silent twin (its clock asked and unanswered); the
    call is answered and its timeout cancelled: the hub stops asking the twin's clock
    for it, rather than polling until the twin speaks again."""
    speed = 1000.0
    asked: list[float] = []

    async def silent() -> float:
        asked.append(time.monotonic())
        raise OSError("the twin is not answering")

    async def day() -> int:
        clock = TwinClock(speed)
        timers = TwinTimers(clock, silent)
        timer = timers.at(100.0, lambda: None)  # 0.1 wall s, then waits for the twin
        await asyncio.sleep(0.25)
        before = len(asked)
        timer.cancel()
        await asyncio.sleep(0.5)
        timers.cancel_all()
        return len(asked) - before

    assert asyncio.run(day()) <= 1, "asked the twin's clock for a timer no longer wanted"
    assert asked, "the waiting timer never asked the twin's clock"
