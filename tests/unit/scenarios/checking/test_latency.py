"""Censored latencies and the SLA limits that read them: an item never finished must
make a latency worse, never drop out of it."""

from __future__ import annotations

from typing import Any

from scenarios.checking.histogram import RELATIVE_ERROR
from scenarios.checking.latency import Latency, by_group, order_to_erp, order_to_ship, summarize
from scenarios.checking.metrics import Bound, evaluate
from scenarios.checking.observations import tally, walk
from scenarios.checking.order_figures import order_figures
from scenarios.checking.truth import gather
from scenarios.spec.loader import load_scenario
from scenarios.spec.scenario import OrderLatencyLimits, PercentileLimits, SlaSpec
from scenarios.twin.runtime import run


def _near(reported: object, exact: float) -> bool:
    """The histogram's value for an exact nearest-rank one: at or above it, by less
    than the stated relative error."""
    assert isinstance(reported, float)
    return exact <= reported < exact * (1 + RELATIVE_ERROR)


def _done(seconds: float, group: str = "web") -> Latency:
    return Latency(group, seconds, seconds)


def _open(seconds: float, group: str = "web") -> Latency:
    return Latency(group, seconds, seconds, censored=True)


def test_a_percentile_above_every_censored_item_is_exact() -> None:
    items = [_done(float(s)) for s in range(1, 100)] + [_open(10_000.0)]
    summary = summarize(items)
    assert summary["count"] == 100 and summary["censored"] == 1
    assert _near(summary["p95"], 95.0)
    assert summary["at_least"] == ["max", "mean"]


def test_a_percentile_resting_on_censored_items_is_a_lower_bound() -> None:
    # ten of a hundred never finished, each having waited 50 s when the run ended:
    # the true p95 could be anything from 85 s up, so it is "at least"
    items = [_done(float(s)) for s in range(1, 91)] + [_open(50.0) for _ in range(10)]
    summary = summarize(items)
    assert _near(summary["p95"], 85.0)
    assert "p95" in summary["at_least"] and "p99" in summary["at_least"]
    assert "p50" in summary["at_least"]  # a censored 50 s sits below the median


def test_dropping_unfinished_items_would_flatter_the_design() -> None:
    finished = [_done(1.0) for _ in range(90)]
    never = [_open(60_000.0) for _ in range(10)]
    assert summarize(finished)["p95"] == 1.0
    assert summarize(finished + never)["p95"] == 60_000.0


def test_below_two_seconds_percentiles_are_exact_to_the_millisecond() -> None:
    summary = summarize([_done(s / 1000) for s in range(1, 2001)])
    assert (summary["p50"], summary["p95"], summary["p99"]) == (1.0, 1.9, 1.98)
    assert summary["max"] == 2.0


def test_max_and_mean_stay_exact_where_percentiles_are_rounded_up() -> None:
    summary = summarize([_done(1000.0001), _done(3600.1234)])
    assert summary["max"] == 3600.123 and summary["mean"] == 2300.062
    assert summary["p99"] == 3600.123  # the range's top, capped at the exact max
    assert _near(summary["p50"], 1000.0)


def test_a_censored_wait_in_the_same_range_marks_the_percentile_a_bound() -> None:
    # 100.00 s and a censored 100.02 s share a 64 ms range: the marking errs toward
    # calling the value a lower bound rather than exact
    summary = summarize([_done(100.0) for _ in range(99)] + [_open(100.02)])
    assert "p50" in summary["at_least"]
    summary = summarize([_done(100.0) for _ in range(99)] + [_open(100.2)])
    assert summary["at_least"] == ["max", "mean"]


def test_groups_and_all_are_summarised_apart() -> None:
    groups = by_group([_done(1.0, "web"), _done(3.0, "marketplace"), _open(9.0, "web")])
    assert list(groups) == ["all", "marketplace", "web"]
    assert groups["all"]["count"] == 3 and groups["web"]["censored"] == 1


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
    assert _near(results["order_to_erp.web.p99"].value, 99.0)
    assert not results["order_to_erp.web.p99"].passed
    assert results["order_to_erp.marketplace.max"].passed
    assert results["order_to_erp.marketplace.max"].bound == Bound.MAX


def test_a_threshold_is_judged_against_the_value_the_histogram_reports() -> None:
    """An exact p95 of 2,700.4 s sits in a 2,048 ms range and reads up to 2,702.4 s: a
    limit set at exactly 2,700.4 s is breached (never passed on rounding), one at
    2,703 s is met."""
    waits = [_done(2_700.4) for _ in range(100)]
    p95 = by_group(waits)["all"]["p95"]
    assert isinstance(p95, float) and 2_700.4 <= p95 < 2_700.4 * (1 + RELATIVE_ERROR)
    assert p95 == 2_700.4  # capped at the exact max: every wait is the max here
    waits = [_done(2_700.4) for _ in range(99)] + [_done(9e3)]
    p95 = by_group(waits)["all"]["p95"]
    assert isinstance(p95, float) and 2_700.4 < p95 <= 2_702.4
    metrics = _metrics(order_to_erp_s=by_group(waits))
    for limit, passed in ((2_700.4, False), (2_703.0, True)):
        sla = SlaSpec(order_to_erp_p95_s=limit)
        [row] = [r for r in evaluate(sla, metrics) if r.name == "order_to_erp_p95_s"]
        assert row.value == p95 and row.passed is passed


def test_erp_ledger_drift_is_gated_at_zero_by_default() -> None:
    results = {r.name: r for r in evaluate(SlaSpec(), _metrics(erp_ledger={"drift": 3}))}
    assert results["erp_ledger_drift_max"].threshold == 0.0
    assert not results["erp_ledger_drift_max"].passed


def test_a_tally_summarizes_as_by_group_and_keeps_what_the_exporter_needs() -> None:
    """One walk (`observations.tally`) gives the verdict's summaries `by_group` gives,
    and, for metrics.prom, the finished items' buckets and the unfinished ones' number
    and oldest age per group."""
    items = [_done(1.5), _open(900.0), _done(0.2, "marketplace"), _open(30.0), _done(7.0)]
    walked = tally(items, exported=True)
    assert walked.summaries() == by_group(items)
    assert walked.unfinished == {"web": (2, 900.0)}
    assert walked.finished["web"].cumulative()[1] == 8.5
    assert set(walked.finished) == {"web", "marketplace"}
    verdict_only = tally(items, exported=False)
    assert verdict_only.summaries() == by_group(items)
    assert not verdict_only.finished and not verdict_only.unfinished


def test_the_two_order_measures_walked_together_are_each_walked_alone() -> None:
    """`observations.walk` tallies placed -> ERP and placed -> shipped in one walk over
    the orders (`latency.order_latencies`): the same as each measure's own walk."""
    day = run(load_scenario("steady-day", ("scenario.scale=0.1",)))
    truth = gather(day)
    walked = walk(day, truth)
    alone = (order_to_erp(day, truth), order_to_ship(day, truth))
    for together, items in zip((walked.order_to_erp, walked.order_to_ship), alone, strict=True):
        by_itself = tally(items, exported=True)
        assert together.summaries() == by_itself.summaries()
        assert together.unfinished == by_itself.unfinished
        assert {g: b.cumulative() for g, b in together.finished.items()} == {
            g: b.cumulative() for g, b in by_itself.finished.items()
        }
    # the orders' counts metrics.prom and the charts read, tallied in the same walk
    assert walked.orders == order_figures(truth)
    assert sum(walked.orders.orders.values()) == len(truth.orders)
