"""SLA metrics from full latency records, and the verdict against a scenario's thresholds.

Latencies (scenarios.checking.latency) count every item the run started, censored at
the end of the run when never finished, and are measured from the simulated systems'
own clocks, never from the hub's timestamps, for the same reason the checker does not
trust the hub. The books (scenarios.checking.books) are read from the ERP's and the
gateway's own records.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from scenarios.checking import books, latency
from scenarios.checking.latency import Summary, by_group, summarize
from scenarios.checking.truth import Truth
from scenarios.spec.scenario import PercentileLimits, SlaSpec
from scenarios.twin.run_result import RunResult

__all__ = ["Bound", "SlaResult", "Summary", "Unit", "compute", "evaluate", "summarize", "unit_of"]


def _marketplace_acks(result: RunResult) -> dict[str, Any]:
    """An order counts as answered in time if the hub acknowledged it, or told the
    marketplace it was cancelled (a rejection), within the window."""
    window = result.estate.marketplace.ack_window_s
    end = latency.run_end(result)
    answered = late = 0
    delays = []
    for order in result.estate.marketplace.orders.values():
        answers = [order.acked_at] if order.acked_at >= 0 else []
        answers += [at for _, status, at in order.notices if status == "cancelled"]
        if answers:
            first = min(answers)
            delays.append(latency.Latency("marketplace", first - order.placed_at, first))
            if first - order.placed_at <= window:
                answered += 1
                continue
        else:
            delays.append(latency.Latency("marketplace", end - order.placed_at, end, censored=True))
        late += 1
    total = answered + late
    return {
        "orders": total,
        "within_window": answered,
        "late_or_never": late,
        "within_window_pct": round(100.0 * answered / total, 3) if total else 100.0,
        "ack_delay_s": summarize(delays),
    }


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
        "order_to_erp_s": by_group(latency.order_to_erp(result, truth)),
        "order_to_ship_s": by_group(latency.order_to_ship(result, truth)),
        "sync_lag_s": by_group(latency.sync_lag(result)),
        "marketplace_ack": _marketplace_acks(result),
        "return_to_refund_s": by_group(latency.return_to_refund(result, truth)),
        "recovery": _recovery(result),
        "oversell": _oversell(truth),
        "erp_ledger": books.erp_ledger_drift(result),
        "duplicated_effects": books.duplicated_effects(truth),
        "reconciliation_backlog": books.reconciliation_backlog(result, truth),
        "exception_queue": _exception_queue(result),
        "volumes": _volumes(result, truth),
    }


def _exception_queue(result: RunResult) -> dict[str, Any]:
    """Orders and returns in the hub's exception queue at the end, and how long the
    oldest has waited there (the hub records when each problem was first flagged)."""
    end = latency.run_end(result)
    ctx = result.estate.hub.ctx
    since = [
        aggregate.exception_since
        for aggregate in (*ctx.orders.values(), *ctx.returns.values())
        if aggregate.exceptions
    ]
    return {
        "open": len(since),
        "oldest_age_s": round(end - min(since), 3) if since else 0.0,
    }


class Bound(StrEnum):
    """Which side of its threshold a value must stay on."""

    MAX = "max"  #: must not exceed it
    MIN = "min"  #: must not fall below it


class Unit(StrEnum):
    """What an SLA's value and threshold count."""

    SECONDS = "s"
    PERCENT = "%"
    COUNT = "count"


@dataclass(frozen=True, slots=True)
class SlaResult:
    name: str
    value: float | None
    threshold: float
    bound: Bound
    passed: bool
    #: the value is a lower bound: it rests on items the run never finished
    at_least: bool = False
    unit: Unit = Unit.COUNT


def unit_of(name: str) -> Unit:
    """The unit of an SLA by its name: latency limits (`order_to_erp.web.p99`) and
    `*_s` thresholds are seconds, `*pct*` ones percentages, the rest counts."""
    if name.endswith("_s") or "." in name:
        return Unit.SECONDS
    if "_pct" in name:
        return Unit.PERCENT
    return Unit.COUNT


#: nested latency limits: (SlaSpec field, metrics key)
_LATENCY_LIMITS = (
    ("order_to_erp", "order_to_erp_s"),
    ("order_to_ship", "order_to_ship_s"),
    ("sync_lag", "sync_lag_s"),
    ("return_to_refund", "return_to_refund_s"),
)


