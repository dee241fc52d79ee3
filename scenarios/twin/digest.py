"""The run's fingerprint: a hash over every message delivery, in order.

Two runs with the same scenario, seed and code deliver the same messages at the same
simulated times, so they have the same digest; any divergence (a different draw, a
different decision) changes it. A delivery is recorded as (time, link, message id):
message ids are handed out in sending order, so a message sent in a different order,
on a different link or at a different time changes the record.

Deliveries are buffered in machine arrays and hashed a block at a time: formatting
each of millions of deliveries as text would cost more than delivering it.
"""

from __future__ import annotations

import hashlib
from array import array

BLOCK = 8192


class DigestRecorder:
    __slots__ = ("_hash", "_ids", "_times", "deliveries")

    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)
        self._times = array("d")
        self._ids = array("q")
        self.deliveries = 0

    def record(self, at: float, link: int, message_id: int) -> None:
        self._times.append(at)
        ids = self._ids
        ids.append(link)
        ids.append(message_id)
        if len(ids) >= BLOCK:
            self._hash_block()

    def _hash_block(self) -> None:
        self.deliveries += len(self._times)
        self._hash.update(self._times.tobytes())
        self._hash.update(self._ids.tobytes())
        self._times = array("d")
        self._ids = array("q")

    def add(self, text: str) -> None:
        """Fold a final fact (the end state) into the digest."""
        self._hash_block()
        self._hash.update(text.encode())

    def hexdigest(self) -> str:
        self._hash_block()
        return self._hash.hexdigest()
