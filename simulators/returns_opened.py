"""The returns a channel opened, by order: the ground truth of what customers asked to
send back, held for the checker until the day is judged.

Why packed: a day keeps every return it opened, and as a list per order of a record
each (its id, the order's ref again, a tuple of (sku, qty) lines, a float) a return
held about 320 bytes; a peak weekend opens a return for about one order in thirteen,
and what it held grew with the days (about 1.2 MiB more than black-friday's at their
peaks, scale 0.25). Each order's returns are one bytes object here (per return: when
it was opened, exact as a double, the place of its lines among the distinct ones the
channel's returns named, and the place of its id's prefix); a return's id is made from
its prefix, the order's ref and its number as it was when opened, so it is not kept.
Read, an order's returns are built again as the same list of `ReturnOpened`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from struct import Struct

#: one return as packed: opened at (a double: exact), its lines' place, its prefix's
_RETURN = Struct("=dIB")


@dataclass(frozen=True, slots=True)
class ReturnOpened:
    """A return the channel opened for a customer: the ground truth of what was asked
    back, whether or not the message about it ever reached the hub."""

    id: str
    order_ref: str
    #: (sku, qty)
    lines: tuple[tuple[str, int], ...]
    opened_at: float


def return_id(prefix: str, order_ref: str, number: int) -> str:
    """The id of an order's `number`th return (from 1): PREFIX-REF for the first, as it
    always was, then PREFIX-REF-2, PREFIX-REF-3... (a customer may send one line back
    now and another next week)."""
    return f"{prefix}-{order_ref}" if number == 1 else f"{prefix}-{order_ref}-{number}"


class ReturnsOpened(Mapping[str, list[ReturnOpened]]):
    """order ref -> the returns opened for it, oldest first, the refs in the order
    their first return was opened (as the dict of lists it replaces). Add one through
    `open` only; a list read is a new one."""

    __slots__ = ("_line_places", "_lines", "_packed", "_prefix_places", "_prefixes")

    def __init__(self) -> None:
        self._packed: dict[str, bytes] = {}
        #: each distinct tuple of lines, once, and its place
        self._lines: list[tuple[tuple[str, int], ...]] = []
        self._line_places: dict[tuple[tuple[str, int], ...], int] = {}
        #: each id prefix, once (a channel uses one or two), and its place
        self._prefixes: list[str] = []
        self._prefix_places: dict[str, int] = {}

    def open(
        self, prefix: str, order_ref: str, lines: list[tuple[str, int]], at: float
    ) -> ReturnOpened:
        """Open the next return of order `order_ref`, of `lines`, at `at`."""
        kept = tuple((sku, qty) for sku, qty in lines)
        place = self._line_places.get(kept)
        if place is None:
            place = self._line_places[kept] = len(self._lines)
            self._lines.append(kept)
        else:
            kept = self._lines[place]
        prefix_place = self._prefix_places.get(prefix)
        if prefix_place is None:
            prefix_place = self._prefix_places[prefix] = len(self._prefixes)
            self._prefixes.append(prefix)
        packed = self._packed
        before = packed.get(order_ref, b"")
        packed[order_ref] = before + _RETURN.pack(at, place, prefix_place)
        number = len(before) // _RETURN.size + 1
        return ReturnOpened(return_id(prefix, order_ref, number), order_ref, kept, at)

    def __getitem__(self, order_ref: str) -> list[ReturnOpened]:
        lines, prefixes = self._lines, self._prefixes
        return [
            ReturnOpened(
                return_id(prefixes[prefix], order_ref, number), order_ref, lines[place], at
            )
            for number, (at, place, prefix) in enumerate(
                _RETURN.iter_unpack(self._packed[order_ref]), start=1
            )
        ]

    def __contains__(self, order_ref: object) -> bool:
        return order_ref in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __repr__(self) -> str:
        return f"ReturnsOpened({dict(self)!r})"


__all__ = ["ReturnOpened", "ReturnsOpened", "return_id"]
