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
rebuild. Ids outside the band (one replayed from long ago, or numbered by some other
scheme, as an external middleware may) are held in a plain set beside the bits, so
what is answered never depends on how ids are numbered, only what it costs.

When each id leaves the window is kept in arrival order, 16 bytes a message (the time,
and the id with its source's place in one 64-bit integer). Why in chunks of `_CHUNK`:
this runs for every inbound message, and compiled (mypyc) a list is appended to and
read natively, where an `array`'s every append and read is a generic Python call; so
the newest chunk is filled as lists and the oldest drained as tuples, and the chunks
between are held packed as bytes (`struct`, one call a chunk each way).
"""

from __future__ import annotations

from collections import deque
from struct import Struct
from typing import Final

#: messages a chunk of the window holds
_CHUNK: Final = 1024
#: a source's bits grow by this many bytes at a time (ids numbered upwards)
_GROW: Final = 4096
#: how far past the end of its bits an id may land and still be held as a bit: farther
#: and the gap is not worth its zeros (it goes to the plain set)
_REACH: Final = 1 << 20
#: zero bytes at the front of a source's bits before they are cut off
_ZEROS: Final = bytes(4096)
#: a window entry is `id << _PLACE_BITS | place` when the id is in [0, _PACKED_IDS)
#: and the place below `_PLACES`; any other stands as `_ODD` and is kept in `_odd`
_PLACE_BITS: Final = 8
_PLACES: Final = 1 << _PLACE_BITS
_PACKED_IDS: Final = 1 << 54
_ODD: Final = -1
#: the window's next end when it is empty
_NEVER: Final = float("inf")
#: a held chunk of the window: its times, its ids (packed from a list and unpacked to a
#: tuple in one call each, where `array(...)` parses each item as a call's argument)
_TIMES: Final = Struct(f"={_CHUNK}d")
_IDS: Final = Struct(f"={_CHUNK}q")


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

    def add(self, id_: int) -> None:
        """Hold `id_`, which falls outside the bits (the consumer sets a bit within
        them itself, inlined)."""
        bits = self.bits
        offset = id_ - self.base
        if self.count == 0:
            # nothing held as bits: they start again at this id
            self.base = id_ - (id_ & 7)
            offset = id_ & 7
            bits = self.bits = bytearray(_GROW)
        elif offset < 0 or (offset >> 3) - len(bits) >= _REACH:
            self.others.add(id_)
            return
        elif offset >= len(bits) << 3:
            more = (offset >> 3) + 1 - len(bits)
            bits.extend(bytes(more + _GROW - more % _GROW))
        at = offset >> 3
        bits[at] |= 1 << (offset & 7)
        self.count += 1

    def discard(self, id_: int) -> None:
        offset = id_ - self.base
        bits = self.bits
        if 0 <= offset < len(bits) << 3:
            at, bit = offset >> 3, 1 << (offset & 7)
            word = bits[at]
            if word & bit:
                bits[at] = word ^ bit
                self.count -= 1
        if self.others:
            self.others.discard(id_)

    def trim(self) -> None:
        """Cut off the zero bytes at the front, the ids that have left the window, once
        they are as many as `_ZEROS` (told by one comparison, in C), and give back a set
        that has emptied (a set keeps the table it grew to)."""
        bits = self.bits
        if self.count == 0:
            if bits:
                self.bits = bytearray()
        elif bits.startswith(_ZEROS):
            rest = bits.lstrip(b"\x00")
            self.base += (len(bits) - len(rest)) * 8
            self.bits = rest
        if not self.others:
            self.others = set()

    def __len__(self) -> int:
        return self.count + len(self.others)


class IdempotentConsumer:
    __slots__ = (
        "_held_ids",
        "_held_times",
        "_in_ids",
        "_in_times",
        "_next",
        "_odd",
        "_out_at",
        "_out_ids",
        "_out_times",
        "_places",
        "_seen",
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
        #: the window, oldest first, one entry per message: when it leaves the window,
        #: and its id with its source's place (see `_ODD`); drained from `_out_*` (from
        #: `_out_at`), then the chunks held packed, then `_in_*`, which is filled
        self._out_times: tuple[float, ...] = ()
        self._out_ids: tuple[int, ...] = ()
        self._out_at = 0
        self._held_times: deque[bytes] = deque()
        self._held_ids: deque[bytes] = deque()
        self._in_times: list[float] = []
        self._in_ids: list[int] = []
        #: when the oldest message in the window leaves it (`_NEVER`: none held)
        self._next = _NEVER
        #: (id, place) of the messages that stand as `_ODD`, in the same order
        self._odd: deque[tuple[int, int]] = deque()
        self.duplicates = 0

    def first_time(self, source: str, message_id: int, now: float) -> bool:
        """Record the message; False when it was seen before (and should be dropped)."""
        place = self._seen.get(source)
        if place is None:
            place = self._seen[source] = len(self._places)
            self._places.append(_Ids())
        seen = self._places[place]
        # `has` and `add` inlined for an id within the bits, the usual case (`len` of a
        # set is read in place compiled, where its truth is a generic call)
        bits = seen.bits
        offset = message_id - seen.base
        if 0 <= offset < len(bits) << 3:
            at, bit = offset >> 3, 1 << (offset & 7)
            word = bits[at]
            if word & bit or (len(seen.others) != 0 and message_id in seen.others):
                self.duplicates += 1
                return not self.enabled
            bits[at] = word | bit
            seen.count += 1
        elif len(seen.others) != 0 and message_id in seen.others:
            self.duplicates += 1
            return not self.enabled
        else:
            seen.add(message_id)
        leaves = now + self.window_s
        times = self._in_times
        times.append(leaves)
        if 0 <= message_id < _PACKED_IDS and place < _PLACES:
            self._in_ids.append(message_id << _PLACE_BITS | place)
        else:
            self._in_ids.append(_ODD)
            self._odd.append((message_id, place))
        if len(times) >= _CHUNK:
            self._held_times.append(_TIMES.pack(*times))
            self._held_ids.append(_IDS.pack(*self._in_ids))
            self._in_times, self._in_ids = [], []
        if self._next == _NEVER:
            self._next = leaves
        elif self._next < now:
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
        """Forget every message whose window ended before `now`, oldest first; as each
        chunk is done, take the next and cut the sources' bits that have left."""
        places = self._places
        times, ids, at = self._out_times, self._out_ids, self._out_at
        while True:
            end = len(times)
            # `_Ids.discard` inlined: this runs for about one message in four, each
            # time for a few ids
            while at < end and times[at] < now:
                packed = ids[at]
                if packed == _ODD:
                    id_, place = self._odd.popleft()
                else:
                    id_, place = packed >> _PLACE_BITS, packed & (_PLACES - 1)
                seen = places[place]
                offset = id_ - seen.base
                bits = seen.bits
                if 0 <= offset < len(bits) << 3:
                    byte, bit = offset >> 3, 1 << (offset & 7)
                    word = bits[byte]
                    if word & bit:
                        bits[byte] = word ^ bit
                        seen.count -= 1
                if len(seen.others) != 0:
                    seen.others.discard(id_)
                at += 1
            if at < end:
                self._next = times[at]
                break
            # this chunk is done: the next, oldest first
            if self._held_times:
                times = _TIMES.unpack(self._held_times.popleft())
                ids = _IDS.unpack(self._held_ids.popleft())
            elif self._in_times:
                times, ids = tuple(self._in_times), tuple(self._in_ids)
                self._in_times, self._in_ids = [], []
            else:
                times, ids = (), ()
                self._next = _NEVER
                break
            at = 0
            for seen in places:
                seen.trim()
        self._out_times, self._out_ids, self._out_at = times, ids, at
