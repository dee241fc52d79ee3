"""Latencies from the simulated systems' own records, every item the run started included.

An item still waiting when the run ends (an order the ERP never booked, a return never
refunded, a stock movement no channel ever saw) is not left out: it is counted as
*censored*, with the time it had waited by the end of the run. Leaving it out would let
a design that drops work look faster than one that queues it (a fail-fast hub that
never books 107 orders scored 1.46 s against the buffered design's 20 minutes). A
percentile whose rank rests on a censored item is only a lower bound, and says so.

Every latency is measured from the source's own clock to the receiving system's own
clock, never from the hub's timestamps, for the same reason the checker does not trust
the hub. Every record counts (no sampling), into a streaming histogram
(`scenarios.checking.histogram`): a percentile is the nearest-rank one to HdrHistogram's
3 significant digits, never below the exact value and above it by less than 1/1024
(0.098 %); count, censored, max and mean are exact. The producers below yield their
records one at a time; the sync lag, millions of records over a long day, is counted
as the day goes by the simulators' meter (`simulators/sync_lag.py`), and read here from
its tallies, so no run holds them one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from scenarios.checking.histogram import LatencyHistogram
from scenarios.checking.order_truths import DELIVERED_FULFILMENTS, Fulfilment, OrderTruth
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult
from simulators.sync_lag import BIN_S, PER_S

Summary = dict[str, float | int | list[str] | None]

#: the percentiles every latency summary reports, by name
PERCENTILES: dict[str, float] = {"p50": 50.0, "p95": 95.0, "p99": 99.0}


@dataclass(frozen=True, slots=True)
class Latency:
    """One item's wait: finished at `at` after `seconds`, or, when `censored`, still
    unfinished at `at` (the end of the run), having waited at least `seconds`."""

    group: str
    seconds: float
    at: float
    censored: bool = False


def summary_of(histogram: LatencyHistogram) -> Summary:
    """count, censored, p50/p95/p99/max/mean, and `at_least`: the statistics that are lower
    bounds because a censored item could be anywhere at or above its recorded wait
    (every true value is at least its recorded one, so each order statistic is too;
    it is exact only when no censored item sits at or below it). Percentiles to the
    histogram's precision; max and mean exact."""
    if not histogram.count:
        return {
            "count": 0,
            "censored": 0,
            "p50": None,
            "p95": None,
            "p99": None,
            "max": None,
            "mean": None,
        }
    summary: Summary = {"count": histogram.count, "censored": histogram.censored}
    at_least: list[str] = []
    ranks = [histogram.rank_of(q) for q in PERCENTILES.values()]
    for name, value in zip(PERCENTILES, histogram.values_at(ranks), strict=True):
        summary[name] = round(value, 3)
        if histogram.rests_on_censored(PERCENTILES[name]):
            at_least.append(name)
    summary["max"] = round(histogram.max_s, 3)
    summary["mean"] = round(histogram.mean_s, 3)
    if histogram.censored:
        at_least += ["max", "mean"]
    summary["at_least"] = at_least
    return summary


def summarize(latencies: Iterable[Latency]) -> Summary:
    """The summary of every item (`summary_of`), recorded one at a time."""
    histogram = LatencyHistogram()
    for item in latencies:
        histogram.record(item.seconds, item.censored)
    return summary_of(histogram)


def by_group(latencies: Iterable[Latency]) -> dict[str, Summary]:
    """One summary over all items ("all") and one per group, groups in name order."""
    grouped: dict[str, LatencyHistogram] = {}
    for item in latencies:
        mine = grouped.get(item.group)
        if mine is None:
            mine = grouped[item.group] = LatencyHistogram()
        mine.record(item.seconds, item.censored)
    return summaries(grouped)


