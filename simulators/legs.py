"""Which parts an order was released in, without holding the parts.

An order is released whole to one DC, or in parts (legs) to several DCs and drop-ship
partners; the checker and the read model ask for an order's parts by its reference.
Indexing the parts themselves would keep every release of the day in memory, where the
release table (`simulators/records.py`) lets a finished one leave it: so the index keeps
only each order's leg numbers (a bare small int for most orders) and reads the parts
from the table when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from simulators.compact import OneOrMany
from simulators.records import RecordTable

V = TypeVar("V")


def _same(leg: int) -> int:
    return leg


class Legs(Mapping[str, list[V]]):
    """order ref -> its parts' records, in the order `add` was told of them (leg order
    once `add` was asked to sort): read-only, changed through `add` only."""

    __slots__ = ("_key", "_legs", "_table")

    def __init__(self, table: RecordTable[V], key: Callable[[str, int], str]) -> None:
        self._table = table
        #: the record table's key of part `leg` of order `ref`
        self._key = key
        self._legs: OneOrMany[int] = OneOrMany()

    def add(self, ref: str, leg: int, in_leg_order: bool = False) -> None:
        """Part `leg` of order `ref` was released; with `in_leg_order`, the order's parts
        are put in order of their leg numbers (stable) from now on."""
        self._legs.add(ref, leg)
        if in_leg_order:
            self._legs.sort(ref, by=_same)

    def has(self, ref: str, leg: int) -> bool:
        """Whether part `leg` of order `ref` was released."""
        held = self._legs.get(ref)
        return held is not None and leg in held

    def __getitem__(self, ref: str) -> list[V]:
        table, key = self._table, self._key
        return [table[key(ref, leg)] for leg in self._legs[ref]]

    def __contains__(self, ref: object) -> bool:
        return ref in self._legs

    def __iter__(self) -> Iterator[str]:
        return iter(self._legs)

    def __len__(self) -> int:
        return len(self._legs)

    def __repr__(self) -> str:
        return f"Legs({dict(self)!r})"
