"""Stock positions numbered once for the whole estate: a slot per (SKU, location), so the
tables that keep a value per position (`ByPosition`) keep it in an array at that slot.

Why: a stockroom's sequences and each channel's reflected ones were a dict per location
keyed by SKU, an entry (about 45 bytes with the table's room to spare, and an int object
for a value above 256) per position per table; the positions a stockroom moves and a
channel reflects grow with the days (a peak weekend moves positions Friday never
touched), so a four-day run held some 3 MiB more of them than black-friday's peak. Here
a position costs a table 4 bytes in an array, and its slot 2 bytes in the location's
map, which covers every SKU number whether the location holds the SKU or not: about 2
MiB for 224 locations of 5,000 SKUs, in a one-day run and a four-day one alike.

A SKU is numbered the first time any table sees it, and a position given a slot the first
time any table sets it (slot 0 is none: a table's value there is 0, "not set"); tables
that share a `PositionSlots` share the numbers and the maps, so the stockroom's
sequence of a position and the channels' reflections of it are at one slot.
"""

from __future__ import annotations

from array import array
from typing import Any

#: the largest slot a map of two-byte integers holds; a location with more positions
#: has its map widened to four bytes a SKU
NARROW_SLOTS = 65535


class LocationSlots:
    """One location's slots, by SKU number (0: the position has none yet)."""

    __slots__ = ("by_number", "count", "readers")

    def __init__(self) -> None:
        self.by_number: array[int] = array("H")
        #: slots given so far (the last one given)
        self.count = 0
        #: the tables' columns that read `by_number` directly, told when it is widened
        self.readers: list[Any] = []

    def widened(self) -> array[int]:
        """The map in four-byte integers, every reader given it."""
        self.by_number = array("I", self.by_number)
        for reader in self.readers:
            reader.by_number = self.by_number
        return self.by_number


class PositionSlots:
    """SKU -> number, and each location's slots by SKU number, shared by the estate."""

    __slots__ = ("_locations", "numbers")

    def __init__(self) -> None:
        #: SKU -> its number, in the order first seen (read by `ByPosition` directly)
        self.numbers: dict[str, int] = {}
        self._locations: dict[str, LocationSlots] = {}

    def location(self, location: str) -> LocationSlots:
        """The location's slots (made empty the first time it is asked for)."""
        at = self._locations.get(location)
        if at is None:
            at = self._locations[location] = LocationSlots()
        return at

    def slot(self, at: LocationSlots, sku: str) -> int:
        """The slot of `sku` at location `at`, given one (the next) if it has none."""
        numbers = self.numbers
        number = numbers.get(sku)
        if number is None:
            number = numbers[sku] = len(numbers)
        by_number = at.by_number
        if number < len(by_number):
            slot: int = by_number[number]
            if slot:
                return slot
        else:
            by_number.frombytes(bytes((number + 1 - len(by_number)) * by_number.itemsize))
        at.count += 1
        slot = at.count
        if slot > NARROW_SLOTS and by_number.typecode == "H":
            by_number = at.widened()
        by_number[number] = slot
        return slot

    def skus_at(self, at: LocationSlots) -> list[tuple[str, int]]:
        """(SKU, slot) of every position at location `at` with a slot, by SKU number."""
        by_number = at.by_number
        return [
            (sku, by_number[number])
            for sku, number in self.numbers.items()
            if number < len(by_number) and by_number[number]
        ]
