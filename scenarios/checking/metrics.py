"""SLA metrics from full latency records, and the verdict against a scenario's thresholds.

Latencies (scenarios.checking.latency) count every item the run started, censored at
the end of the run when never finished, and are measured from the simulated systems'
own clocks, never from the hub's timestamps, for the same reason the checker does not
trust the hub. The books (scenarios.checking.books) are read from the ERP's and the
gateway's own records.

A few figures are the hub's own state: its dead letters and ERP lane, its
reconciliation, its exception queue, its counters and journal. A hub judged from
ground truth only (an external one) has none the twin can read, so they are absent
from its metrics, and a threshold a scenario sets on one is reported as not
measurable (`SlaOutcome.NOT_MEASURABLE`), never as met.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scenarios.checking import (
    books,
    fraud,
    histogram,
    latency,
    prices,
    receivables,
    settlement,
    tax,
)
from scenarios.checking.credentials import credentials_metrics
from scenarios.checking.delivery import delivery_metric
from scenarios.checking.dropship import dropship_metric
from scenarios.checking.hub_orders import exception_queue_since
from scenarios.checking.judging import JudgedFrom, resolve
from scenarios.checking.latency import Summary, summarize, summary_of
from scenarios.checking.observations import Walked, walk
from scenarios.checking.sla import (
    HUB_STATE_SLAS,
    Bound,
    SlaOutcome,
    SlaResult,
    Unit,
    evaluate,
    unit_of,
)
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult
from simulators.marketplace import Marketplace

__all__ = [
    "HUB_STATE_SLAS",
    "Bound",
    "SlaOutcome",
    "SlaResult",
    "Summary",
    "Unit",
    "compute",
    "evaluate",
    "summarize",
    "unit_of",
]


def _marketplace_acks(result: RunResult) -> dict[str, Any]:
    """Acknowledgements within each marketplace's own window. With several, the
    figures of each (`by_marketplace`); `within_window_pct` is then the worst one's,
    so the SLA holds for every marketplace, and the counts and delays are all of them
    together."""
    marketplaces = result.estate.marketplaces
    if len(marketplaces) == 1:
        return _acks_at(result, marketplaces[0])
    each = {m.system: {**_acks_at(result, m), "resends": m.resends} for m in marketplaces}
    every = _acks_at(result, *marketplaces)
    every["within_window_pct"] = min(m["within_window_pct"] for m in each.values())
    every["by_marketplace"] = each
    return every


def _acks_at(result: RunResult, *marketplaces: Marketplace) -> dict[str, Any]:
    """An order counts as answered in time if the hub acknowledged it, or told the
    marketplace it was cancelled (a rejection), within its marketplace's window. The
    delays are recorded as they are read, not listed first: a `Latency` an order was
    the judging's high-water at peak-weekend's quarter scale (2.5 MiB of tracemalloc's
    11.8, mem29)."""
    end = latency.run_end(result)
    answered = late = 0
    delays = histogram.LatencyHistogram()
    placed = ((m.ack_window_s, o) for m in marketplaces for o in m.orders.values())
    for window, order in placed:
        answers = [order.acked_at] if order.acked_at >= 0 else []
        answers += [at for _, status, at in order.notices if status == "cancelled"]
        if answers:
            first = min(answers)
            delays.record(first - order.placed_at)
            if first - order.placed_at <= window:
                answered += 1
                continue
        else:
            delays.record(end - order.placed_at, censored=True)
        late += 1
    total = answered + late
    return {
        "orders": total,
        "within_window": answered,
        "late_or_never": late,
        "within_window_pct": round(100.0 * answered / total, 3) if total else 100.0,
        "ack_delay_s": summary_of(delays),
    }


def _erp_backlog_max(result: RunResult) -> int | float:
    """The largest backlog inside the ERP itself over the run (its own queue)."""
    return max(result.samples.series.get("erp_backlog", []), default=0)


def _recovery(result: RunResult) -> dict[str, Any]:
    """Dead-letter and ERP queue depths over the run, and how long after the last fault
    window closed both were back to zero (None: never within the run)."""
    series = result.samples.series
    times = result.samples.t
    dead: Sequence[float] = series.get("dead_letter_depth", ())
    queue: Sequence[float] = series.get("erp_queue_depth", ())
    fault_end = max((end for _, end, _ in result.fault_log), default=0.0)
    drained_at: float | None = None
    for i, at in enumerate(times):
        if at < fault_end:
            continue
        if dead[i] == 0 and queue[i] == 0:
            drained_at = at
            break
    drain: float | None
    if fault_end == 0.0:
        drain = 0.0
    else:
        drain = None if drained_at is None else max(0.0, drained_at - fault_end)
    return {
        "dead_letter_depth_max": max(dead, default=0),
        "dead_letter_depth_end": len(result.estate.hub.ctx.dead_letters),
        "dead_lettered_total": result.estate.hub.ctx.dead_letters.total_dead_lettered,
        "dead_letter_drain_s": drain,
        "erp_queue_depth_max": max(queue, default=0),
        "erp_backlog_max": _erp_backlog_max(result),
    }


@dataclass(slots=True)
class _Orders:
    """The accepted orders counted in one walk, for `oversell` and `volumes`: in all,
    per channel and (with several marketplaces) per marketplace."""

    every: _Oversold
    by_channel: dict[str, _Oversold]
    by_marketplace: list[tuple[Marketplace, _Oversold]]


def _count_orders(truth: Truth, marketplaces: tuple[Marketplace, ...] = ()) -> _Orders:
    every = _Oversold()
    by_channel: dict[str, _Oversold] = {}
    each = [(m, _Oversold()) for m in marketplaces] if len(marketplaces) > 1 else []
    for ref, order_truth in truth.orders.items():
        short, ordered = order_truth.short_units, order_truth.ordered_units
        every.add(short, ordered)
        by_channel.setdefault(order_truth.order.channel, _Oversold()).add(short, ordered)
        for marketplace, oversold in each:
            if ref in marketplace.orders:
                oversold.add(short, ordered)
    return _Orders(every, by_channel, each)


def _oversell(orders: _Orders) -> dict[str, Any]:
    """Units the channels accepted that no shelf could fill, from the WMS's and the
    stores' pick records, in all and per channel (an allocation rule moves oversells
    from one channel to another as much as it removes them); with several
    marketplaces, per marketplace too."""
    found: dict[str, Any] = {
        **orders.every.figures(),
        "by_channel": {
            channel: oversold.figures() for channel, oversold in sorted(orders.by_channel.items())
        },
    }
    if orders.by_marketplace:
        found["by_marketplace"] = {
            m.system: oversold.figures() for m, oversold in orders.by_marketplace
        }
    return found


@dataclass(slots=True)
class _Oversold:
    """Oversold and accepted units of some orders, counted as the orders stream by."""

    orders: int = 0
    oversold: int = 0
    accepted: int = 0
    orders_hit: int = 0

    def add(self, short_units: int, ordered_units: int) -> None:
        self.orders += 1
        self.oversold += short_units
        self.accepted += ordered_units
        self.orders_hit += 1 if short_units else 0

    def figures(self) -> dict[str, Any]:
        oversold, accepted = self.oversold, self.accepted
        return {
            "oversold_units": oversold,
            "orders_with_oversell": self.orders_hit,
            "accepted_units": accepted,
            "oversell_rate_pct": round(100.0 * oversold / accepted, 4) if accepted else 0.0,
        }


def _volumes(result: RunResult, truth: Truth, orders: _Orders) -> dict[str, Any]:
    volumes = _system_volumes(result, truth, orders)
    erp = result.estate.erp
    process = result.estate.hub_process
    hub = result.estate.hub
    ledger = hub.reconciliation.erp_ledger
    return {
        "channel_orders": volumes["channel_orders"],
        "orders_by_channel": volumes["orders_by_channel"],
        "store_sales": volumes["store_sales"],
        "returns": len(hub.ctx.returns),
        "lines_dropped_for_no_stock": volumes["lines_dropped_for_no_stock"],
        "messages_sent": volumes["messages_sent"],
        "duplicates_delivered": volumes["duplicates_delivered"],
        "reordered_messages": volumes["reordered_messages"],
        "lost_then_redelivered": volumes["lost_then_redelivered"],
        "duplicate_rate_pct": volumes["duplicate_rate_pct"],
        "duplicates_absorbed_by_hub": hub.consumer.duplicates,
        "erp_requests": erp.requests,
        "erp_throttled_429": erp.throttled,
        "erp_refused_503": erp.refused_down,
        "erp_lost_responses": erp.lost_responses,
        "payment_declines": result.estate.payment.declines,
        "marketplace_resends": sum(m.resends for m in result.estate.marketplaces),
        "reconciliation_runs": hub.reconciliation.runs,
        "reconciliation_drift": hub.reconciliation.drift_corrected,
        "reconciliation_caught_up": hub.reconciliation.caught_up,
        "erp_ledger_runs": ledger.runs,
        "erp_ledger_positions_judged": ledger.positions_judged,
        "erp_ledger_positions_unsettled": ledger.positions_unsettled,
        "erp_ledger_drift": ledger.drift,
        "erp_ledger_adjusted_units": ledger.adjusted_units,
        "hub_counters": dict(sorted(hub.ctx.counters.items())),
        "hub_crashes": process.crashes,
        "hub_journal_entries": len(process.store),
        "hub_journal_commits": process.store.commits,
        "hub_entries_replayed": sum(r.replayed for r in process.restarts),
        "hub_entries_lost_uncommitted": sum(r.lost for r in process.restarts),
        "messages_redelivered_after_crash": sum(r.redelivered for r in process.restarts),
    }


def _system_volumes(result: RunResult, truth: Truth, orders: _Orders) -> dict[str, Any]:
    """The day's volumes as the channels, the stores, the network and the backends
    counted them: every volume but the hub's own. `returns` is every return the
    channels opened and every one brought to a store counter (the hub's count, used
    in-process, also holds those it rejected, which are among the opened ones)."""
    by_channel = {channel: counted.orders for channel, counted in orders.by_channel.items()}
    links = result.estate.network.links()
    sent = sum(link.sent for link in links)
    duplicated = sum(link.duplicated for link in links)
    estate = result.estate
    erp = estate.erp
    opened = sum(
        len(returns)
        for channel in (estate.storefront, *estate.marketplaces)
        for returns in channel.returns_opened.values()
    )
    return {
        "channel_orders": len(truth.orders),
        "orders_by_channel": dict(sorted(by_channel.items())),
        "store_sales": sum(t.sales for t in estate.pos.totals.values()),
        "returns": opened + len(estate.pos.returns),
        "lines_dropped_for_no_stock": (
            estate.storefront.lines_dropped + sum(m.lines_dropped for m in estate.marketplaces)
        ),
        "messages_sent": sent,
        "duplicates_delivered": duplicated,
        "reordered_messages": sum(link.reordered for link in links),
        "lost_then_redelivered": sum(link.lost for link in links),
        "duplicate_rate_pct": round(100.0 * duplicated / sent, 4) if sent else 0.0,
        "erp_requests": erp.requests,
        "erp_throttled_429": erp.throttled,
        "erp_refused_503": erp.refused_down,
        "erp_lost_responses": erp.lost_responses,
        "payment_declines": estate.payment.declines,
        "marketplace_resends": sum(m.resends for m in estate.marketplaces),
    }


def compute(
    result: RunResult,
    truth: Truth,
    *,
    judged_from: JudgedFrom | None = None,
    walked: Walked | None = None,
) -> dict[str, Any]:
    """Every metric of the run. Judged from ground truth only, the hub's own figures
    are left out (`recovery` keeps only the ERP's own backlog, `exception_queue` is
    absent, `volumes` holds the systems' counts alone): none is read, none is guessed.
    `walked`: the latencies tallied once for the charts and metrics.prom too."""
    in_process = resolve(result, judged_from) == JudgedFrom.IN_PROCESS
    walked = walked if walked is not None else walk(result, truth, exported=False)
    # the walk's histograms summarized and let go (unless the caller keeps them) before
    # the transients below: they were held under each of them (about 1.2 MiB at
    # peak-weekend's quarter scale, mem29)
    to_erp, to_ship = walked.order_to_erp.summaries(), walked.order_to_ship.summaries()
    to_refund = walked.return_to_refund.summaries()
    del walked
    orders = _count_orders(truth, result.estate.marketplaces)
    measured: dict[str, Any] = {
        "order_to_erp_s": to_erp,
        "order_to_ship_s": to_ship,
        "sync_lag_s": latency.sync_lag(result),
        "marketplace_ack": _marketplace_acks(result),
        "return_to_refund_s": to_refund,
        "recovery": (
            _recovery(result) if in_process else {"erp_backlog_max": _erp_backlog_max(result)}
        ),
        "oversell": _oversell(orders),
        "erp_ledger": books.erp_ledger_drift(result),
        "duplicated_effects": books.duplicated_effects(truth),
        "reconciliation_backlog": books.reconciliation_backlog(result, truth),
        "pricing": prices.pricing_metrics(result, latency.run_end(result)),
        "tax": tax.tax_metrics(result, truth),
        "fraud": fraud.fraud_metrics(result, truth),
        "fraud_review_s": fraud.fraud_review_s(result, truth),
        "settlement": settlement.settlement_metric(result),
    }
    if result.estate.b2b is not None:  # only with a B2B portal: others as before
        measured["receivables"] = receivables.receivables_metric(result)
    if result.estate.authorities:  # only where an API wants tokens: others as before
        measured["credentials"] = credentials_metrics(result)
    if result.estate.partners:  # only with drop-ship partners: others as before
        measured["dropship"] = dropship_metric(result, truth)
    delivery = delivery_metric(result, truth)
    if delivery is not None:
        measured["delivery"] = delivery
    if in_process:
        measured["exception_queue"] = _exception_queue(result)
    measured["volumes"] = (
        _volumes(result, truth, orders) if in_process else _system_volumes(result, truth, orders)
    )
    external = result.estate.external_hub
    if external is not None:  # what crossed the boundary: a silent hub shows here
        measured["external_hub"] = external.report()
    measured["latency_precision"] = histogram.precision()  # what the percentiles are within
    return measured


def _exception_queue(result: RunResult) -> dict[str, Any]:
    """Orders and returns in the hub's exception queue at the end, and how long the
    oldest has waited there (the hub records when each problem was first flagged)."""
    end = latency.run_end(result)
    since = exception_queue_since(result)
    return {
        "open": len(since),
        "oldest_age_s": round(end - min(since), 3) if since else 0.0,
    }
