"""The one place the figures read report.json: every key path a published figure
depends on is spelled here and nowhere else.

When the checker renames or moves a key (report.json is the checker's output and
changes with it), fix the reader here, run `make figures`, and every table and
sentence in the docs follows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: one run's report.json, as `Verdict.to_json` gives it
Report = dict[str, Any]
#: a reader of one number from a report; None when the run has no such figure (a
#: queue that never drained, a percentile over no records)
Reader = Callable[[Report], float | None]


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _metric(*path: str) -> Reader:
    def read(report: Report) -> float | None:
        value: Any = report["metrics"]
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return _number(value)

    read.__name__ = ".".join(path)
    return read


class Percentile:
    """A latency statistic: `measure` is order_to_erp, order_to_ship, sync_lag or
    return_to_refund; `stat` p50, p95, p99 or max; `scope` all or a channel. Items a
    run started and never finished count at the run's end, so a statistic resting on
    them is a lower bound (`at_least`), shown as such."""

    __slots__ = ("_read", "measure", "scope", "stat")

    def __init__(self, measure: str, stat: str, scope: str = "all") -> None:
        self.measure, self.stat, self.scope = measure, stat, scope
        self._read = _metric(f"{measure}_s", scope, stat)

    def __call__(self, report: Report) -> float | None:
        return self._read(report)

    def at_least(self, report: Report) -> bool:
        summary = report["metrics"].get(f"{self.measure}_s", {}).get(self.scope, {})
        return self.stat in summary.get("at_least", ())


def percentile(measure: str, p: str, scope: str = "all") -> Percentile:
    return Percentile(measure, p, scope)


def at_least(read: Reader, report: Report) -> bool:
    """The figure `read` gives for `report` is a lower bound (it rests on unfinished
    items); False for figures that are never bounds."""
    return isinstance(read, Percentile) and read.at_least(report)


def volume(name: str) -> Reader:
    """A count of what happened in the run (channel_orders, erp_throttled_429, ...)."""
    return _metric("volumes", name)


def hub_counter(name: str) -> Reader:
    """One of the hub's own counters, as the report carries them."""
    return _metric("volumes", "hub_counters", name)


#: the name of the all-channel sync-lag p95 threshold in report.json's `sla`
SYNC_LAG_SLA = "sync_lag_p95_s"

ORDER_TO_ERP_P95 = percentile("order_to_erp", "p95")
ORDER_TO_ERP_P99 = percentile("order_to_erp", "p99")
SYNC_LAG_P95 = percentile("sync_lag", "p95")
SYNC_LAG_P99 = percentile("sync_lag", "p99")
SYNC_LAG_MAX = percentile("sync_lag", "max")
REFUND_P95 = percentile("return_to_refund", "p95")
OVERSOLD_UNITS = _metric("oversell", "oversold_units")
LINES_DROPPED = _metric("volumes", "lines_dropped_for_no_stock")


#: the delivery metric (scenarios/checking/delivery.py): order to door from the carrier's
#: records, parcels leaving their customer's region, lines short
DELIVERY_P50 = _metric("delivery", "order_to_door_s", "all", "p50")
DELIVERY_P95 = _metric("delivery", "order_to_door_s", "all", "p95")
OUT_OF_REGION_PCT = _metric("delivery", "out_of_region_pct")
LINES_SHORT = _metric("delivery", "lines_short")
_PARCELS = _metric("delivery", "parcels")
_ORDERS_SHIPPED = _metric("delivery", "orders_shipped")


def extra_parcels(report: Report) -> float | None:
    """Parcels beyond one per order shipped: the second and later parts of split orders."""
    parcels, orders = _PARCELS(report), _ORDERS_SHIPPED(report)
    return None if parcels is None or orders is None else parcels - orders


def orders_split(report: Report) -> float | None:
    """Orders the hub split over several DCs (0 when it split none)."""
    return hub_counter("orders_split")(report) or 0.0


def oversold_on(channel: str) -> Reader:
    """Units oversold on one channel (`web`, `marketplace`, `click_collect`)."""
    return _metric("oversell", "by_channel", channel, "oversold_units")


