"""Idempotency keys remembered for a window of time, not for ever.

A gateway that kept every key it was ever sent would grow with the day's total, though
a retry comes seconds or minutes after the request it repeats (issue 18: memory bounded
by what is in flight). Real gateways keep keys for a fixed time (Stripe: 24 hours);
after that a request with an old key is a new request. Expiring each key on its own
would need a clock per key; two generations need none: keys go into the current one,
and when a window has passed since it started it becomes the previous one and the
previous one is dropped. Generations start at whole windows from the first, so a key is
remembered at least one window and at most two (a key made in window k is forgotten
when window k + 2 starts), whenever the memory is consulted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class KeyMemory(Generic[V]):
    """key -> the value first kept under it, for one to two windows of `clock` time.
    The clock is the simulator's (its env's `now`): time moves only forward."""

    __slots__ = ("_clock", "_current", "_previous", "_started", "_window_s")

    def __init__(self, window_s: float, clock: Callable[[], float]) -> None:
        if not window_s > 0:
            raise ValueError(f"an idempotency window must be longer than 0 s, not {window_s}")
        self._window_s = window_s
        self._clock = clock
        self._started = clock()
        self._current: dict[str, V] = {}
        self._previous: dict[str, V] = {}

    def get(self, key: str) -> V | None:
        """The value kept under `key`, None if there is none (never kept, or forgotten)."""
        self._age()
        held = self._current.get(key)
        return self._previous.get(key) if held is None else held

    def put(self, key: str, value: V) -> None:
        """Keep `value` under `key` (one not held: callers `get` first)."""
        self._age()
        self._current[key] = value

    def __len__(self) -> int:
        """How many keys are held now, in both generations."""
        self._age()
        return len(self._current) + len(self._previous)

    def _age(self) -> None:
        """Roll the generations if a window has passed since the current one started:
        one window, the current becomes the previous; two or more, both go. Checked
        before every change, so the current one holds only keys made in its window."""
        windows = math.floor((self._clock() - self._started) / self._window_s)
        if windows < 1:
            return
        self._previous = self._current if windows == 1 else {}
        self._current = {}
        self._started += windows * self._window_s
