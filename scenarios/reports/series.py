"""What the charts plot, pulled out of a finished run into plain, picklable lists.

A `RunResult` holds the whole simulated estate (a SimPy environment, every backend), far
too much to send from a `compare` worker process back to the parent, and it cannot be
pickled anyway. `RunSeries` is the small part the reports need: the per-minute gauges,
the fault windows, latency distributions per channel (as quantiles, so a peak day's
hundred thousand orders stay a few hundred points), sync lag binned over simulated time,
oversold units by the time the order was placed, and the hot SKUs' availability.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scenarios.checking import latency
from scenarios.checking.latency import Latency
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult

#: latency distributions keep at most this many quantile points per channel
QUANTILE_POINTS = 400
#: sync lag is summarised per bin of this many simulated seconds
LAG_BIN_S = 600.0
#: gauges sampled by the runtime that the queue chart draws
QUEUE_GAUGES = ("erp_queue_depth", "dead_letter_depth", "erp_backlog", "parked_events")


@dataclass(slots=True)
class LagBins:
    """Sync lag of the feeds a channel received, per bin of simulated time."""

    start_s: list[float] = field(default_factory=list)
    p50_s: list[float] = field(default_factory=list)
    p95_s: list[float] = field(default_factory=list)
    max_s: list[float] = field(default_factory=list)
    count: list[int] = field(default_factory=list)


@dataclass(slots=True)
class RunSeries:
    scenario: str
    seed: int
    duration_s: float
    end_s: float
    #: sample times (once a simulated minute) and the gauges sampled then
    t: list[float]
    gauges: dict[str, list[float]]
    #: (start, end, label) of every fault window
    faults: list[tuple[float, float, str]]
    #: channel -> sorted latency quantiles in seconds (every record if there are few)
    order_to_erp_s: dict[str, list[float]]
    order_to_ship_s: dict[str, list[float]]
    #: channel (and "all") -> binned sync lag
    sync_lag: dict[str, LagBins]
    #: channel (and "all") -> oversold units of orders placed up to each sample time
    oversold_cumulative: dict[str, list[float]]
    #: hot SKU -> (hub ATS, web storefront's view) at each sample time
    hot_skus: dict[str, tuple[list[float], list[float]]]
    #: SLA thresholds the charts draw as reference lines (None: not set)
    thresholds: dict[str, float | None]


def quantiles(values: Iterable[float], points: int = QUANTILE_POINTS) -> list[float]:
    """Sorted `values`, or `points` of them at evenly spaced ranks (first and last
    included) when there are more, so an ECDF drawn from them keeps its shape."""
    ordered = sorted(values)
    if len(ordered) <= points:
        return ordered
    last = len(ordered) - 1
    return [ordered[round(i * last / (points - 1))] for i in range(points)]


def _per_channel(records: Iterable[Latency]) -> dict[str, list[float]]:
    grouped: dict[str, list[float]] = {}
    for record in records:
        grouped.setdefault(record.group, []).append(record.seconds)
    return {channel: quantiles(values) for channel, values in sorted(grouped.items())}


def bin_lags(
    times: Sequence[float], lags: Sequence[float], end_s: float, bin_s: float = LAG_BIN_S
) -> LagBins:
    """p50, p95 and max of the lags observed in each bin (nearest rank); empty bins are
    left out rather than drawn as zero lag."""
    buckets: dict[int, list[float]] = {}
    for at, lag in zip(times, lags, strict=True):
        buckets.setdefault(int(at // bin_s), []).append(lag)
    bins = LagBins()
    for index in sorted(buckets):
        if index * bin_s > end_s:
            break
        values = sorted(buckets[index])
        bins.start_s.append(index * bin_s)
        bins.p50_s.append(latency.percentile(values, 50))
        bins.p95_s.append(latency.percentile(values, 95))
        bins.max_s.append(values[-1])
        bins.count.append(len(values))
    return bins


def _oversold_cumulative(truth: Truth, t: Sequence[float]) -> dict[str, list[float]]:
    events: dict[str, list[tuple[float, int]]] = {"all": []}
    for order_truth in truth.orders.values():
        order = order_truth.order
        events.setdefault(order.channel, [])
        if order_truth.short_units:
            event = (order.placed_at, order_truth.short_units)
            events[order.channel].append(event)
            events["all"].append(event)
    cumulative: dict[str, list[float]] = {}
    for channel, hits in sorted(events.items()):
        hits.sort()
        total, i, line = 0, 0, []
        for at in t:
            while i < len(hits) and hits[i][0] <= at:
                total += hits[i][1]
                i += 1
            line.append(float(total))
        cumulative[channel] = line
    return cumulative


def extract(result: RunResult, truth: Truth, scenario_ref: str = "") -> RunSeries:
    scenario = result.scenario
    samples = result.samples
    end = scenario.duration_s + scenario.drain_s
    lags = latency.sync_lag(result)
    sync_lag = {"all": bin_lags([r.at for r in lags], [r.seconds for r in lags], end)}
    for name in sorted({r.group for r in lags}):
        mine = [r for r in lags if r.group == name]
        sync_lag[name] = bin_lags([r.at for r in mine], [r.seconds for r in mine], end)
    # the sampler adds the hottest SKUs in rank order; keep it
    hot = [name[len("ats:") :] for name in samples.series if name.startswith("ats:")]
    sla = scenario.sla
    return RunSeries(
        scenario=scenario_ref or scenario.name,
        seed=scenario.seed,
        duration_s=scenario.duration_s,
        end_s=end,
        t=list(samples.t),
        gauges={
            name: list(samples.series[name]) for name in QUEUE_GAUGES if name in samples.series
        },
        faults=list(result.fault_log),
        order_to_erp_s=_per_channel(latency.order_to_erp(result, truth)),
        order_to_ship_s=_per_channel(latency.order_to_ship(result, truth)),
        sync_lag=sync_lag,
        oversold_cumulative=_oversold_cumulative(truth, samples.t),
        hot_skus={
            sku: (list(samples.series[f"ats:{sku}"]), list(samples.series.get(f"view:{sku}", [])))
            for sku in hot
        },
        thresholds={
            "order_to_erp_p95_s": sla.order_to_erp_p95_s,
            "order_to_ship_p95_s": sla.order_to_ship_p95_s,
            "sync_lag_p95_s": sla.sync_lag_p95_s,
            "erp_queue_depth_max": sla.erp_queue_depth_max,
        },
    )
