"""A sampled gauge's series packed in the narrowest integers: it reads back exactly
the floats appended, as a list of doubles would, whatever values come."""

from __future__ import annotations

import math
import random
from array import array

import pytest

from scenarios.twin.sampled_series import SampledSeries


def _same(series: SampledSeries, expected: list[float]) -> None:
    assert len(series) == len(expected)
    got = list(series)
    assert [math.copysign(1.0, v) for v in got] == [math.copysign(1.0, v) for v in expected]
    assert [v.hex() for v in got] == [v.hex() for v in expected]
    assert all(type(v) is float for v in got)
    assert [series[i].hex() for i in range(-len(expected), len(expected))] == [
        v.hex() for v in expected * 2
    ]
    assert [v.hex() for v in series[1::3]] == [v.hex() for v in expected[1::3]]


@pytest.mark.parametrize(
    ("values", "typecode"),
    [
        ([0.0, 0.0, 3.0, 127.0, -128.0], "b"),
        ([0.0, 128.0, -5.0], "h"),
        ([1.0, 40_000.0, 2.0], "i"),
        ([1.0, float(2**40), -7.0], "q"),
        ([1.0, float(2**63), 3.0], "d"),
        ([1.0, 2.0, 2.5, 3.0], "d"),
        ([1.0, -0.0, 0.0], "d"),
        ([3.0, math.inf, 1.0], "d"),
        ([], "b"),
    ],
)
def test_reads_back_every_float_held_as_narrow_as_it_can(
    values: list[float], typecode: str
) -> None:
    series = SampledSeries(values)
    _same(series, values)
    assert series.typecode == typecode


def test_a_nan_reads_back_as_nan() -> None:
    series = SampledSeries([1.0, math.nan, 2.0])
    assert math.isnan(series[1]) and series[0] == 1.0 and series[2] == 2.0


def test_answers_as_an_array_of_doubles_over_random_gauges() -> None:
    rng = random.Random(18)
    for _ in range(200):
        doubles: array[float] = array("d")
        series = SampledSeries()
        scale = rng.choice([1, 100, 10_000, 2**40])
        for _ in range(rng.randrange(60)):
            value = float(rng.randrange(-scale, scale))
            if rng.random() < 0.02:
                value += 0.5
            doubles.append(value)
            series.append(value)
        _same(series, list(doubles))
        assert max(series, default=0) == max(doubles, default=0)


def test_holds_a_small_gauge_in_a_byte_a_value() -> None:
    series = SampledSeries([float(n % 50) for n in range(6_000)])
    assert series.typecode == "b"
