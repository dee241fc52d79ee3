"""The latencies the exported metrics are built from: one adapter over the checker's
records (`scenarios.checking.latency`), so that what Prometheus shows and what
report.json judges are the same items.

Each measure is a list of (label, seconds) per item that finished (an order booked by
the ERP, an order shipped, a stock movement reflected in a channel's feed, a return
refunded), and a list of (label, seconds so far) per item that started and has not
finished: the checker's censored items, counted at the end of the run, or at the
moment of reading while a day runs. At the end of a run they are the orders a design
never booked, which must count against it (issue 13).

Why one module: the exporter reads the checker's records here and nowhere else, so a
change to how the checker measures reaches the metrics by this module alone.

A finished run's measures the verdict reads too (placed -> ERP booking, placed ->
shipped, return -> refund) can come walked once instead (`walk`, as `run --out` does):
a `Tally` per measure holds, without the items, what the verdict, the charts and the
exporter each need of them, so the three read one walk.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from scenarios.checking import fraud, latency
from scenarios.checking.histogram import LatencyHistogram
from scenarios.checking.order_figures import OrderFigures
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult
from simulators.exact_sum import ExactSum

#: label value -> seconds
Records = list[tuple[str, float]]

#: histogram buckets for every latency (seconds): sub-second to a day (the exported
#: histograms' `le`, `metric_families`)
LATENCY_BUCKETS_S = (
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
    60.0,
    120.0,
    300.0,
    600.0,
    900.0,
    1800.0,
    3600.0,
    7200.0,
    14400.0,
    28800.0,
    86400.0,
)


@dataclass(frozen=True, slots=True)
class Observations:
    """One measure's items: finished ones with their latency, and unfinished ones with
    their age (a lower bound on a latency they have not reached yet)."""

    finished: Records
    unfinished: Records = field(default_factory=list)
    #: label -> finished items already counted, as cumulative (le, count) buckets over
    #: `LATENCY_BUCKETS_S` and their sum, for a measure that keeps no item one by one
    #: (the sync lag: `latency.sync_lag_buckets`)
    counted: dict[str, tuple[list[tuple[str, float]], float]] = field(default_factory=dict)


@dataclass(slots=True)
class Buckets:
    """One label's finished items as an exported histogram needs them, added one at a
    time: how many fell at or under each bound of LATENCY_BUCKETS_S (and above the
    last), and their sum kept exactly (`ExactSum`), so the total is the float
    `math.fsum` of every item gives, whatever their order, without holding the items."""

    counts: list[int] = field(default_factory=lambda: [0] * (len(LATENCY_BUCKETS_S) + 1))
    total: ExactSum = field(default_factory=ExactSum)

    def add(self, seconds: float) -> None:
        self.counts[bisect_left(LATENCY_BUCKETS_S, seconds)] += 1
        self.total.add(seconds)

    def cumulative(self) -> tuple[list[tuple[str, float]], float]:
        """Cumulative `(le, count)` buckets, +Inf last, and the sum: what
        `latency_families.histogram_buckets` makes of the items themselves."""
        buckets, seen = [], 0
        for bound, count in zip(LATENCY_BUCKETS_S, self.counts, strict=False):
            seen += count
            buckets.append((repr(bound), float(seen)))
        buckets.append(("+Inf", float(seen + self.counts[-1])))
        return buckets, self.total.value()


@dataclass(slots=True)
class Tally:
    """A latency measure's items, walked once and kept as each of its readers needs
    them, none of the items themselves: per group, the histogram the verdict summarizes
    (`latency.summaries`) and the charts draw quantiles from (the same items, censored
    ones at their wait so far); and, when tallied for the exported metrics too, per
    group the finished items' buckets and the unfinished ones' number and oldest age."""

    histograms: dict[str, LatencyHistogram] = field(default_factory=dict)
    finished: dict[str, Buckets] = field(default_factory=dict)
    #: group -> (how many, the oldest's age)
    unfinished: dict[str, tuple[int, float]] = field(default_factory=dict)

    def summaries(self) -> dict[str, latency.Summary]:
        return latency.summaries(self.histograms)

    def add(self, item: latency.Latency, exported: bool) -> None:
        """Count one item; `exported`: as `tally`."""
        group, seconds = item.group, item.seconds
        histogram = self.histograms.get(group)
        if histogram is None:
            histogram = self.histograms[group] = LatencyHistogram()
        histogram.record(seconds, item.censored)
        if not exported:
            return
        if item.censored:
            count, oldest = self.unfinished.get(group, (0, seconds))
            self.unfinished[group] = (count + 1, max(oldest, seconds))
        else:
            buckets = self.finished.get(group)
            if buckets is None:
                buckets = self.finished[group] = Buckets()
            buckets.add(seconds)


def tally(items: Iterable[latency.Latency], exported: bool) -> Tally:
    """`items` walked once into a `Tally`; `exported`: the buckets and unfinished
    figures too (the verdict alone needs only the histograms)."""
    walked = Tally()
    for item in items:
        walked.add(item, exported)
    return walked


@dataclass(frozen=True, slots=True)
class Walked:
    """The latencies of a finished run that the verdict, the charts' series and
    metrics.prom all read, walked once for the three (`walk`): placed -> ERP booking
    alone costs about 30 ms a walk on steady-day, reading every booked sales order back
    from the run's spill for its booking time. The orders' counts metrics.prom and the
    charts read (`OrderFigures`) are tallied in the same walk."""

    order_to_erp: Tally
    order_to_ship: Tally
    return_to_refund: Tally
    #: the orders' counts metrics.prom and the charts read, from the same walk; None
    #: where they are not exported (the verdict alone reads none of them)
    orders: OrderFigures | None


def walk(result: RunResult, truth: Truth, exported: bool = True) -> Walked:
    """`Walked` of the finished run judged from `truth`; `exported`: as `tally`. The
    two order measures and the orders' counts are tallied in one walk over the orders."""
    to_erp, to_ship = Tally(), Tally()
    orders = OrderFigures.empty() if exported else None
    seen = orders.add if orders is not None else None
    for erp, ship in latency.order_latencies(result, truth, seen=seen):
        if erp is not None:
            to_erp.add(erp, exported)
        if ship is not None:
            to_ship.add(ship, exported)
    returns = tally(latency.return_to_refund(result, truth), exported)
    return Walked(to_erp, to_ship, returns, orders)


