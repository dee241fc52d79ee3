"""A scenario's SLA thresholds judged against a run's metrics (`metrics.compute`).

Each threshold comes out met, breached, or not measurable. Not measurable is for a
hub judged from ground truth only (an external one), and only for the four thresholds
on the hub's own state (`HUB_STATE_SLAS`): how fast its dead-letter queue and ERP lane
drained, how deep the lane got, what its reconciliation found, how old its exception
queue grew. Such a hub may have no dead-letter queue, lane or reconciliation at all,
and none the twin can read.

Not measurable does not fail the run, and is never shown as met: report.json gives
the row `outcome: "not_measurable"` and why, junit.xml marks the case skipped, the
command line and report.html say "not measurable". Why not fail it: the threshold is
on a mechanism inside the built-in hub's design, not on what the retailer sees, so
failing it would fail every external hub on erp-outage whatever it did; and what those
thresholds stand for is judged from the backends' own records all the same, by the
invariants (nothing lost, everything booked, stock converged after the outage) and by
the thresholds that remain (an outage's backlog shows in `order_to_erp` latencies,
with orders never booked censored, and in `reconciliation_backlog_max`). Nor can a hub
opt out of a threshold this way: the run, not the hub, decides how it is judged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from scenarios.checking.credentials import longest_unauthorised_s
from scenarios.checking.judging import JudgedFrom
from scenarios.spec.scenario import PercentileLimits, SlaSpec


class Bound(StrEnum):
    """Which side of its threshold a value must stay on."""

    MAX = "max"  #: must not exceed it
    MIN = "min"  #: must not fall below it


class Unit(StrEnum):
    """What an SLA's value and threshold count."""

    SECONDS = "s"
    PERCENT = "%"
    COUNT = "count"


class SlaOutcome(StrEnum):
    """How a threshold came out."""

    MET = "met"
    BREACHED = "breached"
    #: its metric is the hub's own state, which a hub judged from ground truth only
    #: does not show; the run is not failed for it (see the module's docstring)
    NOT_MEASURABLE = "not_measurable"


@dataclass(frozen=True, slots=True)
class SlaResult:
    name: str
    value: float | None
    threshold: float
    bound: Bound
    #: whether the run may pass on it: met, or not measurable
    passed: bool
    #: the value is a lower bound: it rests on items the run never finished
    at_least: bool = False
    unit: Unit = Unit.COUNT
    #: why the threshold could not be judged (None: it was)
    not_measurable: str | None = None

    @property
    def outcome(self) -> SlaOutcome:
        if self.not_measurable is not None:
            return SlaOutcome.NOT_MEASURABLE
        return SlaOutcome.MET if self.passed else SlaOutcome.BREACHED


#: thresholds on the hub's own state, not measurable for a hub judged from ground
#: truth only, and what of the hub's each reads
HUB_STATE_SLAS: dict[str, str] = {
    "dead_letter_drain_s": "the hub's dead-letter queue and ERP lane",
    "erp_queue_depth_max": "the hub's ERP lane",
    "reconciliation_drift_max": "the hub's own reconciliation",
    "exception_queue_age_max_s": "the hub's exception queue",
}


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


#: a flat threshold's value in the metrics, and whether it is a lower bound
Read = Callable[[dict[str, Any]], tuple[float | None, bool]]


def _latency(key: str, group: str, name: str) -> Read:
    return lambda metrics: _statistic(metrics, key, group, name)


def _exact(read: Callable[[dict[str, Any]], float | None]) -> Read:
    return lambda metrics: (read(metrics), False)


def _count(read: Callable[[dict[str, Any]], Any]) -> Read:
    return lambda metrics: (float(read(metrics)), False)


def _delivery_p95(metrics: dict[str, Any]) -> tuple[float, bool]:
    """Order to door p95 (0, nothing measured, for an estate without a carrier)."""
    if "delivery" not in metrics:
        return (0.0, False)
    return _statistic(metrics["delivery"], "order_to_door_s", "all", "p95")


