"""Censored latencies and the SLA limits that read them: an item never finished must
make a latency worse, never drop out of it."""

from __future__ import annotations

from typing import Any

from scenarios.checking.latency import Latency, _lags, by_group, summarize
from scenarios.checking.metrics import Bound, evaluate
from scenarios.spec.scenario import OrderLatencyLimits, PercentileLimits, SlaSpec


def _done(seconds: float, group: str = "web") -> Latency:
    return Latency(group, seconds, seconds)


def _open(seconds: float, group: str = "web") -> Latency:
    return Latency(group, seconds, seconds, censored=True)


def test_a_percentile_above_every_censored_item_is_exact() -> None:
    items = [_done(float(s)) for s in range(1, 100)] + [_open(10_000.0)]
    summary = summarize(items)
    assert summary["count"] == 100 and summary["censored"] == 1
    assert summary["p95"] == 95.0
    assert summary["at_least"] == ["max", "mean"]


def test_a_percentile_resting_on_censored_items_is_a_lower_bound() -> None:
    # ten of a hundred never finished, each having waited 50 s when the run ended:
    # the true p95 could be anything from 85 s up, so it is "at least"
    items = [_done(float(s)) for s in range(1, 91)] + [_open(50.0) for _ in range(10)]
    summary = summarize(items)
    assert summary["p95"] == 85.0
    assert "p95" in summary["at_least"] and "p99" in summary["at_least"]
    assert "p50" in summary["at_least"]  # a censored 50 s sits below the median


def test_dropping_unfinished_items_would_flatter_the_design() -> None:
    finished = [_done(1.0) for _ in range(90)]
    never = [_open(60_000.0) for _ in range(10)]
    assert summarize(finished)["p95"] == 1.0
    assert summarize(finished + never)["p95"] == 60_000.0


def test_groups_and_all_are_summarised_apart() -> None:
    groups = by_group([_done(1.0, "web"), _done(3.0, "marketplace"), _open(9.0, "web")])
    assert list(groups) == ["all", "marketplace", "web"]
    assert groups["all"]["count"] == 3 and groups["web"]["censored"] == 1


def test_a_movement_is_seen_by_the_first_feed_that_includes_its_sequence() -> None:
    moved_at = [10.0, 20.0, 30.0, 40.0]
    # the view learned of movement 1 at 12, then jumped straight to movement 3 at 50
    # (movement 2 was folded into 3's count), and never saw movement 4
    lags = _lags("web", moved_at, [(1, 12.0), (3, 50.0)], end=100.0)
    assert [(lag.seconds, lag.censored) for lag in lags] == [
        (2.0, False),
        (30.0, False),
        (20.0, False),
        (60.0, True),
    ]


def _metrics(**overrides: Any) -> dict[str, Any]:
    empty = {"all": summarize([])}
    metrics: dict[str, Any] = {
        "order_to_erp_s": empty,
        "order_to_ship_s": empty,
        "sync_lag_s": empty,
        "return_to_refund_s": empty,
        "marketplace_ack": {"within_window_pct": 100.0},
        "recovery": {"dead_letter_drain_s": 0.0, "erp_queue_depth_max": 0},
        "oversell": {"oversold_units": 0, "oversell_rate_pct": 0.0},
        "volumes": {"reconciliation_drift": 0},
        "erp_ledger": {"drift": 0},
        "duplicated_effects": {"rate_pct": 0.0},
        "reconciliation_backlog": {"max": 0},
        "exception_queue": {"oldest_age_s": 0.0},
    }
    metrics.update(overrides)
    return metrics


def test_a_bound_over_the_limit_fails_and_one_within_it_says_at_least() -> None:
    """A p95 resting on orders never booked is at least its value: over the limit it
    fails for certain; within it, the unfinished orders have not broken it yet."""
    items = [_done(1.0) for _ in range(90)] + [_open(100.0) for _ in range(10)]
    metrics = _metrics(order_to_erp_s=by_group(items))
    for limit, passed in ((60.0, False), (900.0, True)):
        sla = SlaSpec(order_to_erp_p95_s=limit)
        [result] = [r for r in evaluate(sla, metrics) if r.name == "order_to_erp_p95_s"]
        assert result.value == 100.0 and result.at_least and result.passed is passed


def test_limits_by_channel_and_percentile_are_named_and_judged() -> None:
    items = [_done(float(s), "web") for s in range(1, 101)] + [_done(5.0, "marketplace")]
    sla = SlaSpec(
        order_to_erp=OrderLatencyLimits(
            web=PercentileLimits(p99_s=50.0), marketplace=PercentileLimits(max_s=60.0)
        )
    )
    results = {r.name: r for r in evaluate(sla, _metrics(order_to_erp_s=by_group(items)))}
    assert results["order_to_erp.web.p99"].value == 99.0
    assert not results["order_to_erp.web.p99"].passed
    assert results["order_to_erp.marketplace.max"].passed
    assert results["order_to_erp.marketplace.max"].bound == Bound.MAX


def test_erp_ledger_drift_is_gated_at_zero_by_default() -> None:
    results = {r.name: r for r in evaluate(SlaSpec(), _metrics(erp_ledger={"drift": 3}))}
    assert results["erp_ledger_drift_max"].threshold == 0.0
    assert not results["erp_ledger_drift_max"].passed
