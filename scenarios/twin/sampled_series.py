"""One sampled gauge's values, packed in the narrowest machine integers that hold them.

Why: the sampler reads a few dozen gauges once a simulated minute for the whole day and
drain, and kept them as doubles, 8 bytes a value: 1.1 MiB at a peak weekend's Monday
(26 series of 5,300 samples), however small the estate. Every gauge is a count (a
queue's depth, orders so far, a SKU's units), most of them a few units or a few
thousand: held as signed integers of 1, 2, 4 or 8 bytes, each series as narrow as its
largest value needs, they take a quarter of that. A value that is not a whole number
(or is -0.0, which an integer cannot tell from 0.0) turns the series into doubles, so
every value reads back as the float it was.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

#: the integer typecodes from the narrowest, each with the range it holds
_WIDTHS = tuple(
    (code, -(1 << (8 * array(code).itemsize - 1)), 1 << (8 * array(code).itemsize - 1))
    for code in ("b", "h", "i", "q")
)


def _width_for(value: float) -> str:
    """The narrowest typecode that holds `value` exactly ("d" if no integer one does)."""
    if not value.is_integer() or (value == 0.0 and math.copysign(1.0, value) < 0.0):
        return "d"
    for code, low, high in _WIDTHS:
        if low <= value < high:
            return code
    return "d"


_ORDER = {code: rank for rank, code in enumerate(("b", "h", "i", "q", "d"))}


class SampledSeries(Sequence[float]):
    """A sequence of floats, appended one at a time, read as floats (an index, a slice,
    iteration), stored as the narrowest array that holds every value exactly."""

    __slots__ = ("_values",)

    def __init__(self, values: Sequence[float] = ()) -> None:
        self._values: array[int] | array[float] = array("b")
        for value in values:
            self.append(value)

    def append(self, value: float) -> None:
        values = self._values
        code = values.typecode
        if code != "d":
            wanted = _width_for(value)
            if _ORDER[wanted] > _ORDER[code]:
                # widening keeps every value held: whole numbers a double holds exactly
                # (they came in as floats)
                values = self._values = array(wanted, values.tolist())
            if wanted != "d":
                values.append(int(value))
                return
        values.append(value)  # type: ignore[arg-type]

    @property
    def typecode(self) -> str:
        """How the values are held ("b", "h", "i", "q": integers of 1 to 8 bytes; "d")."""
        return self._values.typecode

    def __len__(self) -> int:
        return len(self._values)

    @overload
    def __getitem__(self, index: int) -> float: ...

    @overload
    def __getitem__(self, index: slice) -> list[float]: ...

    def __getitem__(self, index: int | slice) -> float | list[float]:
        if isinstance(index, slice):
            return [float(value) for value in self._values[index]]
        return float(self._values[index])

    def __iter__(self) -> Iterator[float]:
        return map(float, self._values)

    def __repr__(self) -> str:
        return f"SampledSeries({list(self)!r})"
