"""The demand rate by time of day, and the arrivals a run expects from it."""

from __future__ import annotations

import random

import pytest
import simpy

from simulators.demand import arrivals
from simulators.demand_profile import DemandProfile

HOURLY = tuple(float(hour + 1) for hour in range(24))  # hour h of the day: rate h + 1


def test_a_run_from_nine_begins_on_the_nine_oclock_rate() -> None:
    morning = DemandProfile(3600.0, HOURLY, [], 2 * 3600.0, day_start_s=9 * 3600.0)
    assert morning.rate(0.0) == pytest.approx(10.0)  # 09:00, per second
    assert morning.rate(3599.0) == pytest.approx(10.0)
    assert morning.rate(3600.0) == pytest.approx(11.0)  # 10:00
    assert morning.next_change(0.0) == 3600.0


def test_a_start_between_hours_changes_rate_on_the_clocks_hour() -> None:
    profile = DemandProfile(3600.0, HOURLY, [], 3 * 3600.0, day_start_s=9.5 * 3600.0)
    assert profile.rate(0.0) == pytest.approx(10.0)  # 09:30 is in the 09:00 hour
    assert profile.next_change(0.0) == pytest.approx(1800.0)  # 10:00 is half an hour in
    assert profile.rate(1800.0) == pytest.approx(11.0)


def test_peaks_count_from_the_runs_start() -> None:
    profile = DemandProfile(3600.0, HOURLY, [(3600.0, 7200.0, 2.0)], 3 * 3600.0, 9 * 3600.0)
    assert profile.rate(4000.0) == pytest.approx(2 * 11.0)  # 10:xx, doubled


def test_expected_arrivals_integrate_the_rate_over_the_clock() -> None:
    midnight = DemandProfile(3600.0, HOURLY, [], 2 * 3600.0)
    morning = DemandProfile(3600.0, HOURLY, [], 2 * 3600.0, day_start_s=9 * 3600.0)
    assert midnight.expected_arrivals() == pytest.approx(3600.0 * (1 + 2))
    assert morning.expected_arrivals() == pytest.approx(3600.0 * (10 + 11))
    wrapped = DemandProfile(3600.0, HOURLY, [], 2 * 3600.0, day_start_s=23 * 3600.0)
    assert wrapped.expected_arrivals() == pytest.approx(3600.0 * (24 + 1))  # past midnight


def test_the_arrival_gaps_are_the_draws_expovariate_makes() -> None:
    """`arrivals` draws its gaps inline, as Python 3.11's `random.expovariate` computes
    them (a call into the interpreted `random` module per arrival cost the compiled run
    dearly): the same seed must give the same arrival times as `expovariate`, or every
    digest would move."""
    rate_per_s = 0.02
    profile = DemandProfile(3600.0, (rate_per_s,) * 24, [], 3600.0)
    env = simpy.Environment()
    times: list[float] = []
    env.process(arrivals(env, profile, random.Random(7), 0.0, lambda: times.append(env.now)))
    env.run()
    reference, at, expected = random.Random(7), 0.0, []
    while (at := at + reference.expovariate(rate_per_s)) < 3600.0:
        expected.append(at)
    assert len(times) > 40
    assert times == expected
