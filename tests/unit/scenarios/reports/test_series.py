"""The chart data: latency distributions keep the quantile function's shape, tail
included, in a bounded number of points, and sync lag is summarised per bin of
simulated time."""

from __future__ import annotations

from scenarios.checking.histogram import RELATIVE_ERROR, record_all
from scenarios.reports.panels import tail_position
from scenarios.reports.series import bin_lags, quantiles


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
