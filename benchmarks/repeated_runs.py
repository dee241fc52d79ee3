"""Issue 18 item 5's two ratios from several child runs: the median and the spread.

Each child times its run and bare SimPy interleaved with it, in CPU time, in the same
process (`benchmarks/bare_simpy.py`), so a machine that is slow for the whole run is
slow for both. Yet one child cannot judge the 8x goal: on a quiet machine the same
tree read 7.83x to 9.05x in three children (docs/architecture.md, spd27), because the
floor at the run's depth moved 1.67 to 2.75 us an event between them, more than the
run's own CPU (45 to 62 s): the machine's other work slows the two by different factors,
and it changes from one child to the next. So `benchmarks.run_speed` runs the child
`--runs` times, one after another, and judges the median of the children's ratios,
each still a run over the floor timed beside it; every child's ratio and the range are
printed with it, so a reader sees how far one child can be off.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Figures = dict[str, Any]


def whole_run_ratio(figures: Figures) -> float:
    """The whole run's CPU per simulated event over bare SimPy's at the run's depth."""
    per_event = figures["cpu_seconds"] / figures["simulated_events"]
    return float(per_event / figures["bare_cpu_seconds_per_event_at_depth"])


def hub_ratio(figures: Figures) -> float:
    """The hub's CPU per simulated event over bare SimPy's at the run's depth."""
    per_event = figures["hub_cpu_seconds"] / figures["simulated_events"]
    return float(per_event / figures["bare_cpu_seconds_per_event_at_depth"])


@dataclass(frozen=True, slots=True)
class Spread:
    """One figure over several child runs, in the order they ran: their median, lowest
    and highest."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(tuple(values))

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def describe(self, unit: str = "x", digits: int = 2) -> str:
        """`8.10x (one run)`, or `8.10x (median of 3 runs: 8.40x 7.90x 8.10x, range 6%)`:
        each run's figure in the order they ran, and the range (highest over lowest)."""
        median = f"{self.median:.{digits}f}{unit}"
        if len(self.values) == 1:
            return f"{median} (one run)"
        each = " ".join(f"{value:.{digits}f}{unit}" for value in self.values)
        return (
            f"{median} (median of {len(self.values)} runs: {each}, "
            f"range {self.high / self.low - 1:.0%})"
        )


def spread(runs: Sequence[Figures], figure: Callable[[Figures], float]) -> Spread:
    """`figure` of each run, as a median and range."""
    return Spread.of([figure(run) for run in runs])


def median_run(runs: Sequence[Figures]) -> Figures:
    """The run whose whole-run ratio is the median (the lower of the middle two for an
    even count): its other figures (wall time, memory, volumes) are the ones printed."""
    ordered = sorted(runs, key=whole_run_ratio)
    return ordered[(len(ordered) - 1) // 2]
