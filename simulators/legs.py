"""Which parts an order was released in, without holding the parts, nor an entry for
an order released whole.

An order is released whole to one DC, or in parts (legs) to several DCs and drop-ship
partners; the checker and the read model ask for an order's parts by its reference.
Indexing the parts themselves would keep every release of the day in memory, where the
release table (`simulators/records.py`) lets a finished one leave it; and even an entry
per order (its reference and a small int) grew with the day, the last index that held
every order's reference in memory (about 33 MiB over a peak weekend's 331,000 orders).
Most orders are released whole, as part 1, which the table itself records under the
part's key: so the index keeps leg numbers only for an order whose parts are not just
part 1 (a split order, a drop-ship partner's part), and answers the rest from the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar, overload

from simulators.compact import OneOrMany

V = TypeVar("V")
V_co = TypeVar("V_co", covariant=True)
D = TypeVar("D")


class PartTable(Protocol[V_co]):
    """What the index reads of the release table (`simulators/records.py`'s
    `RecordTable` is one): a protocol, not that class, so a test can count the reads
    through a table of its own even when this module is compiled (`make compile`)."""

    def __contains__(self, key: object, /) -> bool: ...

    def __getitem__(self, key: str, /) -> V_co: ...

    def get(self, key: str, /) -> V_co | None: ...


def _same(leg: int) -> int:
    return leg


class Legs(Generic[V]):
    """order ref -> its parts' records, in the order `add` was told of them (leg order
    once `add` was asked to sort): read-only, changed through `add` only. Not iterable:
    the refs of orders released whole are the table's, not the index's."""

    __slots__ = ("_key", "_legs", "_table")

    def __init__(self, table: PartTable[V], key: Callable[[str, int], str]) -> None:
        self._table = table
        #: the record table's key of part `leg` of order `ref`
        self._key = key
        #: the leg numbers of orders whose parts are not just part 1
        self._legs: OneOrMany[int] = OneOrMany()

    def add(self, ref: str, leg: int, in_leg_order: bool = False) -> None:
        """Part `leg` of order `ref` was released, and is in the table already; with
        `in_leg_order`, the order's parts are put in order of their leg numbers (stable)
        from now on."""
        legs = self._legs
        if ref not in legs:
            if leg == 1:
                return  # part 1 alone: the table's key for it says so
            if self._key(ref, 1) in self._table:
                legs.add(ref, 1)
        legs.add(ref, leg)
        if in_leg_order:
            legs.sort(ref, by=_same)

    def has(self, ref: str, leg: int) -> bool:
        """Whether part `leg` of order `ref` was released."""
        held = self._legs.get(ref)
        if held is not None:
            return leg in held
        return leg == 1 and self._key(ref, 1) in self._table

    def __getitem__(self, ref: str) -> list[V]:
        table, key = self._table, self._key
        legs = self._legs.get(ref)
        if legs is None:
            whole = table.get(key(ref, 1))
            if whole is None:
                raise KeyError(ref)
            return [whole]
        return [table[key(ref, leg)] for leg in legs]

    def in_parts(self) -> Iterator[tuple[str, list[V]]]:
        """(ref, its parts) for every order not released as part 1 alone (a split
        order, a drop-ship partner's part), in the order the index first kept each."""
        for ref in self._legs:
            yield ref, self[ref]

    @overload
    def get(self, ref: str, /) -> list[V] | None: ...

    @overload
    def get(self, ref: str, default: D, /) -> list[V] | D: ...

    def get(self, ref: str, default: D | None = None, /) -> list[V] | D | None:
        try:
            return self[ref]
        except KeyError:
            return default

    def __contains__(self, ref: object) -> bool:
        return ref in self._legs or (isinstance(ref, str) and self._key(ref, 1) in self._table)

    def __repr__(self) -> str:
        return f"Legs({self._legs!r} beyond part 1 alone)"