def summaries(grouped: Mapping[str, LatencyHistogram]) -> dict[str, Summary]:
    """One summary over every group's histogram ("all") and one per group, in name
    order (the histograms are read, not changed: `observations.Tally` keeps them for
    the charts)."""
    every = LatencyHistogram()
    for name in sorted(grouped):  # recorded once, added up: counts add exactly
        every.merge(grouped[name])
    return {"all": summary_of(every), **{k: summary_of(v) for k, v in sorted(grouped.items())}}


def run_end(result: RunResult) -> float:
    """The moment censored items are counted at: the end of a finished run, or now for
    a live day still going on."""
    return result.sealed.ended_at if result.sealed is not None else result.estate.now


def order_to_erp(result: RunResult, truth: Truth) -> Iterator[Latency]:
    """Placing to the ERP booking the order's first sales order, per accepted order the
    ERP must book: every order the estate fulfilled or is fulfilling. One that was
    never fulfilled (the customer cancelled, the card was declined, no stock) needs no
    booking. An order shipped but never booked is censored."""
    for to_erp, _ in order_latencies(result, truth, ship=False):
        if to_erp is not None:
            yield to_erp


def order_to_ship(result: RunResult, truth: Truth) -> Iterator[Latency]:
    """Placing to the WMS shipping it, per order released to a DC; one released and
    not shipped by the end is censored."""
    for _, to_ship in order_latencies(result, truth, erp=False):
        if to_ship is not None:
            yield to_ship


def order_latencies(
    result: RunResult,
    truth: Truth,
    *,
    erp: bool = True,
    ship: bool = True,
    seen: Callable[[OrderTruth], object] | None = None,
) -> Iterator[tuple[Latency | None, Latency | None]]:
    """Each order's (`order_to_erp`, `order_to_ship`) latency, None where it has none
    (or the measure is not asked for): one walk over the orders for both, which are
    read from the channels as a stream (truth.py). `seen` is handed each order as the
    walk reads it, for what else is counted in the same walk (`observations.walk`)."""
    documents = result.estate.erp.documents
    end = run_end(result)
    releases = result.estate.wms.legs
    for ref, t in truth.orders.items():
        if seen is not None:
            seen(t)
        placed, channel, fulfilment = t.order.placed_at, t.order.channel, t.fulfilment
        to_erp = to_ship = None
        if erp:
            numbers = truth.erp_sales_orders.get(ref)
            if numbers:
                booked = min(documents[no].booked_at for no in numbers)
                to_erp = Latency(channel, booked - placed, booked)
            elif fulfilment in DELIVERED_FULFILMENTS or fulfilment == Fulfilment.IN_FLIGHT:
                to_erp = Latency(channel, end - placed, end, censored=True)
        if ship:
            if fulfilment == Fulfilment.SHIPPED:
                to_ship = Latency(channel, t.fulfilled_at - placed, t.fulfilled_at)
            elif fulfilment == Fulfilment.IN_FLIGHT and ref in releases:
                to_ship = Latency(channel, end - placed, end, censored=True)
        yield to_erp, to_ship


def return_to_refund(result: RunResult, truth: Truth) -> Iterator[Latency]:
    """Goods received (by the WMS's or the till's own clock) to the gateway's refund.
    A till refunds cash on the spot, by construction in 0 s: those are the "till" group,
    kept out of the SLA, which judges the refunds the integration carries to the card.
    Goods received and never refunded are censored."""
    end = run_end(result)
    for return_id, received in truth.returns_received_at.items():
        if return_id in truth.till_refunds:
            yield Latency("till", 0.0, received)
            continue
        moves = truth.refunds.get(return_id)
        if moves:
            yield Latency("gateway", moves[0][1] - received, moves[0][1])
        else:
            yield Latency("gateway", end - received, end, censored=True)


def sync_lag_pending(result: RunResult) -> Iterator[Latency]:
    """Each stock movement a channel that sees its position has not reflected by the
    end of the run (or now, for a live day): censored at its wait so far."""
    end = run_end(result)
    for lag in result.estate.sync_lag.pending(end):
        yield Latency(lag.channel, lag.seconds, end, censored=True)


