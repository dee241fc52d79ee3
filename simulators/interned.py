"""One shared copy of each equal immutable value, kept only while something uses it.

A peak day books the same few thousand lines hundreds of thousands of times (a channel's
(sku, qty, price, tax) lines and baskets, the WMS's and the tills' (sku, qty) lines, the
ERP's items), and a tuple shared is a tuple kept once. But the records that use them
leave memory as they finish (written out to the run's file, `RecordTable`), and a
table that kept every value it was ever handed would grow with the days, not with what
is in flight: over peak-weekend's four days at full scale the channels' and backends'
tables grew by some 180,000 distinct lines and baskets that no order in memory still
held. So every time the table has doubled since it was last swept, it drops each value
nothing but the table holds (CPython's reference count, exact and immediate). A value
dropped and handed in again later is kept anew: equal values are interchangeable, so
sharing them, or not, changes nothing but memory.
"""

from __future__ import annotations

import sys
from collections.abc import Hashable
from typing import Any, TypeVar

__all__ = ["Interned"]

H = TypeVar("H", bound=Hashable)

#: the table is not swept before it holds this many values
FIRST_SWEEP = 4096


def _probe_last(seen: dict[Any, Any], order: list[Any]) -> None:
    """Add a value nothing else holds at the end of `order` and to `seen`: the sweep
    reads its reference count as the count of a value only the table holds, measured
    by the very loop that reads the others (compiled and interpreted code hold their
    locals differently)."""
    probe = object()
    seen[probe] = probe
    order.append(probe)


class Interned:
    """value -> its one shared copy, for values nothing else still holds only until the
    next sweep (see the module)."""

    __slots__ = ("_first_sweep", "_next_sweep", "_seen")

    def __init__(self, first_sweep: int = FIRST_SWEEP) -> None:
        """`first_sweep`: the fewest values the table holds before it is swept (a
        table read by a stream, whose values nearly all go as the next comes, is best
        swept often: what it holds between sweeps is garbage)."""
        self._seen: dict[Any, Any] = {}
        self._first_sweep = first_sweep
        self._next_sweep = first_sweep

    def __call__(self, value: H) -> H:
        seen = self._seen
        shared = seen.setdefault(value, value)
        if len(seen) >= self._next_sweep:
            self._sweep()
        return shared  # type: ignore[no-any-return]

    def __len__(self) -> int:
        """Distinct values held now."""
        return len(self._seen)

    def sweep(self) -> None:
        """Drop now every value nothing but the table holds: once a reader that held
        many values at a time has let them all go (the checker's walk over every order
        read back), the table need not keep them until it has doubled again."""
        self._sweep()

    def _sweep(self) -> None:
        """Drop every value only the table holds, newest first: a basket or a sequence
        is made of values interned before it, so dropping it first frees them for
        this same sweep. Then the table is copied into one of its new size (a dict
        never gives back the table it grew to)."""
        seen = self._seen
        order = list(seen)
        _probe_last(seen, order)
        only_the_table = -1
        while order:
            value = order.pop()
            held = sys.getrefcount(value)
            if only_the_table < 0:
                only_the_table = held  # the probe
                del seen[value]
            elif held <= only_the_table:
                del seen[value]
        self._seen = dict(seen)
        self._next_sweep = max(self._first_sweep, 2 * len(self._seen))
