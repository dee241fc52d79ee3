"""Timers due far ahead, held off SimPy's queue until their hour comes.

SimPy keeps every scheduled event in one binary heap, and each event of the run pays for
the heap's depth as it is pushed and popped (`benchmarks/bare_simpy.py` times SimPy at
the run's depth). Most of black-friday's queue was the customers' later actions,
collections hours ahead and returns days ahead (465 of 677 entries on average at
scale 0.125, 357 of them due more than an hour on, 140 after the customers stop
acting), which sat in the heap through every other event of the day and deepened it
as the day's orders grew.

A timer due at least `BUCKET_S` ahead is held here instead, in the bucket of
`BUCKET_S` its time falls in, with the entry SimPy's queue would have held (its time,
its priority and the environment's next event id, taken now, as `Later` takes them).
The first timer of a bucket puts one marker on the queue at the bucket's start: urgent,
so it runs before every event of that moment, and keyed by a negative id of its own, so
it takes no event id from the environment. When it runs it moves its bucket's entries
onto the queue, each with the key it would have had all along. Every held timer is on
the queue before the clock reaches it, and the queue orders its entries by their keys
alone, so the run's events happen in exactly the order, at exactly the times, that
they would with every timer on the queue from the start.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from itertools import count
from typing import Any
from weakref import WeakKeyDictionary, ref

import simpy
from simpy.events import NORMAL, URGENT

__all__ = ["BUCKET_S", "FarTimers", "far_timers", "held_events"]

#: the width of a bucket, in simulated seconds: a timer due at least this far ahead is
#: held, and released at the start of its bucket
BUCKET_S = 3600.0

#: the markers' keys: negative, so no marker takes an event id, and unique across every
#: environment, so two markers of one moment never compare their events
_MARKER_IDS = count(-1, -1)


class _Timer:
    """What `Environment.step` reads of an event (`callbacks`, then `_ok`) and what the
    callback reads (`value`), as `simulators.later.Later` holds them, without going on
    the queue when made."""

    __slots__ = ("_value", "callbacks", "value")

    #: it never fails: `Environment.step` reads this after the callback
    _ok = True

    def __init__(self, callback: Callable[[Any], None], value: Any) -> None:
        self.callbacks: list[Callable[[Any], None]] | None = [callback]
        self._value = self.value = value


#: a queue entry as SimPy makes one: (time, priority, event id, event)
_Entry = tuple[float, int, int, _Timer]


class FarTimers:
    """One environment's held timers, by bucket (see the module's docstring)."""

    def __init__(self, env: simpy.Environment, bucket_s: float = BUCKET_S) -> None:
        # held weakly: the registry below holds this object for as long as the
        # environment lives, and must not keep it alive itself
        self._env = ref(env)
        #: SimPy's queue (a list the environment keeps for its lifetime)
        self._queue: list[Any] = env._queue
        self.bucket_s = bucket_s
        #: bucket index (its start // `bucket_s`) -> its held entries, in the order made
        self._buckets: dict[int, list[_Entry]] = {}
        #: timers held now
        self.held = 0
        _BY_ENV.setdefault(env, []).append(self)

    def later(self, delay: float, callback: Callable[[Any], None], value: Any = None) -> None:
        """Call `callback` with an event whose `value` is `value` in `delay` seconds,
        exactly as `Later(env, delay, callback, value)` would."""
        env = self._env()
        assert env is not None  # whoever schedules holds the environment
        at = env._now + delay
        entry = (at, NORMAL, next(env._eid), _Timer(callback, value))
        if delay < self.bucket_s:  # due within the hour: the queue's now
            heappush(self._queue, entry)
            return
        # at >= now + bucket_s, so the bucket starts after now
        index = int(at // self.bucket_s)
        bucket = self._buckets.get(index)
        if bucket is None:
            bucket = self._buckets[index] = []
            marker = _Timer(self._release, index)
            heappush(
                self._queue,
                (index * self.bucket_s, URGENT, next(_MARKER_IDS), marker),
            )
        bucket.append(entry)
        self.held += 1

    def _release(self, event: Any) -> None:
        """A bucket's start: its timers go on the queue, each with its own key."""
        bucket = self._buckets.pop(event.value)
        self.held -= len(bucket)
        queue = self._queue
        for entry in bucket:
            heappush(queue, entry)

    @property
    def markers(self) -> int:
        """Markers on the queue now: one a bucket that holds timers."""
        return len(self._buckets)


#: environment -> every `FarTimers` made on it, the shared one (`far_timers`) first
_BY_ENV: WeakKeyDictionary[simpy.Environment, list[FarTimers]] = WeakKeyDictionary()


def far_timers(env: simpy.Environment) -> FarTimers:
    """The environment's shared `FarTimers` (the first made on it), made at its first
    use: one set of buckets, and one marker a bucket, for every simulator."""
    made = _BY_ENV.get(env)
    return made[0] if made else FarTimers(env)


def held_events(env: simpy.Environment) -> int:
    """Events scheduled on `env` and held off its queue, less the markers on its queue
    that stand for them: what SimPy's own count of pending events (`len(env._queue)`)
    misses."""
    return sum(timers.held - timers.markers for timers in _BY_ENV.get(env, ()))
