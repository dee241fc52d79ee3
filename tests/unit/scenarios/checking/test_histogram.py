"""The streaming latency histogram: every percentile within the stated bound of the
exact nearest-rank value, never below it, and still worse when the waits are."""

from __future__ import annotations

import math

from hdrh.histogram import HdrHistogram
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.checking.histogram import (
    EXACT_BELOW_UNITS,
    RELATIVE_ERROR,
    LatencyHistogram,
    _high,
    _low,
    precision,
    record_all,
)
from scenarios.checking.latency import Latency, summarize

#: waits from nothing to 30 days, in seconds, most of them short as latencies are
WAITS = st.one_of(
    st.floats(min_value=0.0, max_value=5.0),
    st.floats(min_value=0.0, max_value=3_600.0),
    st.floats(min_value=0.0, max_value=30 * 86_400.0),
)
PERCENTS = st.floats(min_value=0.0, max_value=100.0)


def _exact_ms(values: list[float], q: float) -> int:
    """The exact nearest-rank value, in whole milliseconds."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return round(ordered[rank - 1] * 1000)


@settings(max_examples=300, deadline=None)
@given(st.lists(WAITS, min_size=1, max_size=400), st.lists(PERCENTS, min_size=1, max_size=5))
def test_every_percentile_is_within_the_stated_bound_of_the_exact_one(
    values: list[float], qs: list[float]
) -> None:
    histogram = record_all(values)
    for q in qs:
        exact = _exact_ms(values, q)
        got = round(histogram.percentile(q) * 1000)
        assert got >= exact  # never flatters
        if exact < EXACT_BELOW_UNITS:
            assert got == exact
        else:
            assert got - exact < exact * RELATIVE_ERROR


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(WAITS, st.floats(min_value=0.0, max_value=3_600.0)), min_size=1),
    PERCENTS,
)
def test_a_slower_design_never_reads_faster(pairs: list[tuple[float, float]], q: float) -> None:
    """Every wait longer (or equal): no percentile, max or mean may go down."""
    faster = [Latency("web", wait, 0.0) for wait, _ in pairs]
    slower = [Latency("web", wait + more, 0.0) for wait, more in pairs]
    before, after = summarize(faster), summarize(slower)
    for name in ("p50", "p95", "p99", "max", "mean"):
        assert after[name] >= before[name]  # type: ignore[operator]
    assert record_all(i.seconds for i in slower).percentile(q) >= record_all(
        i.seconds for i in faster
    ).percentile(q)


@given(st.integers(min_value=0, max_value=2**43))  # 2**43 ms: 278 years
def test_the_ranges_are_the_librarys(units: int) -> None:
    """`_low`, computed inline for speed, is hdrh's own lowest equivalent value, and a
    range spans at most 1/1024 of any value in it."""
    library = HdrHistogram(1, 2, 3)
    assert _low(units) == library.get_lowest_equivalent_value(units)
    assert _high(_low(units)) == library.get_highest_equivalent_value(units)
    if units >= EXACT_BELOW_UNITS:
        assert (_high(_low(units)) + 1 - _low(units)) <= units * RELATIVE_ERROR
    histogram = LatencyHistogram()
    histogram.record(units / 1000)
    assert list(histogram.counts) == [_low(units)]


@given(st.lists(st.tuples(WAITS, st.booleans()), max_size=50), st.lists(WAITS, max_size=50))
def test_merged_histograms_are_one_over_both(
    first: list[tuple[float, bool]], second: list[float]
) -> None:
    a, b, both = LatencyHistogram(), LatencyHistogram(), LatencyHistogram()
    for seconds, censored in first:
        a.record(seconds, censored)
        both.record(seconds, censored)
    for seconds in second:
        b.record(seconds)
        both.record(seconds)
    a.merge(b)
    assert (a.counts, a.count, a.censored, a.max_s) == (
        both.counts,
        both.count,
        both.censored,
        both.max_s,
    )
    assert a.lowest_censored_s == both.lowest_censored_s
    assert math.isclose(a.sum_s, both.sum_s, rel_tol=1e-12, abs_tol=1e-9)


def test_exact_statistics_kept_alongside() -> None:
    histogram = LatencyHistogram()
    for seconds, censored in ((3.5, False), (7200.25, True), (7200.125, True), (0.0, False)):
        histogram.record(seconds, censored)
    assert histogram.count == 4 and histogram.censored == 2
    assert histogram.max_s == 7200.25 and histogram.lowest_censored_s == 7200.125
    assert histogram.mean_s == (3.5 + 7200.25 + 7200.125) / 4


def test_counters_stay_few_however_many_samples() -> None:
    histogram = record_all(i * 0.0137 for i in range(200_000))  # 0 .. 45 min
    assert histogram.count == 200_000
    # 2,048 exact millisecond counters, then 1,024 per doubling up to 2,740 s
    assert len(histogram.counts) <= EXACT_BELOW_UNITS + 1024 * 11


def test_the_report_states_the_bound() -> None:
    stated = precision()
    assert stated["significant_digits"] == 3 and stated["unit_s"] == 0.001
    assert stated["relative_error"] == round(1 / 1024, 6) < 0.001