def _statistic(metrics: dict[str, Any], key: str, group: str, name: str) -> tuple[float, bool]:
    """A latency statistic (0 when nothing was measured) and whether it is a bound."""
    summary = metrics[key].get(group) or {}
    value = summary.get(name)
    return (float(value) if value is not None else 0.0, name in summary.get("at_least", ()))


def _latency_value(
    metrics: dict[str, Any], key: str, group: str, name: str
) -> tuple[float | None, Bound, bool]:
    value, at_least = _statistic(metrics, key, group, name)
    return value, Bound.MAX, at_least


def _flat_values(metrics: dict[str, Any]) -> dict[str, tuple[float | None, Bound, bool]]:
    """Each flat SlaSpec field mapped to the metric it limits. None means "never
    happened" (an outage that never drained), which fails any threshold."""
    recovery, oversell = metrics["recovery"], metrics["oversell"]
    return {
        "order_to_erp_p95_s": _latency_value(metrics, "order_to_erp_s", "all", "p95"),
        "order_to_ship_p95_s": _latency_value(metrics, "order_to_ship_s", "all", "p95"),
        "sync_lag_p95_s": _latency_value(metrics, "sync_lag_s", "all", "p95"),
        "marketplace_ack_within_window_pct": (
            metrics["marketplace_ack"]["within_window_pct"],
            Bound.MIN,
            False,
        ),
        "return_to_refund_p95_s": _latency_value(metrics, "return_to_refund_s", "gateway", "p95"),
        "dead_letter_drain_s": (recovery["dead_letter_drain_s"], Bound.MAX, False),
        "oversold_units_max": (float(oversell["oversold_units"]), Bound.MAX, False),
        "oversell_rate_pct_max": (oversell["oversell_rate_pct"], Bound.MAX, False),
        "erp_queue_depth_max": (float(recovery["erp_queue_depth_max"]), Bound.MAX, False),
        "reconciliation_drift_max": (
            float(metrics["volumes"]["reconciliation_drift"]),
            Bound.MAX,
            False,
        ),
        "erp_ledger_drift_max": (float(metrics["erp_ledger"]["drift"]), Bound.MAX, False),
        "duplicate_rate_pct_max": (metrics["duplicated_effects"]["rate_pct"], Bound.MAX, False),
        "reconciliation_backlog_max": (
            float(metrics["reconciliation_backlog"]["max"]),
            Bound.MAX,
            False,
        ),
        "exception_queue_age_max_s": (
            metrics["exception_queue"]["oldest_age_s"],
            Bound.MAX,
            False,
        ),
    }


def _judge(
    name: str, value: float | None, threshold: float, bound: Bound, at_least: bool
) -> SlaResult:
    if value is None:
        passed = False
    elif bound == Bound.MAX:
        # a lower bound over the limit is over it for certain; one within it says the
        # unfinished items have not broken the limit yet (a return still being
        # inspected when the run ends), and the report shows it as "at least"
        passed = value <= threshold
    else:
        passed = value >= threshold
    return SlaResult(name, value, float(threshold), bound, passed, at_least, unit_of(name))


def evaluate(sla: SlaSpec, metrics: dict[str, Any]) -> list[SlaResult]:
    """Every threshold the scenario sets, judged: the flat ones first, then the
    per-channel and per-percentile latency limits, named `measure.group.statistic`."""
    results = []
    for name, (value, bound, at_least) in _flat_values(metrics).items():
        threshold = getattr(sla, name)
        if threshold is not None:
            results.append(_judge(name, value, threshold, bound, at_least))
    for field_name, key in _LATENCY_LIMITS:
        groups = getattr(sla, field_name)
        for group in type(groups).__dataclass_fields__:
            limits: PercentileLimits = getattr(groups, group)
            for statistic in ("p50", "p95", "p99", "max"):
                threshold = getattr(limits, f"{statistic}_s")
                if threshold is None:
                    continue
                value, at_least = _statistic(metrics, key, group, statistic)
                name = f"{field_name}.{group}.{statistic}"
                results.append(_judge(name, value, threshold, Bound.MAX, at_least))
    return results
