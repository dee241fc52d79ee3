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
records one at a time, so no run's millions of sync-lag records are ever held at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from scenarios.checking.histogram import LatencyHistogram
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult

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
    """`by_group`'s summaries of items recorded already, a histogram per group (the
    histograms are read, not changed: `observations.Tally` keeps them for the charts)."""
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
    documents = result.estate.erp.documents
    end = run_end(result)
    for ref, order_truth in truth.orders.items():
        placed, channel = order_truth.order.placed_at, order_truth.order.channel
        numbers = truth.erp_sales_orders.get(ref)
        if numbers:
            booked = min(documents[no].booked_at for no in numbers)
            yield Latency(channel, booked - placed, booked)
        elif order_truth.fulfilment in ("shipped", "collected", "in_flight"):
            yield Latency(channel, end - placed, end, censored=True)


def order_to_ship(result: RunResult, truth: Truth) -> Iterator[Latency]:
    """Placing to the WMS shipping it, per order released to a DC; one released and
    not shipped by the end is censored."""
    end = run_end(result)
    releases = result.estate.wms.legs
    for ref, t in truth.orders.items():
        if t.fulfilment == "shipped":
            yield Latency(t.order.channel, t.fulfilled_at - t.order.placed_at, t.fulfilled_at)
        elif t.fulfilment == "in_flight" and ref in releases:
            yield Latency(t.order.channel, end - t.order.placed_at, end, censored=True)


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


def _source_movements(result: RunResult) -> Iterator[tuple[str, tuple[str, str], list[float]]]:
    """(room, position, movement times by sequence) for every position a source moved:
    "dc" for the WMS, "store" for the tills."""
    for room, stockroom in (("dc", result.estate.wms.stock), ("store", result.estate.pos.stock)):
        for key, times in stockroom.moved_at.items():
            yield room, key, list(times)


def sync_lag(result: RunResult) -> Iterator[Latency]:
    """From each stock movement at its source (the WMS's or the till's own clock) to
    the moment each channel's view first included it, whatever carried it: an event
    feed, a batch, or a reconciliation snapshot. The channels record which of the
    source's sequence numbers each applied feed row includes; the source records when
    each numbered movement happened. A movement no feed ever brought is censored.

    The storefront sees DC positions (ship-to-home) and store positions (collection);
    the marketplace sees DC positions only."""
    end = run_end(result)
    channels = (
        (result.estate.storefront, ("dc", "store")),
        *((marketplace, ("dc",)) for marketplace in result.estate.marketplaces),
    )
    for room, key, times in _source_movements(result):
        for channel, rooms in channels:
            if room in rooms:
                yield from _lags(channel.name, times, channel.reflected.get(key, []), end)


def _lags(
    channel: str, moved_at: list[float], reflected: list[tuple[int, float]], end: float
) -> Iterator[Latency]:
    """Each movement (seq = index + 1) against the first reflection whose sequence
    includes it; `reflected` rises in both sequence and time."""
    cursor = 0
    for index, moved in enumerate(moved_at):
        seq = index + 1
        while cursor < len(reflected) and reflected[cursor][0] < seq:
            cursor += 1
        if cursor < len(reflected):
            at = reflected[cursor][1]
            yield Latency(channel, max(0.0, at - moved), at)
        else:
            yield Latency(channel, end - moved, end, censored=True)
