"""One business metric family as declared: its name, type, meaning, labels and unit.

A module of its own so the declarations (scenarios/checking/metric_families.py) stay a
list, the families of one concern can be declared beside it (as receivable_families.py
is), and the one thing every family does, become an empty Prometheus family to fill, is
written once.
"""

from __future__ import annotations

from dataclasses import dataclass

from scenarios.checking.openmetrics import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)


@dataclass(frozen=True, slots=True)
class Family:
    """One metric family: its name as scraped (counters with `_total`), its type, what
    it means, its labels and its unit (OpenMetrics' UNIT: a base unit, or none)."""

    name: str
    kind: str  # "counter" | "gauge" | "histogram"
    help: str
    labels: tuple[str, ...] = ()
    unit: str = ""

    def series(self) -> tuple[str, ...]:
        """The names its samples have in a scrape (what PromQL selects)."""
        if self.kind == "histogram":
            return tuple(f"{self.name}_{end}" for end in ("bucket", "count", "sum"))
        return (self.name,)

    def empty(self) -> Metric:
        labels = list(self.labels)
        if self.kind == "counter":
            return CounterMetricFamily(self.name, self.help, labels=labels, unit=self.unit)
        if self.kind == "gauge":
            return GaugeMetricFamily(self.name, self.help, labels=labels, unit=self.unit)
        return HistogramMetricFamily(self.name, self.help, labels=labels, unit=self.unit)
