"""Where a value sits along an axis, as a fraction of the axis from its low end."""

from __future__ import annotations

import math


class _Ends:
    """A scale's two ends, compared and hashed by them as a frozen dataclass's would be
    (tests compare scales). A plain class, not a dataclass: compiled, a dataclass is
    made by the interpreted `__init__` `dataclasses` writes (layout.py's `Rect`)."""

    def __init__(self, low: float, high: float) -> None:
        self.low = low
        self.high = high

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Ends) or type(other) is not type(self):
            return NotImplemented
        return (self.low, self.high) == (other.low, other.high)

    def __hash__(self) -> int:
        return hash((self.low, self.high))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(low={self.low!r}, high={self.high!r})"


class Linear(_Ends):
    """`low` at 0, `high` at 1, evenly in between."""

    def fraction(self, value: float) -> float:
        span = self.high - self.low
        return (value - self.low) / span if span else 0.0

    def contains(self, value: float) -> bool:
        return _within(self.fraction(value))


class Log(_Ends):
    """`low` at 0, `high` at 1, evenly in log10 (both above zero). A value of zero or
    below, which a log scale cannot place, sits a decade below `low`, out of sight."""

    def fraction(self, value: float) -> float:
        bottom, top = math.log10(self.low), math.log10(self.high)
        at = math.log10(value) if value > 0 else bottom - 1
        return (at - bottom) / (top - bottom) if top != bottom else 0.0

    def contains(self, value: float) -> bool:
        return value > 0 and _within(self.fraction(value))


Scale = Linear | Log


def _within(fraction: float) -> bool:
    # a tick computed at the very end of the axis may land a rounding error outside it
    return -1e-9 <= fraction <= 1 + 1e-9