OVERSELL_RATE_PCT = _metric("oversell", "oversell_rate_pct")
DRAIN_S = _metric("recovery", "dead_letter_drain_s")
STALE_PRICE_ORDERS = _metric("pricing", "stale_price_orders")
STALE_PRICE_PCT = _metric("pricing", "stale_price_orders_pct")
OVERCHARGED_CENTS = _metric("pricing", "overcharged_cents")
UNDERCHARGED_CENTS = _metric("pricing", "undercharged_cents")
TAX_ESTIMATED_ORDERS = _metric("tax", "orders_charged_an_estimate")
TAX_ABSORBED_CENTS = _metric("tax", "absorbed_cents")
TAX_THROTTLED = _metric("tax", "throttled_429")
TAX_COMMITTED = _metric("tax", "committed_orders")
TAX_REVERSED = _metric("tax", "reversed_returns")
SETTLEMENT_PAYOUTS_BOOKED = _metric("settlement", "payouts_booked")
SETTLEMENT_LINES = _metric("settlement", "lines")
SETTLEMENT_PAID_SHORT = _metric("settlement", "lines_paid_short")
SETTLEMENT_PAID_SHORT_CENTS = _metric("settlement", "paid_short_cents")
SETTLEMENT_OVERPAID = _metric("settlement", "lines_overpaid")
SETTLEMENT_FEES_CENTS = _metric("settlement", "fees_cents")
SETTLEMENT_CHARGEBACKS = _metric("settlement", "chargebacks")
SETTLEMENT_UNRECONCILED = _metric("settlement", "unreconciled_lines")
RECEIVABLES_INVOICES = _metric("receivables", "invoices")
RECEIVABLES_INVOICED_CENTS = _metric("receivables", "invoiced_cents")
RECEIVABLES_REMITTANCES = _metric("receivables", "remittances_applied")
RECEIVABLES_SENT_TWICE = _metric("receivables", "remittances_sent_twice")
RECEIVABLES_SHORT = _metric("receivables", "payments_short")
RECEIVABLES_OPEN_CENTS = _metric("receivables", "open_cents")
RECEIVABLES_OVERDUE = _metric("receivables", "overdue_invoices")
RECEIVABLES_UNAPPLIED = _metric("receivables", "remittances_unapplied")


def dropship_total(key: str) -> Reader:
    """A drop-ship figure summed over the partners (None without partners)."""

    def read(report: Report) -> float | None:
        partners = report["metrics"].get("dropship", {}).get("partners")
        return None if not partners else float(sum(p[key] for p in partners.values()))

    return read


FRAUD_HELD = _metric("fraud", "held")
FRAUD_FALSE_HOLDS = _metric("fraud", "false_holds")
FRAUD_REJECTED = _metric("fraud", "rejected")
FRAUD_REVIEW_P95 = percentile("fraud_review", "p95")


def credentials(system: str, key: str) -> Reader:
    """One figure of a guarded backend's `credentials` metric (None: no tokens there)."""
    return _metric("credentials", system, key)


def stale_price_orders(channel: str) -> Reader:
    """Stale-price orders (or till sales) of one group: web, click_collect, marketplace,
    stores."""
    return _metric("pricing", "by_channel", channel, "stale_price_orders")


DEAD_LETTERED = _metric("recovery", "dead_lettered_total")
DEAD_LETTERS_AT_END = _metric("recovery", "dead_letter_depth_end")
ERP_QUEUE_MAX = _metric("recovery", "erp_queue_depth_max")
ERP_BACKLOG_MAX = _metric("recovery", "erp_backlog_max")
ACK_IN_WINDOW_PCT = _metric("marketplace_ack", "within_window_pct")
ACK_P99 = _metric("marketplace_ack", "ack_delay_s", "p99")
CHANNEL_ORDERS = volume("channel_orders")
STORE_SALES = volume("store_sales")
RETURNS = volume("returns")


def orders_by_channel(report: Report, channel: str) -> int:
    return int(report["metrics"]["volumes"]["orders_by_channel"].get(channel, 0))


def passed(report: Report) -> bool:
    return bool(report["passed"])


def failed_invariants(report: Report) -> list[str]:
    """The invariants the run broke, in the checker's order."""
    return [check["name"] for check in report["invariants"] if not check["passed"]]


def violations(report: Report, invariant: str) -> int:
    for check in report["invariants"]:
        if check["name"] == invariant:
            return int(check["violations"])
    raise KeyError(f"report.json has no invariant {invariant!r}")


def detail(report: Report, invariant: str) -> str:
    """The checker's own summary of one invariant."""
    for check in report["invariants"]:
        if check["name"] == invariant:
            return str(check["detail"])
    raise KeyError(f"report.json has no invariant {invariant!r}")


def failed_sla(report: Report) -> list[str]:
    """The SLA thresholds the run missed, by name."""
    return [sla["name"] for sla in report["sla"] if not sla["passed"]]


def sla_threshold(report: Report, name: str) -> float | None:
    for sla in report["sla"]:
        if sla["name"] == name:
            return _number(sla["threshold"])
    return None


def has_faults(report: Report) -> bool:
    """The scenario as run had fault windows (a drain is measured after them)."""
    return bool(report["scenario_spec"]["faults"])


def seed(report: Report) -> int:
    return int(report["seed"])
