"""A value per stock position, (SKU, location), kept in an array per location at the
position's slot (`simulators/position_slots.py`), read and written through the tuple.

Why: a position's key is made afresh by whoever names it (a release's line, a feed's
row: `(sku, dc)`), so a dict keyed by the tuple kept a tuple object per position it ever
held; a dict per location keyed by the SKU kept an entry per position per table, and the
positions a stockroom has moved and the ones a channel has reflected grow with the days.
In an array a position costs 4 bytes a table (8 once a value passes 2**31 - 1, a float
8; a list, for the location, once a feed from outside sets what no array of its kind
holds: `_wider`), its slot shared by the tables of the estate (`share`).

0 (0.0) is "not set": the values kept are a stockroom's sequences (from 1), a channel's
reflected ones (above 0) and movement times, and each reader reads a position never set
as 0; `find` answers None for it, `items` and `len` leave it out. The look-ups every
movement and feed row make (`find_at`, `get`, `increment`, setting) are written out in
full, without a call beyond their own, on the common path: the slot known, the array
long enough.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, MutableSequence
from typing import Any, Generic, TypeVar

from simulators.position_slots import LocationSlots, PositionSlots

V = TypeVar("V", int, float)


class _Column:
    """One table's values at a location by slot (slot 0, none, holds 0), and the
    location's map of slots, read directly (`LocationSlots.readers`)."""

    __slots__ = ("by_number", "slots", "values")

    def __init__(self, slots: LocationSlots, values: array[Any]) -> None:
        self.slots = slots
        self.by_number: array[int] = slots.by_number
        #: an array, or a list once a value no array of its kind holds was set (`_wider`)
        self.values: MutableSequence[Any] = values
        slots.readers.append(self)


class ByPosition(Generic[V]):
    """(sku, location) -> value, as location -> value by the position's slot.

    `typecode` is the array's: "i" for ints (widened to "q" when a value needs it),
    "d" for floats."""

    __slots__ = ("_at", "_numbers", "_slots", "_typecode")

    def __init__(self, typecode: str = "i") -> None:
        self._typecode = typecode
        self._at: dict[str, _Column] = {}
        self._slots = PositionSlots()
        self._numbers = self._slots.numbers

    def share(self, slots: PositionSlots) -> None:
        """Number positions by the estate's `slots` from now on (while nothing is set:
        the slots given so far are this table's own)."""
        if self._at:
            raise ValueError("a table that holds values keeps the slots it gave them")
        self._slots = slots
        self._numbers = slots.numbers

    def get(self, key: tuple[str, str], default: V) -> V:
        column = self._at.get(key[1])
        if column is None:
            return default
        try:
            value: V = column.values[column.by_number[self._numbers[key[0]]]]
        except (KeyError, IndexError):  # a SKU or a slot no table here set yet
            return default
        return value if value else default

    def find(self, key: tuple[str, str]) -> V | None:
        """The position's value, None if it has none."""
        return self.find_at(key[0], key[1])

    def find_at(self, sku: str, location: str) -> V | None:
        """The value of the position (sku, location), None if it has none: `find`
        without a key tuple, for a feed's row that names the two apart."""
        column = self._at.get(location)
        if column is None:
            return None
        try:
            value: V = column.values[column.by_number[self._numbers[sku]]]
        except (KeyError, IndexError):
            return None
        return value if value else None

    def __setitem__(self, key: tuple[str, str], value: V) -> None:
        sku, location = key
        column = self._at.get(location)
        if column is not None:
            number = self._numbers.get(sku)
            if number is not None and number < len(column.by_number):
                slot = column.by_number[number]
                if 0 < slot < len(column.values):
                    try:
                        column.values[slot] = value
                        return
                    except (OverflowError, TypeError):  # see `_wider`
                        pass
        self._put(self._column(location), sku, value)

    def increment(self, sku: str, location: str) -> int:
        """Add one to the position's value (0 if none) and return it: a stockroom's
        movement, with one look-up of the location and of the slot."""
        column = self._at.get(location)
        if column is not None:
            number = self._numbers.get(sku)
            if number is not None and number < len(column.by_number):
                slot = column.by_number[number]
                values = column.values
                if 0 < slot < len(values):
                    value: int = values[slot] + 1
                    try:
                        values[slot] = value
                        return value
                    except OverflowError:
                        pass
        column = self._column(location)
        value = int(self.get((sku, location), 0)) + 1
        self._put(column, sku, value)
        return value

    def values_at(self, location: str, skus: Iterable[str], default: V) -> list[V]:
        """The values of `skus` at `location`, in their order (`default` for one unset)."""
        column = self._at.get(location)
        if column is None:
            return [default for _ in skus]
        numbers, by_number, values = self._numbers, column.by_number, column.values
        found: list[V] = []
        for sku in skus:
            number = numbers.get(sku, -1)
            slot = by_number[number] if 0 <= number < len(by_number) else 0
            value: V = values[slot] if slot < len(values) else default
            found.append(value if value else default)
        return found

    def items(self) -> Iterator[tuple[tuple[str, str], V]]:
        """Every (key, value) set, location by location in the order first set, each
        location's by SKU number (the order the estate first saw the SKUs)."""
        for location, column in self._at.items():
            values = column.values
            for sku, slot in self._slots.skus_at(column.slots):
                if slot < len(values) and values[slot]:
                    yield (sku, location), values[slot]

    def __len__(self) -> int:
        return sum(1 for _ in self.items())

    def _column(self, location: str) -> _Column:
        column = self._at.get(location)
        if column is None:
            values: array[Any] = array(self._typecode, bytes(array(self._typecode).itemsize))
            column = self._at[location] = _Column(self._slots.location(location), values)
        return column

    def _put(self, column: _Column, sku: str, value: V) -> None:
        """Set the value of `sku` at the column's location, the position given a slot,
        the array grown to it (with 0s) or widened to 8-byte ints for a value that does
        not fit."""
        slot = self._slots.slot(column.slots, sku)
        values = column.values
        short = slot + 1 - len(values)
        if short > 0:
            if isinstance(values, array):
                values.frombytes(bytes(short * values.itemsize))
            else:
                values.extend([0] * short)
        try:
            values[slot] = value
        except (OverflowError, TypeError):
            column.values = values = _wider(values, value)
            values[slot] = value


def _wider(values: MutableSequence[Any], value: object) -> MutableSequence[Any]:
    """A column that holds `value` too, with the values it holds: 8-byte ints for an
    int past 4 bytes, else a list. Only a feed from outside sets what no array of the
    table's kind holds (a sequence past 64 bits, or a whole number sent as `12.0`,
    which JSON Schema's integer admits: the contract's fuzzing sends both); the
    column keeps it as the dict per location did, rather than stop the twin."""
    if (
        isinstance(values, array)
        and values.typecode == "i"
        and isinstance(value, int)
        and -(2**63) <= value < 2**63
    ):
        return array("q", values)
    return list(values)
