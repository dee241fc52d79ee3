"""The idempotent consumer: every inbound message is handled at most once.

Middleware delivers at least once, so the same message id can arrive twice, minutes
apart. Ids are remembered for a window long enough to cover redelivery; past the
window, the business keys (order id, shipment number, transaction id) are the guard,
which is why each handler also checks its own key. Switching idempotency off is the
negative control that must make the checker's exactly-once invariant fail.
"""

from __future__ import annotations

from collections import deque


class IdempotentConsumer:
    __slots__ = ("_expiry", "_seen", "duplicates", "enabled", "window_s")

    def __init__(self, enabled: bool, window_s: float = 6 * 3600.0) -> None:
        self.enabled = enabled
        self.window_s = window_s
        self._seen: set[tuple[str, int]] = set()
        self._expiry: deque[tuple[float, tuple[str, int]]] = deque()
        self.duplicates = 0

    def first_time(self, source: str, message_id: int, now: float) -> bool:
        """Record the message; False when it was seen before (and should be dropped)."""
        key = (source, message_id)
        seen = self._seen
        if key in seen:
            self.duplicates += 1
            return not self.enabled
        seen.add(key)
        expiry = self._expiry
        expiry.append((now + self.window_s, key))
        if expiry[0][0] < now:
            while expiry[0][0] < now:
                seen.discard(expiry.popleft()[1])
        return True

    def forget(self, source: str, message_id: int) -> None:
        """Let a dead-lettered message through again when an operator replays it."""
        self._seen.discard((source, message_id))
