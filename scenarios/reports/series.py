"""What the charts plot, pulled out of a finished run into plain, picklable lists.

A `RunResult` holds the whole simulated estate (a SimPy environment, every backend), far
too much to send from a `compare` worker process back to the parent, and it cannot be
pickled anyway. `RunSeries` is the small part the reports need: the channels that took
orders, every queue's per-minute depth, the fault windows, latency distributions per
channel (as points of the quantile function, so a peak day's hundred thousand orders
stay a few hundred points), sync lag binned over simulated time, oversold units by the
time the order was placed, and the hot SKUs' availability. Latencies are read through
streaming histograms (`scenarios.checking.histogram`), as the checker's percentiles
are, so no list of every sample is held.

The checker's records are read in one place each (`_latency`, `_sync_lag`), so a change
to what they hold reaches every chart through one line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scenarios.checking import latency
from scenarios.checking.histogram import LatencyHistogram
from scenarios.checking.latency import Latency
from scenarios.checking.observations import Walked
from scenarios.checking.order_figures import order_figures
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult
from simulators.sync_lag import BIN_S

#: latency distributions keep at most this many quantile points per channel
QUANTILE_POINTS = 400
#: sync lag is summarised per bin of this many simulated seconds (the sync-lag meter's
#: bins: it keeps them as the day goes)
LAG_BIN_S = BIN_S
#: gauges sampled by the runtime that the queue charts draw, besides the depth of each
#: of the hub's lanes (`SYSTEM_queue_depth`)
QUEUE_GAUGES = (
    "erp_backlog",
    "erp_awaiting_import",
    "wms_pick_backlog",
    "pos_backlog",
    "dead_letter_depth",
    "parked_events",
    "feed_pending_changes",
)


def is_queue_gauge(name: str) -> bool:
    return name in QUEUE_GAUGES or name.endswith("_queue_depth")


@dataclass(slots=True)
class Quantiles:
    """A latency distribution as points of its quantile function: `value_s[k]` is the
    latency at percentile rank `pct[k]` (Hazen's: the i-th of n sorted values sits at
    100 (i + 0.5) / n), ascending, the smallest and the largest value included."""

    pct: list[float] = field(default_factory=list)
    value_s: list[float] = field(default_factory=list)
    #: how many values the distribution was made of
    count: int = 0


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
    #: the channels that accepted orders in the run, sorted
    channels: list[str]
    #: sample times (once a simulated minute) and every queue's depth sampled then
    t: list[float]
    gauges: dict[str, list[float]]
    #: (start, end, label) of every fault window
    faults: list[tuple[float, float, str]]
    #: channel -> latency distribution (every record if there are few)
    order_to_erp_s: dict[str, Quantiles]
    order_to_ship_s: dict[str, Quantiles]
    #: channel (and "all") -> binned sync lag
    sync_lag: dict[str, LagBins]
    #: channel (and "all") -> oversold units of orders placed up to each sample time
    oversold_cumulative: dict[str, list[float]]
    #: hot SKU -> (hub ATS, web storefront's view) at each sample time
    hot_skus: dict[str, tuple[list[float], list[float]]]
    #: SLA thresholds the charts draw as reference lines (None: not set)
    thresholds: dict[str, float | None]


def quantiles(histogram: LatencyHistogram, points: int = QUANTILE_POINTS) -> Quantiles:
    """Every value when there are at most `points`; otherwise `points` of them, half at
    evenly spaced ranks and half evenly spaced in the tail's own scale (-log10 of the
    share above: p90, p99 and p99.9 one step apart), so the tail a latency chart
    stretches out is drawn from as many points as the body. Values are the histogram's
    (`scenarios.checking.histogram`: within 1/1024 above the exact ones)."""
    n = histogram.count
    if n <= points:
        ranks: Iterable[int] = range(n)
    else:
        half = points // 2
        last = n - 1
        even = {round(k * last / (half - 1)) for k in range(half)}
        top = math.log10(2 * n)  # the largest value's place on the tail's scale
        tail = {
            min(last, max(0, round(n * (1 - 10 ** (-top * k / (half - 1))) - 0.5)))
            for k in range(half)
        }
        ranks = sorted(even | tail)
    chosen = list(ranks)
    return Quantiles(
        pct=[100.0 * (i + 0.5) / n for i in chosen],
        value_s=histogram.values_at([i + 1 for i in chosen]),
        count=n,
    )


def _per_channel(records: Iterable[Latency]) -> dict[str, Quantiles]:
    grouped: dict[str, LatencyHistogram] = {}
    for record in records:
        mine = grouped.get(record.group)
        if mine is None:
            mine = grouped[record.group] = LatencyHistogram()
        mine.record(record.seconds)
    return {channel: quantiles(values) for channel, values in sorted(grouped.items())}


@dataclass(slots=True)
class LagBinner:
    """Lags recorded one at a time into a histogram per bin of simulated time."""

    end_s: float
    bin_s: float = LAG_BIN_S
    bins: dict[int, LatencyHistogram] = field(default_factory=dict)

    def record(self, at: float, lag: float) -> None:
        index = int(at // self.bin_s)
        mine = self.bins.get(index)
        if mine is None:
            mine = self.bins[index] = LatencyHistogram()
        mine.record(lag)

    def merge(self, other: LagBinner) -> None:
        """Add another binner's lags, bin by bin (how "all" is made of the channels)."""
        for index, histogram in other.bins.items():
            self.bins.setdefault(index, LatencyHistogram()).merge(histogram)

    def summary(self) -> LagBins:
        """p50, p95 (nearest rank, to the histogram's precision) and the exact max of
        the lags observed in each bin; empty bins are left out rather than drawn as
        zero lag."""
        bins = LagBins()
        for index in sorted(self.bins):
            if index * self.bin_s > self.end_s:
                break
            histogram = self.bins[index]
            p50, p95 = histogram.values_at([histogram.rank_of(50), histogram.rank_of(95)])
            bins.start_s.append(index * self.bin_s)
            bins.p50_s.append(p50)
            bins.p95_s.append(p95)
            bins.max_s.append(histogram.max_s)
            bins.count.append(histogram.count)
        return bins