#: each flat SlaSpec field: its bound, and how to read the metric it limits. A value of
#: None means "never happened" (an outage that never drained), which fails any threshold
_FLAT: dict[str, tuple[Bound, Read]] = {
    "order_to_erp_p95_s": (Bound.MAX, _latency("order_to_erp_s", "all", "p95")),
    "order_to_ship_p95_s": (Bound.MAX, _latency("order_to_ship_s", "all", "p95")),
    "sync_lag_p95_s": (Bound.MAX, _latency("sync_lag_s", "all", "p95")),
    "marketplace_ack_within_window_pct": (
        Bound.MIN,
        _exact(lambda m: m["marketplace_ack"]["within_window_pct"]),
    ),
    "return_to_refund_p95_s": (Bound.MAX, _latency("return_to_refund_s", "gateway", "p95")),
    "dead_letter_drain_s": (Bound.MAX, _exact(lambda m: m["recovery"]["dead_letter_drain_s"])),
    "oversold_units_max": (Bound.MAX, _count(lambda m: m["oversell"]["oversold_units"])),
    "oversell_rate_pct_max": (Bound.MAX, _exact(lambda m: m["oversell"]["oversell_rate_pct"])),
    "erp_queue_depth_max": (Bound.MAX, _count(lambda m: m["recovery"]["erp_queue_depth_max"])),
    "reconciliation_drift_max": (
        Bound.MAX,
        _count(lambda m: m["volumes"]["reconciliation_drift"]),
    ),
    "erp_ledger_drift_max": (Bound.MAX, _count(lambda m: m["erp_ledger"]["drift"])),
    "duplicate_rate_pct_max": (Bound.MAX, _exact(lambda m: m["duplicated_effects"]["rate_pct"])),
    "reconciliation_backlog_max": (
        Bound.MAX,
        _count(lambda m: m["reconciliation_backlog"]["max"]),
    ),
    "exception_queue_age_max_s": (
        Bound.MAX,
        _exact(lambda m: m["exception_queue"]["oldest_age_s"]),
    ),
    "stale_price_orders_pct_max": (
        Bound.MAX,
        _exact(lambda m: m["pricing"]["stale_price_orders_pct"]),
    ),
    "fraud_review_p95_s": (Bound.MAX, _latency("fraud_review_s", "all", "p95")),
    "unreconciled_payout_lines_max": (
        Bound.MAX,
        _count(lambda m: m["settlement"].get("unreconciled_lines", 0)),
    ),
    "unauthorised_max_s": (Bound.MAX, longest_unauthorised_s),
    "delivery_p95_s": (Bound.MAX, lambda m: _delivery_p95(m)),
    "partner_lines_to_partner_pct": (
        Bound.MIN,
        _exact(lambda m: m.get("dropship", {}).get("lines_to_partner_pct", 100.0)),
    ),
    "partner_pos_unacknowledged_max": (
        Bound.MAX,
        _count(lambda m: m.get("dropship", {}).get("pos_unacknowledged", 0)),
    ),
    "unapplied_remittances_max": (
        Bound.MAX,
        _count(lambda m: m.get("receivables", {}).get("remittances_unapplied", 0)),
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


def _not_measurable(name: str, threshold: float, bound: Bound) -> SlaResult:
    why = f"reads {HUB_STATE_SLAS[name]}, which an external hub does not expose"
    return SlaResult(name, None, float(threshold), bound, True, False, unit_of(name), why)


def evaluate(
    sla: SlaSpec, metrics: dict[str, Any], *, judged_from: JudgedFrom = JudgedFrom.IN_PROCESS
) -> list[SlaResult]:
    """Every threshold the scenario sets, judged: the flat ones first, then the
    per-channel and per-percentile latency limits, named `measure.group.statistic`.
    `judged_from` must be how `metrics` were computed: judged from ground truth only,
    the thresholds on the hub's own state are not measurable."""
    hub_hidden = judged_from == JudgedFrom.GROUND_TRUTH
    results = []
    for name, (bound, read) in _FLAT.items():
        threshold = getattr(sla, name)
        if threshold is None:
            continue
        if hub_hidden and name in HUB_STATE_SLAS:
            results.append(_not_measurable(name, threshold, bound))
            continue
        value, at_least = read(metrics)
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
