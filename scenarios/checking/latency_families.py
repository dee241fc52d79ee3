"""The latency families of the business metrics (`business_metrics.collect`): each
measure of `observations.latency_observations` as a histogram by label, and gauges of
its unfinished items, from the items themselves (`Observations`) or from a walk that
tallied them already (`Tally`, the verdict's, which `run --out` shares)."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence

from scenarios.checking.metric_families import LATENCY_BUCKETS_S, MEASURES, Measure
from scenarios.checking.observations import Buckets, Observations, Tally
from scenarios.checking.openmetrics import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)


def _add(families: dict[str, Metric], name: str, labels: Sequence[str], value: float) -> None:
    family = families[name]
    assert isinstance(family, CounterMetricFamily | GaugeMetricFamily), name
    family.add_metric(list(labels), float(value))


def histogram_buckets(values: Iterable[float]) -> tuple[list[tuple[str, float]], float]:
    """Cumulative `(le, count)` buckets over LATENCY_BUCKETS_S and +Inf, and the sum."""
    ordered = sorted(values)
    buckets = [
        (repr(bound), float(bisect.bisect_right(ordered, bound))) for bound in LATENCY_BUCKETS_S
    ]
    buckets.append(("+Inf", float(len(ordered))))
    return buckets, math.fsum(ordered)


def _by_label(records: Iterable[tuple[str, float]], known: Iterable[str]) -> dict[str, list[float]]:
    grouped: dict[str, list[float]] = {label: [] for label in known}
    for label, seconds in records:
        grouped.setdefault(label, []).append(seconds)
    return dict(sorted(grouped.items()))


def fill_latencies(families: dict[str, Metric], observed: dict[str, Observations | Tally]) -> None:
    """Each latency measure's histogram by label, and its unfinished items' gauges."""
    for measure in MEASURES:
        items = observed[measure.key]
        histogram = families[measure.name]
        assert isinstance(histogram, HistogramMetricFamily)
        if isinstance(items, Tally):
            _tallied(families, measure, histogram, items)
            continue
        finished = _by_label(items.finished, (*measure.known, *items.counted))
        for label, values in finished.items():
            buckets, total = items.counted.get(label) or histogram_buckets(values)
            histogram.add_metric([label], buckets, total)
        if not measure.unfinished:
            continue
        stem = measure.name.removesuffix("_seconds")
        for label, ages in _by_label(items.unfinished, finished).items():
            _add(families, f"{stem}_unfinished", [label], len(ages))
            _add(families, f"{stem}_unfinished_oldest_seconds", [label], max(ages, default=0.0))


def _tallied(
    families: dict[str, Metric], measure: Measure, histogram: HistogramMetricFamily, items: Tally
) -> None:
    """`fill_latencies` of a measure tallied already (`observations.Tally`): the same
    samples, labels in the same order (the known ones at zero)."""
    labels = sorted({*measure.known, *items.finished})
    for label in labels:
        buckets, total = items.finished.get(label, Buckets()).cumulative()
        histogram.add_metric([label], buckets, total)
    if not measure.unfinished:
        return
    stem = measure.name.removesuffix("_seconds")
    for label in sorted({*labels, *items.unfinished}):
        count, oldest = items.unfinished.get(label, (0, 0.0))
        _add(families, f"{stem}_unfinished", [label], count)
        _add(families, f"{stem}_unfinished_oldest_seconds", [label], oldest)
