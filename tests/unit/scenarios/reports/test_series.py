"""The chart data: latency quantiles keep an ECDF's shape in a bounded number of
points, and sync lag is summarised per bin of simulated time."""

from __future__ import annotations

from scenarios.reports.series import bin_lags, quantiles


def test_quantiles_keep_every_value_when_few_and_the_extremes_when_many() -> None:
    assert quantiles([3.0, 1.0, 2.0]) == [1.0, 2.0, 3.0]
    many = quantiles((float(v) for v in range(10_000)), points=101)
    assert len(many) == 101
    assert many[0] == 0.0 and many[-1] == 9999.0 and many[50] == 5000.0


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
