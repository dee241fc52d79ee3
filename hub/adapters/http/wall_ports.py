"""The hub's clock and scheduler on the wall clock, in the twin's simulated units.

The core measures time in the run's seconds (hub/ports.py). Served over HTTP it lives
in wall time, while the twin it integrates runs `speed` times faster; the twin says
where its day is in every webhook (`X-Retailtwin-Sim-Time`) and its speed in
`day.started`. So the hub's clock runs at `speed` from the last instant the twin told
it, never backwards, and a timer of `d` simulated seconds fires after `d / speed` wall
seconds. At speed 1 this is an ordinary wall clock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any


class TwinClock:
    """`Clock`: the twin's simulated time, extrapolated at its speed between webhooks."""

    __slots__ = ("_anchor_sim", "_anchor_wall", "_last", "speed")

    def __init__(self, speed: float, sim_now: float = 0.0) -> None:
        self.speed = speed
        self._anchor_sim = sim_now
        self._anchor_wall = time.monotonic()
        self._last = sim_now

    def now(self) -> float:
        now = self._anchor_sim + (time.monotonic() - self._anchor_wall) * self.speed
        if now < self._last:
            return self._last
        self._last = now
        return now

    def observe(self, sim_now: float) -> None:
        """The twin says it is `sim_now`: follow it, unless that would turn back time."""
        if sim_now >= self.now():
            self._anchor_sim = sim_now
            self._anchor_wall = time.monotonic()
            self._last = sim_now

    def wall(self, sim_seconds: float) -> float:
        return sim_seconds / self.speed


class LoopScheduler:
    """`Scheduler`: timers on the asyncio loop, delivered through `fire` (which the
    session points at the hub it serves)."""

    __slots__ = ("_clock", "_fire", "_handles")

    def __init__(self, clock: TwinClock, fire: Callable[[tuple[str, Any]], None]) -> None:
        self._clock = clock
        self._fire = fire
        self._handles: set[asyncio.TimerHandle] = set()

    def call_later(self, delay_s: float, timer: tuple[str, Any]) -> None:
        loop = asyncio.get_running_loop()
        handle: asyncio.TimerHandle

        def fire() -> None:
            self._handles.discard(handle)
            self._fire(timer)

        handle = loop.call_later(self._clock.wall(max(0.0, delay_s)), fire)
        self._handles.add(handle)

    def cancel_all(self) -> None:
        """The day this hub served is over (or replaced): its timers die with it."""
        for handle in self._handles:
            handle.cancel()
        self._handles.clear()
