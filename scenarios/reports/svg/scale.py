"""Where a value sits along an axis, as a fraction of the axis from its low end."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Linear:
    """`low` at 0, `high` at 1, evenly in between."""

    low: float
    high: float

    def fraction(self, value: float) -> float:
        span = self.high - self.low
        return (value - self.low) / span if span else 0.0

    def contains(self, value: float) -> bool:
        return _within(self.fraction(value))


@dataclass(frozen=True, slots=True)
class Log:
    """`low` at 0, `high` at 1, evenly in log10 (both above zero). A value of zero or
    below, which a log scale cannot place, sits a decade below `low`, out of sight."""

    low: float
    high: float

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
