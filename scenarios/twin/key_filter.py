"""Which keys a spill table may hold, answered in memory: a Bloom filter over its keys.

Most look-ups of a spilled table during a run are for keys it does not hold: the ERP's
index by reference asks for every new reference whether it already has numbers under it
(a duplicate, rare), and the hub asks its archive whether an order it is about to
create or change was archived. Each such miss was a SQLite query (about 10 us, in a
file most of whose pages are not in the cache), together about a tenth of the
simulation's own CPU. A filter that says "certainly not" for nearly all of them in half
a microsecond, and "maybe" for every key it was given, skips those queries and nothing
else: an answer never depends on it, only whether the file is asked.

Ten bits of table per key it is sized for (`BITS_PER_KEY`), three probes each (two
numbers from the key's hash, `a + i*b` modulo the table's size) give about one false
"maybe" in sixty when full, as sixteen bits and two probes did (a table sized to a power
of two, two 32-bit halves of the hash) in 1.6 times the memory; keys are hashed with
Python's `hash`, which a process keeps the same for its lifetime (a forked reader of
the spill inherits it along with the filter). A key removed from the table stays in the
filter (a Bloom filter cannot forget) until the filter is rebuilt, half as large again,
from the keys the table holds then. Growing by one and a half, a filter is between two
thirds full and full, 1.25 to 1.9 bytes a key (1.25 to 2.5 growing by two, 2 to 4 with
sixteen bits; growing by four, it was 5.7 bytes a key over peak-weekend's tables at
scale 0.1): a run's filters hold the keys of every table it asks for the whole run, so
they grow with the days (5.4 MiB at peak-weekend's Monday lunchtime against 1.5 MiB at
black-friday's doorbuster, full scale, growing by two), and the room a filter keeps
for keys not yet put is what a long run pays beyond a short one. A table is given its
filter at the first look-up that needs one (`record_spill.py`), and a Bloom filter only
if its keys are not a prefix and a number each (`numbered_keys.py`: a bit a number).
The keys read back for rebuilds come to about twice as many as were put (as many
growing by two, a third by four), each a row of a scan.
"""

from __future__ import annotations

from collections.abc import Iterable

#: filter bits per key the table is sized for (with three probes a key: about 1.7 %
#: false "maybe" when full)
BITS_PER_KEY = 10
#: keys a new filter is sized for (20 KiB); it grows `GROWTH` times when more were added
FIRST_CAPACITY = 16384
GROWTH = 1.5


def sized_for(keys: int) -> int:
    """The capacity of a filter made to hold `keys` keys: `GROWTH` times as many, so
    that more can be added before it is rebuilt."""
    return max(FIRST_CAPACITY, int(GROWTH * keys))


class KeyFilter:
    """A set of strings that may answer "maybe" for a key it was never given, and
    never answers "no" for one it was."""

    __slots__ = ("_added", "_bits", "_capacity", "_size")

    def __init__(self, capacity: int | None = None) -> None:
        if capacity is None:
            capacity = FIRST_CAPACITY
        self._capacity = capacity
        size = max(64, -(-capacity * BITS_PER_KEY // 8) * 8)  # bits, whole bytes
        self._bits = bytearray(size >> 3)
        self._size = size
        #: keys added since the filter was (re)built, removed ones included
        self._added = 0

    def add(self, key: str) -> None:
        self.add_all((key,))

    def add_all(self, keys: Iterable[str]) -> None:
        """`add` each of `keys` (a spill table's batch once written), in one loop: the
        `PROBES` bits of each written out, without a call a key or a probe."""
        size, bits, added = self._size, self._bits, 0
        for key in keys:
            h = hash(key)
            step = (h >> 32) % size
            at = h % size
            bits[at >> 3] |= 1 << (at & 7)
            at = (at + step) % size
            bits[at >> 3] |= 1 << (at & 7)
            at = (at + step) % size
            bits[at >> 3] |= 1 << (at & 7)
            added += 1
        self._added += added

    def may_hold(self, key: object) -> bool:
        """False only if `key` was never added (since the filter was last rebuilt)."""
        h = hash(key)
        size, bits = self._size, self._bits
        at = h % size
        if not bits[at >> 3] & (1 << (at & 7)):
            return False
        step = (h >> 32) % size
        at = (at + step) % size
        if not bits[at >> 3] & (1 << (at & 7)):
            return False
        at = (at + step) % size
        return bool(bits[at >> 3] & (1 << (at & 7)))

    @property
    def added(self) -> int:
        """Keys added since the filter was (re)built, removed ones included."""
        return self._added

    @property
    def size(self) -> int:
        """Bytes of its table."""
        return len(self._bits)

    def full(self) -> bool:
        """More keys were added than the filter was sized for: time to `rebuilt` it."""
        return self._added > self._capacity

    def rebuilt(self, keys: Iterable[str], count: int) -> KeyFilter:
        """A filter `GROWTH` times the size (or more, for `count` keys) holding `keys`,
        the `count` keys the table holds now."""
        fresh = KeyFilter(int(GROWTH * max(self._capacity, count)))
        fresh.add_all(keys)
        return fresh
