"""`SharedBuckets`: the query-cost buckets (graph/throttle.py), safe across threads.

Queries execute on several threads (graph/query_threads.py), and taking from a bucket
reads its level, refills it for the time passed and writes it back: two threads
interleaving those steps could both spend the same points. A lock makes each of
`take`, `give_back` and `status` one step.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from graph.throttle import LeakyBuckets, ThrottleStatus


class SharedBuckets(LeakyBuckets):
    def __init__(
        self, maximum: float, restore_rate: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(maximum, restore_rate, clock)
        self._lock = threading.Lock()

    def status(self, client: str) -> ThrottleStatus:
        with self._lock:
            return super().status(client)

    def take(self, client: str, cost: float) -> tuple[bool, ThrottleStatus]:
        with self._lock:
            return super().take(client, cost)

    def give_back(self, client: str, points: float) -> ThrottleStatus:
        with self._lock:
            return super().give_back(client, points)