def latency_observations(
    result: RunResult, truth: Truth, walked: Walked | None = None
) -> dict[str, Observations | Tally]:
    """Every latency measure the exporter shows, keyed by measure: `order_to_erp` and
    `order_to_ship` by channel, `sync_lag` by channel, `return_to_refund` by route
    (`gateway`, a refund carried to the card; `till`, cash at a store, 0 s), and
    `fraud_review` by channel (empty without a fraud screen). `walked`: the run's
    latencies tallied already (`walk(..., exported=True)`), taken instead of walking
    them again."""
    observed: dict[str, Observations | Tally] = {
        "order_to_erp": _split(latency.order_to_erp(result, truth))
        if walked is None
        else walked.order_to_erp,
        "order_to_ship": _split(latency.order_to_ship(result, truth))
        if walked is None
        else walked.order_to_ship,
        "sync_lag": Observations(
            [],
            [(item.group, item.seconds) for item in latency.sync_lag_pending(result)],
            latency.sync_lag_buckets(result, LATENCY_BUCKETS_S),
        ),
        "return_to_refund": _split(latency.return_to_refund(result, truth))
        if walked is None
        else walked.return_to_refund,
        "fraud_review": _split(_fraud_review(result, truth)),
    }
    return observed


def _fraud_review(result: RunResult, truth: Truth) -> list[latency.Latency]:
    screen = result.estate.fraud
    if screen is None:
        return []
    return fraud.review_latencies(result, screen, truth.orders.channel_of)


def _split(items: Iterable[latency.Latency]) -> Observations:
    finished: Records = []
    unfinished: Records = []
    for item in items:
        (unfinished if item.censored else finished).append((item.group, item.seconds))
    return Observations(finished, unfinished)