def bin_lags(
    times: Sequence[float], lags: Sequence[float], end_s: float, bin_s: float = LAG_BIN_S
) -> LagBins:
    """`LagBinner` over lags observed at `times`."""
    binner = LagBinner(end_s, bin_s)
    for at, lag in zip(times, lags, strict=True):
        binner.record(at, lag)
    return binner.summary()


def _oversold_cumulative(
    events: dict[str, list[tuple[float, int]]], t: Sequence[float]
) -> dict[str, list[float]]:
    cumulative: dict[str, list[float]] = {}
    for channel, unsorted in sorted(events.items()):
        hits = sorted(unsorted)  # a copy: the events may be a `Walked`'s, read again
        total, i, line = 0, 0, []
        for at in t:
            while i < len(hits) and hits[i][0] <= at:
                total += hits[i][1]
                i += 1
            line.append(float(total))
        cumulative[channel] = line
    return cumulative


def _latency(
    result: RunResult, truth: Truth, walked: Walked | None
) -> tuple[dict[str, Quantiles], ...]:
    """Placed -> ERP sales order and placed -> shipped, per channel: the checker's own
    records (orders never finished at their censored wait), so the charts plot what the
    percentiles are computed from; from the verdict's own histograms when they were
    tallied already (`observations.walk`: the same items, recorded the same way)."""
    if walked is not None:
        return tuple(
            {channel: quantiles(values) for channel, values in sorted(tally.histograms.items())}
            for tally in (walked.order_to_erp, walked.order_to_ship)
        )
    return (
        _per_channel(latency.order_to_erp(result, truth)),
        _per_channel(latency.order_to_ship(result, truth)),
    )


def _sync_lag(result: RunResult, end_s: float) -> dict[str, LagBins]:
    """Each channel's sync lag (and every channel's, as "all"), binned by when the
    channel's view caught up with the movement (or the end of the run, if it never did)."""
    names = [c.name for c in (result.estate.storefront, *result.estate.marketplaces)]
    bins = latency.sync_lag_bins(result)
    return {name: LagBinner(end_s, bins=bins[name]).summary() for name in ("all", *names)}


def extract(
    result: RunResult, truth: Truth, scenario_ref: str = "", walked: Walked | None = None
) -> RunSeries:
    """The series of a finished run judged from `truth`; `walked`: its latencies
    tallied already for the verdict (`observations.walk`), read instead of walked again."""
    scenario = result.scenario
    samples = result.samples
    end = scenario.duration_s + scenario.drain_s
    order_to_erp, order_to_ship = _latency(result, truth, walked)
    # (placed at, units short) of each order short, by channel: the orders' channels
    # are read from them too (one walk over the orders, none when walked already)
    short = order_figures(truth, walked.orders if walked is not None else None).short_events
    # the sampler adds the hottest SKUs in rank order; keep it
    hot = [name[len("ats:") :] for name in samples.series if name.startswith("ats:")]
    sla = scenario.sla
    return RunSeries(
        scenario=scenario_ref or scenario.name,
        seed=scenario.seed,
        duration_s=scenario.duration_s,
        end_s=end,
        channels=sorted(channel for channel in short if channel != "all"),
        t=list(samples.t),
        gauges={
            name: list(values) for name, values in samples.series.items() if is_queue_gauge(name)
        },
        faults=list(result.fault_log),
        order_to_erp_s=order_to_erp,
        order_to_ship_s=order_to_ship,
        sync_lag=_sync_lag(result, end),
        oversold_cumulative=_oversold_cumulative(short, samples.t),
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
