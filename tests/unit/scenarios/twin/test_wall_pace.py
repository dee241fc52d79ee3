"""The wall-clock pace of a run against an external hub: a twin that falls behind
catches up a little and lets the rest slip, rather than race through simulated time
while the hub's answers still take wall time."""

from __future__ import annotations

import time

import pytest

from scenarios.twin.external.pace import MAX_BEHIND_WALL_S, WallPace

SPEED = 600.0


def test_a_twin_on_time_steps_to_the_wall_clocks_target() -> None:
    pace = WallPace(SPEED, started_at=time.perf_counter() - 1.0)  # one wall second in
    target = pace.keep_up(sim_now=SPEED * 1.0 - 1.0)
    assert target == pytest.approx(SPEED * 1.0, abs=SPEED * 0.01)
    assert pace.slipped_wall_s == 0.0


def test_a_starved_twin_slips_beyond_the_catch_up_allowance() -> None:
    pace = WallPace(SPEED, started_at=time.perf_counter() - 2.0)  # two wall seconds in
    target = pace.keep_up(sim_now=SPEED * 1.0)  # but only one second's day was run
    # it steps at most MAX_BEHIND_WALL_S of simulated time ahead, not the second it lost
    assert target - SPEED * 1.0 == pytest.approx(MAX_BEHIND_WALL_S * SPEED, rel=0.05)
    assert pace.slipped_wall_s == pytest.approx(1.0 - MAX_BEHIND_WALL_S, abs=0.01)
    # and the slip is kept: the wall clock's target now runs from the later start
    assert pace.target() == pytest.approx(target, abs=SPEED * 0.01)
