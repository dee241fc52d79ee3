"""The driver's meter of the hub's CPU: one message or answer in `METER_EVERY` timed and
scaled up; timers and `run` calls each timed."""

from __future__ import annotations

from typing import Any

import pytest

import scenarios.twin.hub_driver as hub_driver
from hub.ports import Body
from scenarios.twin.hub_driver import METER_EVERY, HubDriver


class Clock:
    """A CPU clock that moves only when the fake hub works, counting its reads."""

    def __init__(self) -> None:
        self.now = 0.0
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return self.now


class CostedHub:
    """A hub whose every call costs a known CPU time on the fake clock."""

    def __init__(self, clock: Clock, message: float, answer: float, timer: float) -> None:
        self.clock = clock
        self.costs = {"message": message, "answer": answer, "timer": timer}

    def receive(self, source: str, message_id: int, payload: Body) -> None:
        self.clock.now += self.costs["message"]

    def on_response(self, system: str, call_id: int, status: int, body: Body) -> None:
        self.clock.now += self.costs["answer"]

    def on_timer(self, timer: tuple[str, Any]) -> None:
        self.clock.now += self.costs["timer"]


class Timer:
    """What the driver's `timer` is handed: an event whose value names the generation."""

    def __init__(self, generation: int) -> None:
        self.value = (generation, ("sweep", None))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(hub_driver, "thread_time", fake)
    return fake


def driven(clock: Clock, message: float, answer: float, timer: float = 0.0) -> HubDriver:
    driver = HubDriver()
    driver.hub = CostedHub(clock, message, answer, timer)
    return driver


def test_one_message_in_meter_every_reads_the_clock(clock: Clock) -> None:
    driver = driven(clock, 1.0, 1.0)
    for message_id in range(10 * METER_EVERY + 1):
        driver.receive("web", message_id, {})
    assert clock.reads == 2 * 11  # the first, then every METER_EVERY-th
    assert driver.calls == 10 * METER_EVERY + 1


def test_messages_of_one_cost_are_estimated_exactly(clock: Clock) -> None:
    driver = driven(clock, 0.002, 0.002)
    for message_id in range(3 * METER_EVERY + 2):
        driver.receive("web", message_id, {})
        driver.respond("erp", message_id, 200, {})
    assert driver.cpu_seconds == pytest.approx(0.002 * 2 * (3 * METER_EVERY + 2))


def test_timers_and_runs_are_each_timed_not_estimated(clock: Clock) -> None:
    driver = driven(clock, 0.0, 0.0, timer=0.5)
    for _ in range(3):
        driver.timer(Timer(0))

    def opening() -> str:
        clock.now += 0.25
        return "opened"

    assert driver.run(opening) == "opened"
    assert driver.cpu_seconds == pytest.approx(3 * 0.5 + 0.25)
    assert clock.reads == 2 * 4 and driver.calls == 4


def test_the_estimate_scales_the_timed_messages_to_all_of_them(clock: Clock) -> None:
    # messages cost 1 and answers 3, alternating: with an odd METER_EVERY the ones timed
    # are messages and answers in turn, so the estimate is the true mean
    assert METER_EVERY % 2
    driver = driven(clock, 1.0, 3.0)
    pairs = 5 * METER_EVERY
    for message_id in range(pairs):
        driver.receive("web", message_id, {})
        driver.respond("erp", message_id, 200, {})
    assert driver.sampled == 10
    assert driver.cpu_seconds == pytest.approx(4.0 * pairs)
