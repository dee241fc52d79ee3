"""The chart data: latency distributions keep the quantile function's shape, tail
included, in a bounded number of points, and sync lag is summarised per bin of
simulated time."""

from __future__ import annotations

from scenarios.checking.histogram import RELATIVE_ERROR, record_all
from scenarios.checking.observations import walk
from scenarios.checking.truth import gather
from scenarios.reports.panels import tail_position
from scenarios.reports.series import bin_lags, extract, quantiles
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run


def test_quantiles_keep_every_value_when_few() -> None:
    q = quantiles(record_all([3.0, 1.0, 2.0]))
    assert q.value_s == [1.0, 2.0, 3.0]
    assert q.count == 3
    # Hazen's ranks: the i-th of n sorted values at 100 (i + 0.5) / n
    assert q.pct == [100 / 6, 50.0, 500 / 6]


def test_quantiles_keep_the_extremes_and_the_tail_when_many() -> None:
    q = quantiles(record_all(float(v) for v in range(10_000)), points=100)
    assert len(q.value_s) <= 100 and q.count == 10_000
    assert q.value_s[0] == 0.0 and q.value_s[-1] == 9999.0  # the max is exact
    assert q.value_s == sorted(q.value_s) and q.pct == sorted(q.pct)
    # evenly spaced ranks alone would put one point above p99; half the points are
    # spread along the stretched tail, so p99..max is drawn from many
    assert sum(1 for p in q.pct if p > 99.0) >= 15
    # and the body is not starved: points between p10 and p90 too
    assert sum(1 for p in q.pct if 10.0 < p < 90.0) >= 30
    # each point is the value at its Hazen rank, to the histogram's precision
    for pct, value in zip(q.pct, q.value_s, strict=True):
        exact = round(pct / 100 * 10_000 - 0.5)
        assert exact <= value < exact * (1 + RELATIVE_ERROR) + 1e-9


def test_the_tail_scale_puts_each_nine_one_step_further() -> None:
    assert tail_position(0.0) == 0.0
    assert [round(tail_position(p), 6) for p in (90.0, 99.0, 99.9)] == [1.0, 2.0, 3.0]


def test_lags_are_binned_by_when_the_feed_arrived() -> None:
    times = [10.0, 20.0, 30.0, 700.0, 1900.0]
    lags = [1.0, 2.0, 30.0, 5.0, 900.0]
    bins = bin_lags(times, lags, end_s=1800.0, bin_s=600.0)
    # the bin starting at 1800 s is the last one inside the run; 600-1200 has one feed
    assert bins.start_s == [0.0, 600.0, 1800.0]
    assert bins.p50_s == [2.0, 5.0, 900.0]
    assert bins.p95_s == [30.0, 5.0, 900.0]
    assert bins.max_s == [30.0, 5.0, 900.0]
    assert bins.count == [3, 1, 1]


def test_the_series_read_the_verdicts_walk_as_they_would_walk_again() -> None:
    """`extract` with the latencies tallied for the verdict (`observations.walk`, as
    `run --out` passes them) gives the series extracted by walking them again."""
    # the fail-fast design of issue 13: orders never booked, drawn at their wait so far
    overrides = ["scenario.scale=0.1", "hub.erp_buffer=false", "hub.auto_replay=false"]
    result = run(load_scenario("erp-outage", overrides))
    truth = gather(result)
    walked = walk(result, truth)
    assert sum(h.censored for h in walked.order_to_erp.histograms.values())
    assert extract(result, truth, "x", walked) == extract(result, truth, "x")
