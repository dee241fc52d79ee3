"""In-process publish/subscribe for subscriptions.

The live projector publishes what it changed (`order` by id, `sku` by id, `sla` for a
breach); each subscription holds a bounded queue. A subscriber too slow to keep up loses
the oldest notices rather than growing without bound: a notice says "this changed", and
the subscription resolver reloads the current state anyway, so the newest one is enough.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

QUEUE_SIZE = 256
#: published (with no key) after each projection, which writes a new operations snapshot
OPERATIONS_TOPIC = "operations"


class EventHub:
    def __init__(self) -> None:
        self._subscribers: dict[tuple[str, str | None], set[asyncio.Queue[Any]]] = {}

    @property
    def subscriber_count(self) -> int:
        return sum(len(queues) for queues in self._subscribers.values())

    def publish(self, topic: str, key: str | None, payload: Any = None) -> None:
        for queue in [
            *self._subscribers.get((topic, key), ()),
            *(self._subscribers.get((topic, None), ()) if key is not None else ()),
        ]:
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(payload if payload is not None else key)

    async def subscribe(self, topic: str, key: str | None = None) -> AsyncIterator[Any]:
        """Notices for `topic` (and `key`, if given) until the subscriber goes away."""
        queue: asyncio.Queue[Any] = asyncio.Queue(QUEUE_SIZE)
        subscribers = self._subscribers.setdefault((topic, key), set())
        subscribers.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            subscribers.discard(queue)
