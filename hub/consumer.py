"""The idempotent consumer: every inbound message is handled at most once.

Middleware delivers at least once, so the same message id can arrive twice, minutes
apart. Ids are remembered for a window long enough to cover redelivery; past the
window, the business keys (order id, shipment number, transaction id) are the guard,
which is why each handler also checks its own key. Switching idempotency off is the
negative control that must make the checker's exactly-once invariant fail.

What the window costs in memory follows what arrived within it, not the day: at a
peak hour that is most of a million ids, so each is kept small. Why bits: the twin's
network numbers every message from one counter, so a source's ids within the window
lie in a band of numbers a few hours of traffic wide. Each source keeps the ids it
holds as bits over that band (`_Ids`: about one bit for every message any source sent
in it), where a set of int objects cost some 70 bytes an id, and a set copied its whole
table (megabytes at once, atop the peak) each time the ids expired in it made it
rebuild. When each id leaves the window is kept in flat arrays in arrival order (its
time, its number and its source's place: 18 bytes). Ids outside the band (one
replayed from long ago, or numbered by some other scheme, as an external middleware
may) are held in a plain set beside the bits, so what is answered never depends on how
ids are numbered, only what it costs.
"""

from __future__ import annotations

from array import array
from collections import deque

#: expired entries at the front of the window's arrays before they are cut off
_COMPACT_AFTER = 4096
#: a source's bits grow by this many bytes at a time (ids numbered upwards)
_GROW_BYTES = 4096
#: how far past the end of its bits an id may land and still be held as a bit: farther
#: and the gap is not worth its zeros (it goes to the plain set)
_REACH_BYTES = 1 << 20
#: zero bytes at the front of a source's bits before they are cut off
_TRIM_BYTES = 4096
#: the ids the window's array holds as they are; any other (beyond 64 bits, or this one
#: itself) stands in it as this and is kept in `_odd`, in the same order
_ODD = -(2**63)
_HIGHEST = 2**63 - 1


class _Ids:
    """One source's ids in the window: bits from `base` upwards, and a plain set of the
    ids that fell outside them when they came (see the module)."""

    __slots__ = ("base", "bits", "count", "others")

    def __init__(self) -> None:
        #: the id of the first byte's lowest bit (a multiple of 8)
        self.base = 0
        self.bits = bytearray()
        #: the bits set
        self.count = 0
        self.others: set[int] = set()

    def has(self, id_: int) -> bool:
        offset = id_ - self.base
        if 0 <= offset < len(self.bits) * 8 and self.bits[offset >> 3] >> (offset & 7) & 1:
            return True
        return bool(self.others) and id_ in self.others

    def add(self, id_: int) -> None:
        """Hold `id_` (not held: `has` said so)."""
        bits = self.bits
        offset = id_ - self.base
        if offset < 0 or offset >= len(bits) * 8:
            if self.count == 0:
                # nothing held as bits: they start again at this id
                self.base = id_ - (id_ & 7)
                offset = id_ & 7
                bits = self.bits = bytearray(_GROW_BYTES)
            elif offset < 0 or (offset >> 3) - len(bits) >= _REACH_BYTES:
                self.others.add(id_)
                return
            else:
                more = (offset >> 3) + 1 - len(bits)
                bits.extend(bytes(more + _GROW_BYTES - more % _GROW_BYTES))
        bits[offset >> 3] |= 1 << (offset & 7)
        self.count += 1

    def discard(self, id_: int) -> None:
        offset = id_ - self.base
        bits = self.bits
        if 0 <= offset < len(bits) * 8:
            byte, bit = offset >> 3, 1 << (offset & 7)
            if bits[byte] & bit:
                bits[byte] ^= bit
                self.count -= 1
        if self.others:
            self.others.discard(id_)

    def trim(self) -> None:
        """Cut off the zero bytes at the front, the ids that have left the window, and
        give back a set that has emptied (a set keeps the table it grew to)."""
        bits = self.bits
        if self.count == 0:
            if bits:
                self.bits = bytearray()
        else:
            rest = bits.lstrip(b"\x00")
            cut = len(bits) - len(rest)
            if cut >= _TRIM_BYTES:
                self.bits = rest
                self.base += cut * 8
        if not self.others:
            self.others = set()

    def __len__(self) -> int:
        return self.count + len(self.others)


class IdempotentConsumer:
    __slots__ = (
        "_expires",
        "_head",
        "_ids",
        "_odd",
        "_places",
        "_seen",
        "_sources",
        "duplicates",
        "enabled",
        "window_s",
    )

    def __init__(self, enabled: bool, window_s: float = 6 * 3600.0) -> None:
        self.enabled = enabled
        self.window_s = window_s
        #: source -> its place in `_places`
        self._seen: dict[str, int] = {}
        #: by place, in the order first heard from: the message ids seen from each
        #: source within the window
        self._places: list[_Ids] = []
        #: the window, oldest first, one place per message: when it leaves the window,
        #: its id (or `_ODD`) and its source's place; places before `_head` have left
        self._expires = array("d")
        self._ids = array("q")
        self._sources = array("I")
        self._head = 0
        #: the ids that stand as `_ODD` in `_ids`, in the same order
        self._odd: deque[int] = deque()
        self.duplicates = 0

    def first_time(self, source: str, message_id: int, now: float) -> bool:
        """Record the message; False when it was seen before (and should be dropped)."""
        places = self._places
        place = self._seen.get(source)
        if place is None:
            place = self._seen[source] = len(places)
            seen = _Ids()
            places.append(seen)
        else:
            seen = places[place]
        if seen.has(message_id):
            self.duplicates += 1
            return not self.enabled
        seen.add(message_id)
        self._expires.append(now + self.window_s)
        if _ODD < message_id <= _HIGHEST:
            self._ids.append(message_id)
        else:
            self._ids.append(_ODD)
            self._odd.append(message_id)
        self._sources.append(place)
        if self._expires[self._head] < now:
            self._expire(now)
        return True

    def forget(self, source: str, message_id: int) -> None:
        """Let a dead-lettered message through again when an operator replays it."""
        place = self._seen.get(source)
        if place is not None:
            self._places[place].discard(message_id)

    def __len__(self) -> int:
        """Message ids remembered now."""
        return sum(len(seen) for seen in self._places)

    def _expire(self, now: float) -> None:
        """Forget every message whose window ended before `now`, oldest first; now and
        then cut the arrays' front and the sources' bits that have left with it."""
        expires, ids, sources, head = self._expires, self._ids, self._sources, self._head
        places = self._places
        end = len(expires)
        # `_Ids.discard` inlined: this runs for about one message in four, each time
        # for a few ids
        while head < end and expires[head] < now:
            id_ = ids[head]
            if id_ == _ODD:
                id_ = self._odd.popleft()
            seen = places[sources[head]]
            offset = id_ - seen.base
            bits = seen.bits
            if 0 <= offset < len(bits) * 8:
                byte, bit = offset >> 3, 1 << (offset & 7)
                if bits[byte] & bit:
                    bits[byte] ^= bit
                    seen.count -= 1
            if seen.others:
                seen.others.discard(id_)
            head += 1
        if head >= _COMPACT_AFTER and head * 2 >= end:
            del expires[:head], ids[:head], sources[:head]
            head = 0
            for seen in places:
                seen.trim()
        self._head = head
