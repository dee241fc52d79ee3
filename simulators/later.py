"""A timeout with its one callback: most of the twin's events.

Nearly every event in a run (a message arriving, a service finishing, a timer firing) is
a delay followed by one callback. SimPy's `Timeout` plus `callbacks.append` does that in
two steps and checks its delay; at millions of events a run the difference shows, so
this event is built with its callback in place. It goes on SimPy's queue exactly as
`Environment.schedule` puts a `Timeout` there, with the same entry (time, priority, the
environment's next event id, event), so it runs in the same order as a `Timeout` made at
that moment.

It is not a `simpy.Event`, only what `Environment.step` reads of one (`callbacks`, then
`_ok`) and what its callback reads (`value`; `_value` too, as a SimPy event holds it): a
slotted object of three fields, where an event is an object with a dict of four, made
and freed at each of the run's events. Nothing waits on a `Later` (nothing yields it,
nothing appends to its callbacks): that is what it is for.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import Any

import simpy
from simpy.events import NORMAL


class Later:
    __slots__ = ("_value", "callbacks", "value")

    #: it never fails: `Environment.step` reads this after the callback
    _ok = True

    def __init__(
        self,
        env: simpy.Environment,
        delay: float,
        callback: Callable[[Any], None],
        value: Any = None,
    ) -> None:
        # Timeout.__init__ and Environment.schedule, inlined as SimPy itself inlines
        # Event.__init__ there
        self.callbacks: list[Callable[[Any], None]] | None = [callback]
        self._value = self.value = value
        # SimPy types its queue as holding events; step reads no more than this holds
        heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), self))  # type: ignore[misc]


def now_of(env: simpy.Environment) -> float:
    """The environment's clock, `env.now`, read as SimPy's own property reads it (its
    `_now`). Compiled, `env.now` is a call of that property, a Python function, on
    every read: the simulators read the clock about 1.3 times a SimPy event (black-friday
    at 0.1), and this read is a field's."""
    return env._now
