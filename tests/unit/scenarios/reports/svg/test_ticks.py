"""The values axes are labelled at: round linear steps within the limits, round
durations on a log axis, the stretched percentile axis's ranks, and scales that put
values where the ticks say."""

from __future__ import annotations

import math

import pytest

from scenarios.reports import panels
from scenarios.reports.run_axes import count_axis, duration_axis
from scenarios.reports.run_charts import percentile_axis
from scenarios.reports.svg.scale import Linear, Log
from scenarios.reports.svg.ticks import duration_ticks, linear_ticks, nice_step


@pytest.mark.parametrize(
    ("low", "high", "intervals", "integer", "step"),
    [
        (0.0, 30.0, 8, False, 5.0),  # a day and its drain, in hours
        (0.0, 3.0, 8, False, 0.5),
        (0.0, 97.2, 4, True, 25.0),
        (0.0, 1.08, 4, True, 1.0),  # never a fractional count
        (0.0, 4.32, 4, True, 2.0),
        (0.0, 0.9, 4, False, 0.25),
        (0.0, 12_345.0, 4, True, 5000.0),
    ],
)
def test_nice_steps_are_round_and_few_enough(
    low: float, high: float, intervals: int, integer: bool, step: float
) -> None:
    assert nice_step(low, high, intervals, integer) == step
    ticks = linear_ticks(low, high, intervals, integer)
    assert len(ticks) - 1 <= intervals
    assert all(low <= t.value <= high for t in ticks)
    assert ticks[0].value == math.ceil(low / step) * step


def test_linear_labels_carry_the_step_s_decimals_and_thousands() -> None:
    assert [t.label for t in linear_ticks(0.0, 3.0, 8)] == [
        "0.0",
        "0.5",
        "1.0",
        "1.5",
        "2.0",
        "2.5",
        "3.0",
    ]
    assert [t.label for t in linear_ticks(0.0, 12_345.0, 4, integer=True)] == [
        "0",
        "5,000",
        "10,000",
    ]
    assert [t.label for t in linear_ticks(0.0, 0.9, 4)] == ["0.00", "0.25", "0.50", "0.75"]


def test_a_count_axis_is_whole_numbers_from_zero() -> None:
    axis = count_axis(1.08)
    assert axis.scale == Linear(0.0, 1.08)
    assert [t.label for t in axis.visible()] == ["0", "1"]


def test_duration_ticks_are_round_durations_within_the_axis() -> None:
    # a fifth of a second to forty minutes, drawn from 0.13 s to an hour: coarse ticks
    assert [t.label for t in duration_ticks(0.2, 2400.0)] == ["1s", "10s", "1m", "10m", "1h"]
    # a couple of minutes to an hour and a half: two coarse ticks would be too few
    assert [t.label for t in duration_ticks(100.0, 5820.0)] == [
        "2m",
        "5m",
        "10m",
        "30m",
        "1h",
        "2h",
    ]
    # nothing round near: still one tick, which the axis then leaves out
    assert [t.label for t in duration_ticks(1e6, 2e6)] == ["1s"]


def test_a_duration_axis_labels_only_within_its_limits() -> None:
    axis = duration_axis(3600.0, 5400.0)
    assert axis.scale == Log(2400.0, 8100.0)
    assert [t.label for t in axis.visible()] == [t.label for t in axis.ticks] == ["1h", "2h"]
    assert duration_axis(1e6, 2e6).visible() == []


def test_a_log_scale_places_decades_evenly_and_hides_zero() -> None:
    scale = Log(1.0, 1000.0)
    assert [scale.fraction(v) for v in (1.0, 10.0, 100.0, 1000.0)] == pytest.approx(
        [0, 1 / 3, 2 / 3, 1]
    )
    assert scale.fraction(0.0) < 0 and not scale.contains(0.0)
    assert Linear(0.0, 3.0).fraction(1.5) == 0.5


def test_the_percentile_axis_stretches_the_tail() -> None:
    """p90, p99 and p99.9 one step apart; a rank beyond the data is not labelled."""
    axis = percentile_axis(right=2.5)
    assert [t.label for t in axis.visible()] == ["p50", "p90", "p99"]
    at = {t.label: axis.scale.fraction(t.value) * 2.5 for t in axis.ticks}
    assert at["p90"] == pytest.approx(1.0) and at["p99"] == pytest.approx(2.0)
    assert at["p50"] == pytest.approx(math.log10(2))
    assert [t.label for t in percentile_axis(right=3.06).visible()] == [
        "p50",
        "p90",
        "p99",
        "p99.9",
    ]
    assert panels.tail_position(99.9) == pytest.approx(3.0)
