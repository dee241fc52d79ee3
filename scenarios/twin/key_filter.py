"""Which keys a generation of a spill table may hold, answered in memory: a Bloom filter
over its keys.

Most look-ups of a spilled table during a run are for keys it does not hold: the ERP's
index by reference asks for every new reference whether it already has numbers under it
(a duplicate, rare), and the hub asks its archive whether an order it is about to
create or change was archived. Each such miss was a SQLite query (about 10 us, in a
file most of whose pages are not in the cache), together about a tenth of the
simulation's own CPU. A filter that says "certainly not" for nearly all of them in half
a microsecond, and "maybe" for every key it was given, skips those queries and nothing
else: an answer never depends on it, only whether the file is asked.

A spill table is written in generations (`record_spill.py`), each with a filter sized
once, when the generation opens, for exactly the rows it will take: it never grows and
is never rebuilt (a filter that grew had to read every key of its table back from the
file, about as many keys as were put). A miss asks every generation's filter, so the
chance that one of them says a false "maybe" grows with their number: sixteen bits of
table a key (`BITS_PER_KEY`) and four probes (two numbers from the key's hash, `a +
i*b` modulo the table's size) give about one false "maybe" in four hundred when full
(ten bits and three probes, the single filter's before, one in sixty), 2 bytes a key.
Keys are hashed with Python's `hash`, which a process keeps the same for its lifetime
(a forked reader of the spill inherits it along with the filters). A key removed from
a generation stays in its filter (a Bloom filter cannot forget): it costs a query when
asked for, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable

#: filter bits per key the filter is sized for (with four probes a key: about 0.24 %
#: false "maybe" when full)
BITS_PER_KEY = 16


class KeyFilter:
    """A set of strings that may answer "maybe" for a key it was never given, and
    never answers "no" for one it was."""

    __slots__ = ("_bits", "_capacity", "_size")

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        size = max(64, -(-capacity * BITS_PER_KEY // 8) * 8)  # bits, whole bytes
        self._bits = bytearray(size >> 3)
        self._size = size

    def add(self, key: str) -> None:
        self.add_all((key,))

    def add_all(self, keys: Iterable[str]) -> None:
        """`add` each of `keys` (a spill table's batch once written), in one loop: the
        four bits of each written out, without a call a key or a probe."""
        size, bits = self._size, self._bits
        for key in keys:
            h = hash(key)
            step = (h >> 32) % size | 1
            at = h % size
            bits[at >> 3] |= 1 << (at & 7)
            at = (at + step) % size
            bits[at >> 3] |= 1 << (at & 7)
            at = (at + step) % size
            bits[at >> 3] |= 1 << (at & 7)
            at = (at + step) % size
            bits[at >> 3] |= 1 << (at & 7)

    def may_hold(self, key: object) -> bool:
        """False only if `key` was never added."""
        h = hash(key)
        size, bits = self._size, self._bits
        at = h % size
        if not bits[at >> 3] & (1 << (at & 7)):
            return False
        step = (h >> 32) % size | 1
        at = (at + step) % size
        if not bits[at >> 3] & (1 << (at & 7)):
            return False
        at = (at + step) % size
        if not bits[at >> 3] & (1 << (at & 7)):
            return False
        at = (at + step) % size
        return bool(bits[at >> 3] & (1 << (at & 7)))
