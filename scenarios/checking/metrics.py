"""SLA metrics from full latency records, and the verdict against a scenario's thresholds.

Latencies are measured from the simulated systems' own clocks (a channel's placing
time, the ERP's booking time, the WMS's shipping time, the gateway's refund time), never
from the hub's timestamps, for the same reason the checker does not trust the hub.
Percentiles are nearest-rank over every record: no sampling, no histogram buckets, so a
p99 is a real order's latency that can be looked up.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scenarios.checking.truth import Truth
from scenarios.spec.scenario import SlaSpec
from scenarios.twin.run_result import RunResult

Summary = dict[str, float | int | None]


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in 0..100)."""
    rank = max(1, math.ceil(q / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarize(values: Iterable[float]) -> Summary:
    ordered = sorted(values)
    if not ordered:
        return {"count": 0, "p50": None, "p95": None, "p99": None, "max": None}
    return {
        "count": len(ordered),
        "p50": round(percentile(ordered, 50), 3),
        "p95": round(percentile(ordered, 95), 3),
        "p99": round(percentile(ordered, 99), 3),
        "max": round(ordered[-1], 3),
    }


def _by_channel(records: Iterable[tuple[str, float]]) -> dict[str, Summary]:
    grouped: dict[str, list[float]] = {}
    every: list[float] = []
    for channel, value in records:
        grouped.setdefault(channel, []).append(value)
        every.append(value)
    return {"all": summarize(every), **{k: summarize(v) for k, v in sorted(grouped.items())}}


def order_to_erp_records(result: RunResult, truth: Truth) -> list[tuple[str, float]]:
    """(channel, seconds from placing to the ERP booking its first sales order) per order
    the ERP booked; the charts plot the same records the percentiles come from."""
    documents = result.estate.erp.documents
    records = []
    for ref, order_truth in truth.orders.items():
        numbers = truth.erp_sales_orders.get(ref)
        if numbers:
            booked = min(documents[no].booked_at for no in numbers)
            records.append((order_truth.order.channel, booked - order_truth.order.placed_at))
    return records


def order_to_ship_records(truth: Truth) -> list[tuple[str, float]]:
    """(channel, seconds from placing to the WMS shipping it) per shipped order."""
    return [
        (t.order.channel, t.fulfilled_at - t.order.placed_at)
        for t in truth.orders.values()
        if t.fulfilment == "shipped"
    ]


def _order_to_erp(result: RunResult, truth: Truth) -> dict[str, Summary]:
    return _by_channel(order_to_erp_records(result, truth))


def _order_to_ship(truth: Truth) -> dict[str, Summary]:
    return _by_channel(order_to_ship_records(truth))


def _sync_lag(result: RunResult) -> dict[str, Summary]:
    lags = {
        channel.name: channel.sync_lag_s
        for channel in (result.estate.storefront, result.estate.marketplace)
    }
    every = [lag for values in lags.values() for lag in values]
    return {"all": summarize(every), **{name: summarize(v) for name, v in lags.items()}}


def _marketplace_acks(result: RunResult) -> dict[str, Any]:
    """An order counts as answered in time if the hub acknowledged it, or told the
    marketplace it was cancelled (a rejection), within the window."""
    window = result.estate.marketplace.ack_window_s
    answered = late = 0
    delays = []
    for order in result.estate.marketplace.orders.values():
        answers = [order.acked_at] if order.acked_at >= 0 else []
        answers += [at for _, status, at in order.notices if status == "cancelled"]
        if answers:
            delay = min(answers) - order.placed_at
            delays.append(delay)
            if delay <= window:
                answered += 1
                continue
        late += 1
    total = answered + late
    return {
        "orders": total,
        "within_window": answered,
        "late_or_never": late,
        "within_window_pct": round(100.0 * answered / total, 3) if total else 100.0,
        "ack_delay_s": summarize(delays),
    }


def _return_to_refund(truth: Truth) -> dict[str, Summary]:
    """Received (by the gateway's and the WMS's or till's own clocks) to refunded. A till
    refunds cash on the spot, by construction in 0 s; those are reported apart and kept
    out of the SLA, which judges the refunds the integration carries to the card."""
    records = []
    for return_id, moves in truth.refunds.items():
        received = truth.returns_received_at.get(return_id)
        if received is not None:
            records.append(("gateway", moves[0][1] - received))
    records += [("till", 0.0) for _ in truth.till_refunds]
    return _by_channel(records)


def _recovery(result: RunResult) -> dict[str, Any]:
    """Dead-letter and ERP queue depths over the run, and how long after the last fault
    window closed both were back to zero (None: never within the run)."""
    series = result.samples.series
    times = result.samples.t
    dead = series.get("dead_letter_depth", [])
    queue = series.get("erp_queue_depth", [])
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
        "erp_backlog_max": max(series.get("erp_backlog", []), default=0),
    }


def _oversell(truth: Truth) -> dict[str, Any]:
    """Units the channels accepted that no shelf could fill, from the WMS's and the
    stores' pick records."""
    oversold = sum(t.short_units for t in truth.orders.values())
    accepted = sum(t.ordered_units for t in truth.orders.values())
    orders_hit = sum(1 for t in truth.orders.values() if t.short_units)
    return {
        "oversold_units": oversold,
        "orders_with_oversell": orders_hit,
        "accepted_units": accepted,
        "oversell_rate_pct": round(100.0 * oversold / accepted, 4) if accepted else 0.0,
    }


def _volumes(result: RunResult, truth: Truth) -> dict[str, Any]:
    by_channel: dict[str, int] = {}
    for t in truth.orders.values():
        by_channel[t.order.channel] = by_channel.get(t.order.channel, 0) + 1
    links = result.estate.network.links()
    sent = sum(link.sent for link in links)
    duplicated = sum(link.duplicated for link in links)
    erp = result.estate.erp
    process = result.estate.hub_process
    return {
        "channel_orders": len(truth.orders),
        "orders_by_channel": dict(sorted(by_channel.items())),
        "store_sales": sum(t.sales for t in result.estate.pos.totals.values()),
        "returns": len(result.estate.hub.ctx.returns),
        "lines_dropped_for_no_stock": (
            result.estate.storefront.lines_dropped + result.estate.marketplace.lines_dropped
        ),
        "messages_sent": sent,
        "duplicates_delivered": duplicated,
        "reordered_messages": sum(link.reordered for link in links),
        "lost_then_redelivered": sum(link.lost for link in links),
        "duplicate_rate_pct": round(100.0 * duplicated / sent, 4) if sent else 0.0,
        "duplicates_absorbed_by_hub": result.estate.hub.consumer.duplicates,
        "erp_requests": erp.requests,
        "erp_throttled_429": erp.throttled,
        "erp_refused_503": erp.refused_down,
        "erp_lost_responses": erp.lost_responses,
        "payment_declines": result.estate.payment.declines,
        "marketplace_resends": result.estate.marketplace.resends,
        "reconciliation_runs": result.estate.hub.reconciliation.runs,
        "reconciliation_drift": result.estate.hub.reconciliation.drift_corrected,
        "reconciliation_caught_up": result.estate.hub.reconciliation.caught_up,
        "erp_ledger_runs": result.estate.hub.reconciliation.erp_ledger.runs,
        "erp_ledger_positions_judged": result.estate.hub.reconciliation.erp_ledger.positions_judged,
        "erp_ledger_positions_unsettled": (
            result.estate.hub.reconciliation.erp_ledger.positions_unsettled
        ),
        "erp_ledger_drift": result.estate.hub.reconciliation.erp_ledger.drift,
        "erp_ledger_adjusted_units": result.estate.hub.reconciliation.erp_ledger.adjusted_units,
        "hub_counters": dict(sorted(result.estate.hub.ctx.counters.items())),
        "hub_crashes": process.crashes,
        "hub_journal_entries": len(process.store),
        "hub_journal_commits": process.store.commits,
        "hub_entries_replayed": sum(r.replayed for r in process.restarts),
        "hub_entries_lost_uncommitted": sum(r.lost for r in process.restarts),
        "messages_redelivered_after_crash": sum(r.redelivered for r in process.restarts),
    }


def compute(result: RunResult, truth: Truth) -> dict[str, Any]:
    return {
        "order_to_erp_s": _order_to_erp(result, truth),
        "order_to_ship_s": _order_to_ship(truth),
        "sync_lag_s": _sync_lag(result),
        "marketplace_ack": _marketplace_acks(result),
        "return_to_refund_s": _return_to_refund(truth),
        "recovery": _recovery(result),
        "oversell": _oversell(truth),
        "volumes": _volumes(result, truth),
    }


@dataclass(frozen=True, slots=True)
class SlaResult:
    name: str
    value: float | None
    threshold: float
    #: "max": the value must not exceed the threshold; "min": must not fall below it
    bound: str
    passed: bool


def _sla_values(metrics: dict[str, Any]) -> dict[str, tuple[float | None, str]]:
    """Each SlaSpec field mapped to the metric it limits. None means "never happened"
    (an outage that never drained), which fails any threshold."""
    recovery, oversell = metrics["recovery"], metrics["oversell"]
    return {
        "order_to_erp_p95_s": (metrics["order_to_erp_s"]["all"]["p95"] or 0.0, "max"),
        "order_to_ship_p95_s": (metrics["order_to_ship_s"]["all"]["p95"] or 0.0, "max"),
        "sync_lag_p95_s": (metrics["sync_lag_s"]["all"]["p95"] or 0.0, "max"),
        "marketplace_ack_within_window_pct": (
            metrics["marketplace_ack"]["within_window_pct"],
            "min",
        ),
        "return_to_refund_p95_s": (
            (metrics["return_to_refund_s"].get("gateway") or {}).get("p95") or 0.0,
            "max",
        ),
        "dead_letter_drain_s": (recovery["dead_letter_drain_s"], "max"),
        "oversold_units_max": (float(oversell["oversold_units"]), "max"),
        "oversell_rate_pct_max": (oversell["oversell_rate_pct"], "max"),
        "erp_queue_depth_max": (float(recovery["erp_queue_depth_max"]), "max"),
        "reconciliation_drift_max": (float(metrics["volumes"]["reconciliation_drift"]), "max"),
    }


def evaluate(sla: SlaSpec, metrics: dict[str, Any]) -> list[SlaResult]:
    results = []
    for name, (value, bound) in _sla_values(metrics).items():
        threshold = getattr(sla, name)
        if threshold is None:
            continue
        if value is None:
            passed = False
        else:
            passed = value <= threshold if bound == "max" else value >= threshold
        results.append(SlaResult(name, value, float(threshold), bound, passed))
    return results
