"""Stalls inflicted on the twin, for tests of how a hub's clock copes with them.

A twin starved of the CPU stops: it steps no simulated time, answers no backend call
and sends no webhook until it gets a core back, and then lets its day slip rather than
race (pace.py). A hub that keeps time by the wall clock alone would act on its timers
meanwhile, as if the twin's day had gone on. `Stall` makes such a stall happen where a
test wants it: the twin's process holds its event loop (a plain `time.sleep`, exactly
what starvation looks like from outside) for `wall_s` wall seconds, at simulated time
`at_s`, or, with `during_call_to`, at the first moment from `at_s` on when a call of the
hub's to that system is with the simulated backend (the moment a hub's timeout can go
wrong). A real run has none.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Stall:
    #: simulated seconds: not before
    at_s: float
    #: wall seconds the twin stands still
    wall_s: float
    #: a backend ("erp"...): wait until a call of the hub's to it is in the simulation
    during_call_to: str | None = None


class StallSchedule:
    """The stalls still to come, in order; `calls_open(system)` counts the hub's calls
    to `system` the simulation has not answered yet (BackendGate.calls_open)."""

    def __init__(self, stalls: Iterable[Stall], calls_open: Callable[[str], int]) -> None:
        self._pending = sorted(stalls, key=lambda stall: stall.at_s)
        self._calls_open = calls_open
        self.stalled_wall_s = 0.0

    def cap(self, target: float) -> float:
        """`target`, or the next stall's time if that comes first: a stall at a
        simulated time happens exactly then (one waiting for a call lets the day run
        on: the hub may need the time to pass before it calls)."""
        if self._pending:
            stall = self._pending[0]
            if stall.during_call_to is None and stall.at_s < target:
                return stall.at_s
        return target

    def stall_if_due(self, sim_now: float) -> None:
        if not self._pending:
            return
        stall = self._pending[0]
        if sim_now < stall.at_s:
            return
        if stall.during_call_to is not None and not self._calls_open(stall.during_call_to):
            return
        self._pending.pop(0)
        time.sleep(stall.wall_s)  # holds the event loop, as starvation would
        self.stalled_wall_s += stall.wall_s
