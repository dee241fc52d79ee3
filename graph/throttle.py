"""Rate limiting by query cost: a leaky bucket per client, as Shopify's Admin API has.

Each client (an API key, or the address of a client without one) has a bucket of
`maximum` points that refills at `restore_rate` points a second. A query may run when
the bucket holds its requested cost, which is taken before it runs; once it has run,
the difference between the requested and the actual cost goes back. A query that
costs more than is left is refused (`THROTTLED`), saying when enough will be back.

Buckets that have refilled are forgotten, so the map holds only the clients seen in
the last `maximum / restore_rate` seconds, however many addresses call.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ThrottleStatus:
    """A bucket as `extensions.cost.throttleStatus` shows it."""

    maximum_available: float
    currently_available: float
    restore_rate: float

    def to_json(self) -> dict[str, float]:
        return {
            "maximumAvailable": self.maximum_available,
            "currentlyAvailable": self.currently_available,
            "restoreRate": self.restore_rate,
        }

    def wait_s(self, cost: float) -> float:
        """Seconds until the bucket holds `cost` (0 when it does)."""
        missing = cost - self.currently_available
        return 0.0 if missing <= 0 else missing / self.restore_rate

    def retry_after_s(self, cost: float) -> int:
        """`wait_s` as whole seconds, for a `Retry-After` header."""
        return max(1, math.ceil(self.wait_s(cost)))


@dataclass(slots=True)
class _Level:
    available: float
    at: float


class LeakyBuckets:
    def __init__(
        self,
        maximum: float,
        restore_rate: float,
        clock: Callable[[], float] = time.monotonic,
        prune_above: int = 1024,
    ) -> None:
        self.maximum = float(maximum)
        self.restore_rate = float(restore_rate)
        self._clock = clock
        self._levels: dict[str, _Level] = {}
        self._prune_above = prune_above

    def __len__(self) -> int:
        return len(self._levels)

    def _level(self, client: str, now: float) -> _Level:
        level = self._levels.get(client)
        if level is None:
            return _Level(self.maximum, now)
        level.available = min(self.maximum, level.available + (now - level.at) * self.restore_rate)
        level.at = now
        return level

    def _keep(self, client: str, level: _Level) -> None:
        if level.available >= self.maximum:
            self._levels.pop(client, None)  # a full bucket is the same as none
        else:
            self._levels[client] = level
        if len(self._levels) > self._prune_above:
            now = self._clock()
            for name in list(self._levels):
                self._level(name, now)
                if self._levels[name].available >= self.maximum:
                    del self._levels[name]

    def status(self, client: str) -> ThrottleStatus:
        level = self._level(client, self._clock())
        return ThrottleStatus(self.maximum, level.available, self.restore_rate)

    def take(self, client: str, cost: float) -> tuple[bool, ThrottleStatus]:
        """Take `cost` points if the bucket holds them; whether it did, and the bucket."""
        level = self._level(client, self._clock())
        taken = cost <= level.available
        if taken:
            level.available -= cost
            self._keep(client, level)
        return taken, ThrottleStatus(self.maximum, level.available, self.restore_rate)

    def give_back(self, client: str, points: float) -> ThrottleStatus:
        """Return points taken for a query that cost less than it asked for."""
        level = self._level(client, self._clock())
        level.available = min(self.maximum, level.available + max(points, 0.0))
        self._keep(client, level)
        return ThrottleStatus(self.maximum, level.available, self.restore_rate)
