"""The values an axis is labelled at: round numbers on a linear axis ("nice" ticks:
1, 2, 2.5 or 5 times a power of ten), round durations on a log duration axis (1s, 1m,
1h rather than powers of ten, the finer ones where the range is narrow), and no more
ticks than fit.

Plain functions on floats, shared by both renderers: the comparison's matplotlib
charts read their duration ticks here too (`charts.duration_axis`).
"""

from __future__ import annotations

import math
from typing import NamedTuple


class Tick(NamedTuple):
    value: float
    label: str


#: tick positions (seconds) and labels for latency axes on a log scale
DURATION_TICKS = (
    Tick(0.1, "0.1s"),
    Tick(1, "1s"),
    Tick(10, "10s"),
    Tick(60, "1m"),
    Tick(600, "10m"),
    Tick(3600, "1h"),
    Tick(6 * 3600, "6h"),
    Tick(86400, "1d"),
)
#: more ticks for a narrow range
FINER_TICKS = (
    Tick(30, "30s"),
    Tick(120, "2m"),
    Tick(300, "5m"),
    Tick(1800, "30m"),
    Tick(2 * 3600, "2h"),
)
#: a log duration axis reaches this factor below its lowest value and above its highest
LOG_ROOM = 1.5
#: the multiples of a power of ten a linear axis is ticked at
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def duration_ticks(low: float, high: float, room: float = LOG_ROOM) -> list[Tick]:
    """The round durations to label a log axis with when it shows `low` .. `high`
    seconds with `room` either side (`low / room` .. `high * room`): the coarse ones
    within it, or the finer ones too when fewer than three coarse ones are, so a range
    of a few minutes to an hour or two is not labelled at two points only."""
    bottom, top = low / room, high * room
    ticks = [t for t in DURATION_TICKS if bottom <= t.value <= top]
    if len(ticks) < 3:
        finer = sorted(DURATION_TICKS + FINER_TICKS)
        ticks = [t for t in finer if bottom <= t.value <= top] or [Tick(1, "1s")]
    return ticks


def nice_step(low: float, high: float, intervals: int, integer: bool = False) -> float:
    """The smallest round step (`NICE_STEPS` times a power of ten) that cuts `low` ..
    `high` into at most `intervals` intervals; with `integer`, a whole number."""
    span = high - low
    if span <= 0 or intervals < 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(span / intervals))
    while True:
        for multiple in NICE_STEPS:
            step = multiple * power
            if integer and (step < 1 or step != int(step)):
                continue
            if math.ceil(high / step - 1e-9) - math.floor(low / step + 1e-9) <= intervals:
                return step
        power *= 10


def linear_ticks(low: float, high: float, intervals: int, integer: bool = False) -> list[Tick]:
    """Round values from `low` to `high` (both included when round), at most
    `intervals` + 1 of them, labelled with as many decimals as the step needs and
    thousands separated."""
    step = nice_step(low, high, intervals, integer)
    decimals = _decimals(step)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    ticks = []
    for k in range(first, last + 1):
        value = round(k * step, decimals)
        ticks.append(Tick(value, f"{value:,.{decimals}f}"))
    return ticks


def _decimals(step: float) -> int:
    """The decimals a multiple of `step` needs: 0 for 5 or 100, 1 for 0.5, 2 for 0.25."""
    for decimals in range(7):
        if abs(step * 10**decimals - round(step * 10**decimals)) < 1e-9:
            return decimals
    return 6
