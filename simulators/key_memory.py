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

Where a generation keeps its keys is a `KeyStore`: a dict by default (`DictKeys`);
the batch runner gives each generation a table of the run's temporary file instead
(`scenarios/twin/record_spill.py`), dropped when the generation is forgotten. A key is
written once and read only when a request repeats it, and a full day of a peak
weekend's keys (two in the window at once) was the largest thing the run held that
black-friday did not; the file's key filter answers a key never seen, the norm, without
asking it. Simulators never do I/O: they see the protocol only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

V = TypeVar("V")


class KeyStore(Protocol[V]):
    """Where one generation's keys are kept, each numbered in the order it was kept."""

    def put(self, seq: int, key: str, record: V) -> None:
        """Keep `record` under `key` (one not held)."""

    def get(self, key: str) -> V | None:
        """The value kept under `key`, None if there is none."""

    def drop(self) -> None:
        """Forget every key (the generation is over)."""

    def __len__(self) -> int: ...


class DictKeys(Generic[V]):
    """A generation's keys in a dict (no run's file to keep them in)."""

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held: dict[str, V] = {}

    def put(self, seq: int, key: str, record: V) -> None:
        self._held[key] = record

    def get(self, key: str) -> V | None:
        return self._held.get(key)

    def drop(self) -> None:
        self._held.clear()

    def __len__(self) -> int:
        return len(self._held)


class KeyMemory(Generic[V]):
    """key -> the value first kept under it, for one to two windows of `clock` time.
    The clock is the simulator's (its env's `now`): time moves only forward. Each
    generation's keys go to a new store from `stores`."""

    __slots__ = ("_clock", "_current", "_kept", "_previous", "_started", "_stores", "_window_s")

    def __init__(
        self,
        window_s: float,
        clock: Callable[[], float],
        stores: Callable[[], KeyStore[V]] = DictKeys,
    ) -> None:
        if not window_s > 0:
            raise ValueError(f"an idempotency window must be longer than 0 s, not {window_s}")
        self._window_s = window_s
        self._clock = clock
        self._started = clock()
        self._stores = stores
        self._current = stores()
        #: (no store of its own until there is a previous generation)
        self._previous: KeyStore[V] = DictKeys()
        #: keys kept so far, numbering each
        self._kept = 0

    def get(self, key: str) -> V | None:
        """The value kept under `key`, None if there is none (never kept, or forgotten)."""
        self._age()
        held = self._current.get(key)
        return self._previous.get(key) if held is None else held

    def put(self, key: str, value: V) -> None:
        """Keep `value` under `key` (one not held: callers `get` first)."""
        self._age()
        self._current.put(self._kept, key, value)
        self._kept += 1

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
        self._previous.drop()
        if windows == 1:
            self._previous = self._current
        else:
            self._current.drop()
            self._previous = DictKeys()
        self._current = self._stores()
        self._started += windows * self._window_s
