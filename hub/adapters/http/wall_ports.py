"""The hub's clock and scheduler on the wall clock, in the twin's simulated units.

The core measures time in the run's seconds (hub/ports.py). Served over HTTP it lives
in wall time, while the twin it integrates runs `speed` times faster; the twin says
where its day is in every webhook (`X-Retailtwin-Sim-Time`) and, asked, at `GET
/clock`. What the twin said is a floor: its day never goes back. Between two sayings
the hub extrapolates at `speed`, but for at most `EXTRAPOLATE_WALL_S`: a twin that
stalls (a starved process, scenarios/twin/external/pace.py) says nothing while it
stalls, and a clock that ran on regardless would have the hub act on its timers while
the twin's day stood still. So the clock runs at `speed` from the last time the twin
said where it is, stops `EXTRAPOLATE_WALL_S` later until it hears again, and never goes
back: told a time below its own (the twin slipped), it pauses until the twin's time
catches up.

A timer of `d` simulated seconds sleeps `d / speed` wall seconds, and then fires only if
the clock has reached its due time; if not, it sleeps again for the remainder, or, when
the clock has stopped for want of news, waits for the twin's next word, asking `GET
/clock` itself if no webhook brings one. So no timer fires before its due time by more
than the extrapolation (`EXTRAPOLATE_WALL_S` x `speed` simulated seconds), however long
the twin stalls. At speed 1 against a twin that keeps pace this is an ordinary wall clock.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger("retailtwin.hub")

#: wall seconds the clock runs on past the twin's last word (the twin itself catches up
#: at most 0.05 wall seconds before it lets its day slip: pace.MAX_BEHIND_WALL_S)
EXTRAPOLATE_WALL_S = 0.05
#: wall seconds before asking the twin's clock again after a failed asking
ASK_RETRY_WALL_S = 0.1


class TwinClock:
    """`Clock`: the twin's simulated time, extrapolated at its speed for a while after
    the twin last said where it is. `wall` reads the wall clock (a test's fake)."""

    __slots__ = ("_heard_sim", "_heard_wall", "_last", "_wall", "on_heard", "speed")

    def __init__(
        self, speed: float, sim_now: float = 0.0, wall: Callable[[], float] = time.monotonic
    ) -> None:
        self.speed = speed
        self._wall = wall
        self._heard_sim = sim_now
        self._heard_wall = wall()
        self._last = sim_now
        #: called whenever the twin says where it is (the timers waiting for it)
        self.on_heard: Callable[[], None] | None = None

    def now(self) -> float:
        since_wall = min(self._wall() - self._heard_wall, EXTRAPOLATE_WALL_S)
        now = self._heard_sim + since_wall * self.speed
        if now < self._last:
            return self._last  # paused: the twin slipped behind the time already read
        self._last = now
        return now

    def observe(self, sim_now: float) -> None:
        """The twin says it is (at least) `sim_now`: extrapolate from here. A time below
        one heard already is old news (a webhook overtaken); below the clock's own, the
        clock pauses until the twin catches up, and never goes back."""
        if sim_now >= self._heard_sim:
            self._heard_sim = sim_now
            self._heard_wall = self._wall()
        if self.on_heard is not None:
            self.on_heard()

    def stopped(self) -> bool:
        """The clock has run out of extrapolation: only the twin's word moves it on."""
        return self._wall() - self._heard_wall >= EXTRAPOLATE_WALL_S

    def wall(self, sim_seconds: float) -> float:
        return sim_seconds / self.speed


class TimerHandle:
    """One timer of `TwinTimers`; `cancel` stops it wherever it is."""

    __slots__ = ("callback", "cancelled", "due", "wall_handle")

    def __init__(self, due: float, callback: Callable[[], None]) -> None:
        self.due = due
        self.callback = callback
        self.cancelled = False
        self.wall_handle: asyncio.TimerHandle | None = None

    def cancel(self) -> None:
        self.cancelled = True
        if self.wall_handle is not None:
            self.wall_handle.cancel()


class TwinTimers:
    """Timers due at a simulated time, on the asyncio loop: they fire when `clock` has
    reached it, asking the twin (`ask`, its `GET /clock`) when the clock has stopped."""

    def __init__(self, clock: TwinClock, ask: Callable[[], Awaitable[float]]) -> None:
        self._clock = clock
        self._ask = ask
        self._armed: set[TimerHandle] = set()
        #: timers past their wall sleep, due later than the stopped clock
        self._waiting: list[TimerHandle] = []
        self._asking: asyncio.Task[None] | None = None
        clock.on_heard = self._heard

    def at(self, due: float, callback: Callable[[], None], min_wall_s: float = 0.0) -> TimerHandle:
        """Run `callback` once the clock reads `due`, and not before `min_wall_s` wall
        seconds from now."""
        timer = TimerHandle(due, callback)
        wait_wall_s = max(min_wall_s, self._clock.wall(due - self._clock.now()))
        self._sleep(timer, wait_wall_s)
        return timer

    def _sleep(self, timer: TimerHandle, wall_s: float) -> None:
        loop = asyncio.get_running_loop()
        timer.wall_handle = loop.call_later(max(0.0, wall_s), self._woken, timer)
        self._armed.add(timer)

    def _woken(self, timer: TimerHandle) -> None:
        self._armed.discard(timer)
        timer.wall_handle = None
        if timer.cancelled:
            return
        remaining = timer.due - self._clock.now()
        if remaining <= 0:
            timer.callback()
        elif not self._clock.stopped():
            self._sleep(timer, self._clock.wall(remaining))
        else:
            self._waiting.append(timer)
            self._ask_twin()

    def _heard(self) -> None:
        """The twin said where it is: the timers waiting for that look again."""
        if self._waiting:
            waiting, self._waiting = self._waiting, []
            for timer in waiting:
                self._woken(timer)

    def _ask_twin(self) -> None:
        if self._asking is None or self._asking.done():
            self._asking = asyncio.get_running_loop().create_task(self._asked())

    async def _asked(self) -> None:
        while True:
            # a timer cancelled while it waited (a call answered before its timeout)
            # needs no news of the twin: with none left, stop asking
            self._waiting = [timer for timer in self._waiting if not timer.cancelled]
            if not self._waiting:
                return
            try:
                sim_now = await self._ask()
            except (OSError, TimeoutError, ValueError) as exc:
                log.debug("the twin's clock did not answer: %s", exc)
                await asyncio.sleep(ASK_RETRY_WALL_S)
                continue
            self._clock.observe(sim_now)
            if self._waiting and self._clock.stopped():
                # still not due and the twin's answer is already stale: ask again later
                await asyncio.sleep(ASK_RETRY_WALL_S)
            else:
                return

    def cancel_all(self) -> None:
        for timer in (*self._armed, *self._waiting):
            timer.cancel()
        self._armed.clear()
        self._waiting.clear()
        if self._asking is not None:
            self._asking.cancel()


class LoopScheduler:
    """`Scheduler`: the core's timers, due `delay_s` simulated seconds from the clock's
    now, delivered through `fire` (which the session points at the hub it serves)."""

    __slots__ = ("_clock", "_fire", "timers")

    def __init__(
        self, clock: TwinClock, timers: TwinTimers, fire: Callable[[tuple[str, Any]], None]
    ) -> None:
        self._clock = clock
        self.timers = timers
        self._fire = fire

    def call_later(self, delay_s: float, timer: tuple[str, Any]) -> None:
        self.timers.at(self._clock.now() + max(0.0, delay_s), lambda: self._fire(timer))

    def cancel_all(self) -> None:
        """The day this hub served is over (or replaced): its timers die with it."""
        self.timers.cancel_all()
