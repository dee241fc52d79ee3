"""Latencies from the simulated systems' own records, every item the run started included.

An item still waiting when the run ends (an order the ERP never booked, a return never
refunded, a stock movement no channel ever saw) is not left out: it is counted as
*censored*, with the time it had waited by the end of the run. Leaving it out would let
a design that drops work look faster than one that queues it (a fail-fast hub that
never books 107 orders scored 1.46 s against the buffered design's 20 minutes). A
percentile whose rank rests on a censored item is only a lower bound, and says so.

Every latency is measured from the source's own clock to the receiving system's own
clock, never from the hub's timestamps, for the same reason the checker does not trust
the hub. Percentiles are nearest-rank over every record: no sampling, no histogram
buckets, so a p99 is a real order's latency that can be looked up.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in 0..100)."""
    rank = max(1, math.ceil(q / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarize(latencies: Iterable[Latency]) -> Summary:
    """count, censored, p50/p95/p99/max/mean, and `at_least`: the statistics that are lower
    bounds because a censored item could be anywhere at or above its recorded wait
    (every true value is at least its recorded one, so each order statistic is too;
    it is exact only when no censored item sits at or below it)."""
    ordered = sorted(latencies, key=lambda item: item.seconds)
    values = [item.seconds for item in ordered]
    censored = [item.seconds for item in ordered if item.censored]
    if not values:
        return {
            "count": 0,
            "censored": 0,
            "p50": None,
            "p95": None,
            "p99": None,
            "max": None,
            "mean": None,
        }
    lowest_censored = censored[0] if censored else math.inf
    summary: Summary = {"count": len(values), "censored": len(censored)}
    at_least: list[str] = []
    for name, q in PERCENTILES.items():
        value = percentile(values, q)
        summary[name] = round(value, 3)
        if lowest_censored <= value:
            at_least.append(name)
    summary["max"] = round(values[-1], 3)
    summary["mean"] = round(sum(values) / len(values), 3)
    if censored:
        at_least += ["max", "mean"]
    summary["at_least"] = at_least
    return summary


def by_group(latencies: Iterable[Latency]) -> dict[str, Summary]:
    """One summary over all items ("all") and one per group, groups in name order."""
    grouped: dict[str, list[Latency]] = {}
    every: list[Latency] = []
    for item in latencies:
        grouped.setdefault(item.group, []).append(item)
        every.append(item)
    return {"all": summarize(every), **{k: summarize(v) for k, v in sorted(grouped.items())}}


def run_end(result: RunResult) -> float:
    """The moment censored items are counted at: the end of a finished run, or now for
    a live day still going on."""
    return result.sealed.ended_at if result.sealed is not None else result.estate.now


def order_to_erp(result: RunResult, truth: Truth) -> list[Latency]:
    """Placing to the ERP booking the order's first sales order, per accepted order the
    ERP must book: every order the estate fulfilled or is fulfilling. One that was
    never fulfilled (the customer cancelled, the card was declined, no stock) needs no
    booking. An order shipped but never booked is censored."""
    documents = result.estate.erp.documents
    end = run_end(result)
    records = []
    for ref, order_truth in truth.orders.items():
        placed, channel = order_truth.order.placed_at, order_truth.order.channel
        numbers = truth.erp_sales_orders.get(ref)
        if numbers:
            booked = min(documents[no].booked_at for no in numbers)
            records.append(Latency(channel, booked - placed, booked))
        elif order_truth.fulfilment in ("shipped", "collected", "in_flight"):
            records.append(Latency(channel, end - placed, end, censored=True))
    return records


def order_to_ship(result: RunResult, truth: Truth) -> list[Latency]:
    """Placing to the WMS shipping it, per order released to a DC; one released and
    not shipped by the end is censored."""
    end = run_end(result)
    releases = result.estate.wms.legs
    records = []
    for ref, t in truth.orders.items():
        if t.fulfilment == "shipped":
            records.append(
                Latency(t.order.channel, t.fulfilled_at - t.order.placed_at, t.fulfilled_at)
            )
        elif t.fulfilment == "in_flight" and ref in releases:
            records.append(Latency(t.order.channel, end - t.order.placed_at, end, censored=True))
    return records


def return_to_refund(result: RunResult, truth: Truth) -> list[Latency]:
    """Goods received (by the WMS's or the till's own clock) to the gateway's refund.
    A till refunds cash on the spot, by construction in 0 s: those are the "till" group,
    kept out of the SLA, which judges the refunds the integration carries to the card.
    Goods received and never refunded are censored."""
    end = run_end(result)
    records = []
    for return_id, received in truth.returns_received_at.items():
        if return_id in truth.till_refunds:
            records.append(Latency("till", 0.0, received))
            continue
        moves = truth.refunds.get(return_id)
        if moves:
            records.append(Latency("gateway", moves[0][1] - received, moves[0][1]))
        else:
            records.append(Latency("gateway", end - received, end, censored=True))
    return records


def _source_movements(result: RunResult) -> Iterator[tuple[str, tuple[str, str], list[float]]]:
    """(room, position, movement times by sequence) for every position a source moved:
    "dc" for the WMS, "store" for the tills."""
    for room, stockroom in (("dc", result.estate.wms.stock), ("store", result.estate.pos.stock)):
        for key, times in stockroom.moved_at.items():
            yield room, key, list(times)


def sync_lag(result: RunResult) -> list[Latency]:
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
    records: list[Latency] = []
    for room, key, times in _source_movements(result):
        for channel, rooms in channels:
            if room in rooms:
                records += _lags(channel.name, times, channel.reflected.get(key, []), end)
    return records


def _lags(
    channel: str, moved_at: list[float], reflected: list[tuple[int, float]], end: float
) -> list[Latency]:
    """Each movement (seq = index + 1) against the first reflection whose sequence
    includes it; `reflected` rises in both sequence and time."""
    records = []
    cursor = 0
    for index, moved in enumerate(moved_at):
        seq = index + 1
        while cursor < len(reflected) and reflected[cursor][0] < seq:
            cursor += 1
        if cursor < len(reflected):
            at = reflected[cursor][1]
            records.append(Latency(channel, max(0.0, at - moved), at))
        else:
            records.append(Latency(channel, end - moved, end, censored=True))
    return records
