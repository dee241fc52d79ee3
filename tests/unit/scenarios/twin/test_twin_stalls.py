"""A test's stalls of the twin (scenarios/twin/external/stalls.py): a stall at a time
stops the day's stepping exactly there; one waiting for a call lets the day run on until
a call is open, then happens once."""

from __future__ import annotations

from scenarios.twin.external.stalls import Stall, StallSchedule


def test_a_stall_at_a_time_happens_exactly_then_and_once() -> None:
    stalls = StallSchedule([Stall(200.0, 0.0), Stall(100.0, 0.01)], lambda _system: 0)
    assert stalls.cap(150.0) == 100.0  # the earlier one first, whatever the order given
    stalls.stall_if_due(99.0)
    assert stalls.stalled_wall_s == 0.0
    stalls.stall_if_due(100.0)
    assert stalls.stalled_wall_s == 0.01
    stalls.stall_if_due(100.0)
    assert stalls.stalled_wall_s == 0.01
    assert stalls.cap(150.0) == 150.0 and stalls.cap(250.0) == 200.0


def test_a_stall_waiting_for_a_call_lets_the_day_run_until_one_is_open() -> None:
    open_calls = {"erp": 0}
    stalls = StallSchedule([Stall(100.0, 0.01, during_call_to="erp")], open_calls.__getitem__)
    assert stalls.cap(500.0) == 500.0  # the hub may need the time to pass to call at all
    stalls.stall_if_due(300.0)
    assert stalls.stalled_wall_s == 0.0
    open_calls["erp"] = 1
    stalls.stall_if_due(301.0)
    assert stalls.stalled_wall_s == 0.01
    stalls.stall_if_due(302.0)
    assert stalls.stalled_wall_s == 0.01
