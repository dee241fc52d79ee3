"""SLA thresholds judged (scenarios/checking/sla.py): for a hub judged from ground truth
only, a threshold on the hub's own state is not measurable, said so and not failed;
every other threshold is judged as it is in-process."""

from __future__ import annotations

from typing import Any

from scenarios.checking.judging import JudgedFrom
from scenarios.checking.sla import HUB_STATE_SLAS, SlaOutcome, evaluate
from scenarios.spec.scenario import SlaSpec

#: what metrics.compute leaves of the hub's figures when judging from ground truth
GROUND_TRUTH_METRICS: dict[str, Any] = {
    "order_to_erp_s": {"all": {"p95": 400.0, "at_least": []}},
    "order_to_ship_s": {"all": {}},
    "sync_lag_s": {"all": {}},
    "marketplace_ack": {"within_window_pct": 100.0},
    "return_to_refund_s": {"gateway": {}},
    "recovery": {"erp_backlog_max": 3},
    "oversell": {"oversold_units": 0, "oversell_rate_pct": 0.0},
    "erp_ledger": {"drift": 0},
    "duplicated_effects": {"rate_pct": 0.0},
    "reconciliation_backlog": {"max": 2},
    "volumes": {"channel_orders": 10},
}
IN_PROCESS_METRICS: dict[str, Any] = {
    **GROUND_TRUTH_METRICS,
    "recovery": {"dead_letter_drain_s": None, "erp_queue_depth_max": 900, "erp_backlog_max": 3},
    "exception_queue": {"oldest_age_s": 7200.0},
    "volumes": {"channel_orders": 10, "reconciliation_drift": 4},
}
SLA = SlaSpec(
    order_to_erp_p95_s=300.0,
    dead_letter_drain_s=1800.0,
    erp_queue_depth_max=500.0,
    reconciliation_drift_max=0.0,
    exception_queue_age_max_s=3600.0,
    reconciliation_backlog_max=1.0,
)


def test_thresholds_on_the_hubs_own_state_are_not_measurable_from_ground_truth() -> None:
    results = {
        s.name: s for s in evaluate(SLA, GROUND_TRUTH_METRICS, judged_from=JudgedFrom.GROUND_TRUTH)
    }
    unmeasured = {name for name, s in results.items() if s.outcome == SlaOutcome.NOT_MEASURABLE}
    assert unmeasured == set(HUB_STATE_SLAS)
    for name in HUB_STATE_SLAS:
        assert results[name].passed and results[name].value is None
        assert HUB_STATE_SLAS[name] in (results[name].not_measurable or "")
    # the systems' own figures are judged all the same, and can fail
    assert results["order_to_erp_p95_s"].outcome == SlaOutcome.BREACHED
    assert results["reconciliation_backlog_max"].outcome == SlaOutcome.BREACHED


def test_in_process_the_same_thresholds_are_measured_and_can_fail() -> None:
    results = {s.name: s for s in evaluate(SLA, IN_PROCESS_METRICS)}
    assert {name: results[name].outcome for name in HUB_STATE_SLAS} == dict.fromkeys(
        HUB_STATE_SLAS, SlaOutcome.BREACHED
    )
    assert results["dead_letter_drain_s"].not_measurable is None
