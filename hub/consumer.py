"""The idempotent consumer: every inbound message is handled at most once.

Middleware delivers at least once, so the same message id can arrive twice, minutes
apart. Ids are remembered for a window long enough to cover redelivery; past the
window, the business keys (order id, shipment number, transaction id) are the guard,
which is why each handler also checks its own key. Switching idempotency off is the
negative control that must make the checker's exactly-once invariant fail.

What the window costs in memory follows what arrived within it, not the day: at a
peak hour that is most of a million ids, so each is kept small. The ids are held by
source (a set of plain ints each, no (source, id) tuple per message), and when each
leaves the window is kept in flat sequences, in arrival order (eight bytes of a float
and a pointer to the id the set holds anyway, not a tuple and a float object). The id is
held as one object for both: compiled (mypyc), an `int` is kept unboxed and each
container it is put into would get an int object of its own, 32 bytes more an id in
the window (tests/unit/hub/test_hub_consumer_window.py). A set
never gives back the table a peak grew it to, so one that has fallen far below its
largest size is copied into a table of its own size.
"""

from __future__ import annotations

from array import array

#: expired entries at the front of the window's arrays before they are cut off
_COMPACT_AFTER = 4096
#: a source's set is copied into a smaller table once it holds less than this share
#: of the most it held since it was last copied
_SHRINK_BELOW = 1 / 8


class IdempotentConsumer:
    __slots__ = (
        "_expires",
        "_head",
        "_ids",
        "_most",
        "_seen",
        "_sources",
        "duplicates",
        "enabled",
        "window_s",
    )

    def __init__(self, enabled: bool, window_s: float = 6 * 3600.0) -> None:
        self.enabled = enabled
        self.window_s = window_s
        #: source -> the message ids seen from it within the window
        self._seen: dict[str, set[object]] = {}
        #: source -> the most ids its set held since its table was last made
        self._most: dict[str, int] = {}
        #: the window, oldest first, one place per message: when it leaves the window,
        #: its id and its source; places before `_head` have left already
        self._expires = array("d")
        self._ids: list[object] = []
        self._sources: list[str] = []
        self._head = 0
        self.duplicates = 0

    def first_time(self, source: str, message_id: int, now: float) -> bool:
        """Record the message; False when it was seen before (and should be dropped)."""
        # one int object for the set and the window (see the module)
        held: object = message_id
        seen = self._seen.get(source)
        if seen is None:
            seen = self._seen[source] = set()
            self._most[source] = 0
        elif held in seen:
            self.duplicates += 1
            return not self.enabled
        seen.add(held)
        self._expires.append(now + self.window_s)
        self._ids.append(held)
        self._sources.append(source)
        if self._expires[self._head] < now:
            self._expire(now)
        return True

    def forget(self, source: str, message_id: int) -> None:
        """Let a dead-lettered message through again when an operator replays it."""
        seen = self._seen.get(source)
        if seen is not None:
            self._note_most(source, seen)
            seen.discard(message_id)

    def __len__(self) -> int:
        """Message ids remembered now."""
        return sum(len(seen) for seen in self._seen.values())

    def _expire(self, now: float) -> None:
        """Forget every message whose window ended before `now`, oldest first.

        A set only grows between two of these (or a `forget`), so the most it held since
        its table was made is noted here, before its first id goes, rather than on every
        message (`_note_most`)."""
        expires, ids, sources, head = self._expires, self._ids, self._sources, self._head
        seen, most = self._seen, self._most
        end = len(expires)
        # `_note_most` and `_shrink` inlined: this runs for about one message in four,
        # each time for a few ids of one or two sources
        touched: dict[str, set[object]] = {}
        while head < end and expires[head] < now:
            source = sources[head]
            kept = touched.get(source)
            if kept is None:
                kept = touched[source] = seen[source]
                if len(kept) > most[source]:
                    most[source] = len(kept)
            kept.discard(ids[head])
            head += 1
        if head >= _COMPACT_AFTER and head * 2 >= end:
            del expires[:head], ids[:head], sources[:head]
            head = 0
        self._head = head
        for source, kept in touched.items():
            held, largest = len(kept), most[source]
            if largest > _COMPACT_AFTER and held < largest * _SHRINK_BELOW:
                seen[source] = set(kept)
                most[source] = held

    def _note_most(self, source: str, seen: set[object]) -> None:
        if len(seen) > self._most[source]:
            self._most[source] = len(seen)
