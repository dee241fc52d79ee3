"""The arrival rate of a demand stream at any simulated time, and how many arrivals it
expects over a run.

Arrivals are Poisson with a piecewise-constant rate: the baseline per hour, times the
hour-of-day profile, times every peak window the moment falls in. The rate is pure
arithmetic, kept apart from the SimPy process that draws the arrivals
(`simulators.demand.arrivals`), so a scenario's loader can ask, before anything runs,
how many orders a file would place (`expected_arrivals`): the rule that refuses a run
too big for the machine uses the very rate the run would draw from.
"""

from __future__ import annotations

__all__ = ["DemandProfile", "Window"]

Window = tuple[float, float, float]  # start, end, multiplier


class DemandProfile:
    """The arrival rate of a stream at any simulated time. Simulated time 0 is the
    run's start, `day_start_s` after midnight: the hourly profile is read by the time of
    day, so a run that starts at 09:00 begins on the 09:00 rate."""

    def __init__(
        self,
        per_hour: float,
        hourly: tuple[float, ...],
        peaks: list[Window],
        end_s: float,
        day_start_s: float = 0.0,
    ) -> None:
        self.per_s = per_hour / 3600.0
        self.hourly = hourly
        self.peaks = peaks
        self.end_s = end_s
        self.day_start_s = day_start_s
        self._edges = sorted({edge for start, end, _ in peaks for edge in (start, end)})

    def rate(self, t: float) -> float:
        multiplier = self.hourly[int((t + self.day_start_s) // 3600) % 24]
        for start, end, peak in self.peaks:
            if start <= t < end:
                multiplier *= peak
        return self.per_s * multiplier

    def next_change(self, t: float) -> float:
        clock = t + self.day_start_s
        change = min((clock // 3600 + 1) * 3600 - self.day_start_s, self.end_s)
        for edge in self._edges:
            if t < edge < change:
                change = edge
        return change

    def expected_arrivals(self, start_s: float = 0.0) -> float:
        """The mean number of arrivals from `start_s` to the profile's end: the rate
        integrated exactly over its constant pieces."""
        total, t = 0.0, start_s
        while t < self.end_s:
            change = self.next_change(t)
            total += self.rate(t) * (change - t)
            t = change
        return total
