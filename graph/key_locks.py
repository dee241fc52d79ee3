"""One lock per idempotency key, held only while a request with that key is in flight.

Two concurrent retries of one mutation must not both act, so requests with the same
key take turns. A lock is dropped as soon as no request holds or waits for it: a map
that kept every key ever sent would grow with each request (and with each megabyte-long
key a client cared to send), and never shrink.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass(slots=True)
class _Held:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class KeyLocks:
    def __init__(self) -> None:
        self._held: dict[str, _Held] = {}

    def __len__(self) -> int:
        """How many keys have a request in flight (or waiting)."""
        return len(self._held)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        held = self._held.setdefault(key, _Held())
        held.users += 1
        try:
            async with held.lock:
                yield
        finally:
            held.users -= 1
            if held.users == 0:
                del self._held[key]
