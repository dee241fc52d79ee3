"""A timeout with its one callback: most of the twin's events.

Nearly every event in a run (a message arriving, a service finishing, a timer firing) is
a delay followed by one callback. SimPy's `Timeout` plus `callbacks.append` does that in
two steps and checks its delay; at millions of events a run the difference shows, so
this event is built with its callback in place. It is an ordinary SimPy event in every
other way (same queue, same priority, same order as a `Timeout` made at that moment):
it goes on the queue exactly as `Environment.schedule` puts it there, with the same
entry (time, priority, the environment's next event id, event), without the call.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import Any

import simpy
from simpy.events import NORMAL, Event


class Later(Event):
    def __init__(
        self,
        env: simpy.Environment,
        delay: float,
        callback: Callable[[Any], None],
        value: Any = None,
    ) -> None:
        # Timeout.__init__ and Environment.schedule, inlined as SimPy itself inlines
        # Event.__init__ there
        self.env = env
        self.callbacks = [callback]
        self._value = value
        self._ok = True
        heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), self))
