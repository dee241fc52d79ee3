"""The run's fingerprint: a hash over every message delivery, in order.

Two runs with the same scenario, seed and code deliver the same messages at the same
simulated times, so they have the same digest; any divergence (a different draw, a
different decision) changes it. Hashing as we go keeps the log out of memory.
"""

from __future__ import annotations

import hashlib


class DigestRecorder:
    __slots__ = ("_hash", "deliveries")

    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)
        self.deliveries = 0

    def record(self, at: float, src: str, dst: str, kind: str, message_id: int) -> None:
        self.deliveries += 1
        self._hash.update(f"{at:.6f} {src} {dst} {kind} {message_id}\n".encode())

    def add(self, text: str) -> None:
        """Fold a final fact (the end state) into the digest."""
        self._hash.update(text.encode())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
