"""The numbers backends give the records they keep all run, in one place.

An ERP document is numbered by its kind's prefix and a running number per prefix
(`SO00000042`), a parcel by the WMS's running shipment number (`SHP00000042`). The
indexes that keep these numbers for the checker hold them as ints
(`simulators.compact.NumberIndex`), which is safe only if what formats a number and
what parses it agree: both go through the `Numbering` here.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["DOCUMENT_NUMBERS", "SHIPMENT_NUMBERS", "Numbering"]


class Numbering:
    """Document numbers a backend makes: a prefix from a fixed set and a running number
    padded to a width (`SO00000042`). The one place such a number is formatted and
    parsed, so an index can hold it as an int (`pack`: about 28 bytes, against about 60
    for the string) and give back the very same string (`unpack`).

    A number packs to n * (number of prefixes) + the prefix's place; a string that is
    not exactly what `format` would make (a prefix not in the set, a number padded
    otherwise) is kept as the string itself, so every value round-trips."""

    __slots__ = ("_made", "_places", "_prefixes", "_width")

    # Numbers are padded by `str(n).zfill(width)`, the same string as the format spec
    # `{n:0{width}d}` (a sign first, then zeros) at a quarter of its cost: a backend
    # formats or unpacks one on most of the messages of a run.

    def __init__(self, prefixes: Sequence[str], width: int) -> None:
        if any(not p or any(c.isdigit() for c in p) for p in prefixes):
            raise ValueError(f"a prefix is not empty and has no digits: {prefixes!r}")
        self._prefixes = tuple(prefixes)
        self._places = {prefix: place for place, prefix in enumerate(self._prefixes)}
        self._width = width
        #: the number made last and its packed form: a backend files a number in its
        #: indexes as soon as it makes it (the ERP a document's in one or two, the
        #: carrier a shipment's), and `pack` then need not parse the string back
        self._made: tuple[str | None, int] = (None, 0)

    def format(self, prefix: str, n: int) -> str:
        """The number `n` under `prefix` (one of the set: a KeyError otherwise, so every
        number made packs)."""
        place = self._places.get(prefix)
        if place is None:
            raise KeyError(f"{prefix!r} is not one of {self._prefixes!r}")
        number = prefix + str(n).zfill(self._width)
        # (a negative number formats with its sign, which `pack` keeps as a string)
        self._made = (number, n * len(self._prefixes) + place) if n >= 0 else (None, 0)
        return number

    def pack(self, number: str) -> int | str:
        """`number` as an int if `format` made it, else the string as given."""
        made = self._made
        if made[0] is number:  # the very string made last: what parsing it would give
            return made[1]
        prefix = number.rstrip("0123456789")
        place = self._places.get(prefix)
        digits = number[len(prefix) :]
        if place is None or not digits:
            return number
        n = int(digits)
        if prefix + str(n).zfill(self._width) != number:
            return number
        return n * len(self._prefixes) + place

    def unpack(self, packed: int | str) -> str:
        """The string `pack` was given."""
        if isinstance(packed, str):
            return packed
        n, place = divmod(packed, len(self._prefixes))
        return self._prefixes[place] + str(n).zfill(self._width)

    def __reduce__(self) -> tuple[type[Numbering], tuple[tuple[str, ...], int]]:
        """Pickled as the arguments it was made with (the number made last is a cache):
        compiled (`make compile`), a class is rebuilt through its `__init__`, which
        pickle's default would call with none."""
        return (Numbering, (self._prefixes, self._width))


#: an ERP document's number (simulators/erp.py): sales order, cancellation, invoice,
#: goods movement, store sales, credit memo, settlement, customer payment
DOCUMENT_NUMBERS = Numbering(("SO", "CX", "INV", "MD", "SS", "CM", "PAY", "RC"), 8)
#: a parcel's shipment number (simulators/wms.py), which the carrier indexes by order
SHIPMENT_NUMBERS = Numbering(("SHP",), 8)