def sync_lag_histograms(result: RunResult) -> dict[str, LatencyHistogram]:
    """From each stock movement at its source (the WMS's or the till's own clock) to
    the moment each channel's view first included it, whatever carried it: an event
    feed, a batch, or a reconciliation snapshot. The sync-lag meter counted each lag
    as the day went (`simulators/sync_lag.py`: the storefront sees DC and store
    positions, a marketplace DC positions only); a movement no feed has brought is
    censored at the end. One histogram per channel with any movement to measure, in
    name order; the sum exact (order-free), like max and the counts."""
    meter = result.estate.sync_lag
    censored: dict[str, list[float]] = {}
    for item in sync_lag_pending(result):
        censored.setdefault(item.group, []).append(item.seconds)
    histograms: dict[str, LatencyHistogram] = {}
    for name in sorted(meter.channels):
        tally, waits = meter.tally(name), censored.get(name, [])
        if not tally.count and not waits:
            continue
        histogram = LatencyHistogram()
        histogram.add_units(tally.units())
        for seconds in waits:
            histogram.record(seconds, censored=True)
        histogram.max_s = max(histogram.max_s, tally.max_s)
        histogram.sum_s = tally.total.value(waits)
        histograms[name] = histogram
    return histograms


def sync_lag(result: RunResult) -> dict[str, Summary]:
    """The sync lag's summaries (`sync_lag_histograms`), as `by_group` gives them: one
    over every channel ("all") and one per channel."""
    return summaries(sync_lag_histograms(result))


def sync_lag_buckets(
    result: RunResult, bounds: Sequence[float]
) -> dict[str, tuple[list[tuple[str, float]], float]]:
    """Per channel with any finished lag: the cumulative (le, count) buckets of its
    finished lags over `bounds` and +Inf, and their exact sum, as metrics.prom's
    histogram shows them. A bound must be a whole number of milliseconds, so a lag is
    compared with it exactly (the meter keeps whether a lag lies above its ms)."""
    meter = result.estate.sync_lag
    limits = []
    for bound in bounds:
        units = round(bound * PER_S)
        if units / PER_S != bound:
            raise ValueError(f"a sync-lag bucket bound of {bound!r} s is not whole ms")
        limits.append(units << 1)  # the tally keys at or below the bound
    out: dict[str, tuple[list[tuple[str, float]], float]] = {}
    for name in sorted(meter.channels):
        tally = meter.tally(name)
        if not tally.count:
            continue
        buckets = [
            (repr(bound), float(sum(n for key, n in tally.counts.items() if key <= limit)))
            for bound, limit in zip(bounds, limits, strict=True)
        ]
        buckets.append(("+Inf", float(tally.count)))
        out[name] = (buckets, tally.total.value())
    return out


def sync_lag_bins(result: RunResult) -> dict[str, dict[int, LatencyHistogram]]:
    """The sync lag binned by when each channel's view caught up with the movement (or
    the end of the run, if it never did): bin index (start // `BIN_S`) -> a histogram,
    for "all" channels and each. A closed bin's histogram holds only what the charts
    read (count, max, and its p50 and p95 ranks in their ranges: the meter's
    `LagBin.closed`)."""
    meter = result.estate.sync_lag
    end = run_end(result)
    at_end = int(end // BIN_S)
    pending = list(sync_lag_pending(result))
    out: dict[str, dict[int, LatencyHistogram]] = {}
    for name in ("all", *meter.channels):
        bins: dict[int, LatencyHistogram] = {}
        for one in meter.bins(None if name == "all" else name):
            histogram = bins[one.index] = LatencyHistogram()
            histogram.add_units(one.units)
            histogram.max_s = one.max_s
        for item in pending:
            if name in ("all", item.group):
                bins.setdefault(at_end, LatencyHistogram()).record(item.seconds)
        out[name] = bins
    return out
