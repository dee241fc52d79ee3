"""The run's fingerprint: a hash over every message delivery, in order.

Two runs with the same scenario, seed and code deliver the same messages at the same
simulated times, so they have the same digest; any divergence (a different draw, a
different decision) changes it. A delivery is recorded as (time, link, message id):
message ids are handed out in sending order, so a message sent in a different order,
on a different link or at a different time changes the record.

Deliveries are buffered in machine arrays and hashed a block at a time (the network's
`DeliveryLog`, which the network fills itself): formatting each of millions of
deliveries as text would cost more than delivering it.
"""

from __future__ import annotations

import hashlib
from array import array

from simulators.network import DeliveryLog


class DigestRecorder(DeliveryLog):
    """The network's recorder: hand it to `Network` (a `DeliveryLog`, it is called, or
    filled by the network directly, with each delivery)."""

    __slots__ = ("_hash", "deliveries")

    def __init__(self) -> None:
        super().__init__()
        self._hash = hashlib.blake2b(digest_size=16)
        self.deliveries = 0

    def full(self) -> None:
        # the block's times, then its (link, message id) pairs: blocks of 4,096
        # deliveries (`BLOCK_IDS`) and a shorter one wherever a fact is added
        self.deliveries += len(self.times)
        self._hash.update(self.times.tobytes())
        self._hash.update(self.ids.tobytes())
        self.times = array("d")
        self.ids = array("q")

    def add(self, text: str) -> None:
        """Fold a final fact (the end state) into the digest."""
        self.full()
        self._hash.update(text.encode())

    def hexdigest(self) -> str:
        self.full()
        return self._hash.hexdigest()
