"""`make bench` puts the hub's cost next to bare SimPy's, both in CPU time and measured
in the same process, bare SimPy in slices between the run's steps, so the ratio does
not move with the machine's load. No wall-clock limit is asserted here: these tests
check what is measured and how, not how fast it is."""

from __future__ import annotations

import time
from typing import Any

import pytest
import simpy

from benchmarks import bare_simpy
from benchmarks.bare_simpy import SHALLOW_DEPTH, InterleavedBareSimPy, bare_slice
from benchmarks.run_speed import hub_ratios
from scenarios.spec.loader import scenario_from_dict
from scenarios.twin.hub_driver import HubDriver
from scenarios.twin.runtime import pending_events, run


class SleepingHub:
    """A hub that takes wall time but no CPU time over each message."""

    def receive(self, source: str, message_id: int, payload: dict[str, Any]) -> None:
        time.sleep(0.05)


def test_the_hub_is_timed_in_cpu_time_not_wall_time() -> None:
    driver = HubDriver()
    driver.hub = SleepingHub()  # type: ignore[assignment]
    started = time.perf_counter()
    for message_id in range(4):
        driver.receive("web", message_id, {})
    assert time.perf_counter() - started >= 0.2
    assert driver.calls == 4
    assert driver.cpu_seconds < 0.1  # sleeping is not running


def test_a_bare_slice_runs_the_events_asked_at_the_depth_asked() -> None:
    events, cpu_seconds = bare_slice(5_000, 300)
    assert 4_500 <= events <= 5_500
    assert cpu_seconds > 0


def test_bare_slices_are_cpu_timed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The slices read the thread's CPU clock, not the wall clock."""
    reads: list[float] = []
    ticks = iter(range(1_000))

    def fake_thread_time() -> float:
        reads.append(next(ticks))
        return reads[-1]

    monkeypatch.setattr(bare_simpy, "thread_time", fake_thread_time)
    events, cpu_seconds = bare_slice(1_000, 10)
    assert reads == [0, 1] and cpu_seconds == 1
    assert events > 0


def _tiny_run(hook: Any) -> Any:
    scenario = scenario_from_dict(
        {
            "scenario": {"name": "tiny", "description": "A tiny day.", "duration": "2h"},
            "world": {"skus": 20, "stores": 4, "customers": 50},
        }
    )
    return run(scenario, between_steps=hook)


def test_bare_simpy_is_measured_between_the_runs_steps_at_its_queue_depth() -> None:
    seen: list[tuple[float, int]] = []
    bare = InterleavedBareSimPy(min_events=100)

    def hook(env: simpy.Environment) -> None:
        seen.append((float(env.now), pending_events(env)))
        bare(env)

    result = _tiny_run(hook)
    steps = len(seen)
    assert steps >= 100  # interleaved all through the run, not once after it
    assert [now for now, _ in seen] == sorted(now for now, _ in seen)
    assert bare.slices == steps
    # as many bare events as the run processed, at each depth
    assert bare.at_depth.events >= 0.9 * result.seal.sim_events
    assert bare.shallow.events == pytest.approx(bare.at_depth.events, rel=0.1)
    assert bare.shallow.depth == SHALLOW_DEPTH
    depths = [depth for _, depth in seen]
    assert min(depths) <= bare.at_depth.depth <= max(depths)
    assert bare.cpu_seconds > bare.at_depth.cpu_seconds + bare.shallow.cpu_seconds
    assert result.seal.hub_cpu_seconds > 0


def test_the_ratio_is_hub_cpu_per_event_over_bare_cpu_per_event() -> None:
    figures = {
        "hub_cpu_seconds": 2.0,
        "simulated_events": 100_000,
        "bare_cpu_seconds_per_event_at_depth": 4e-6,
        "bare_cpu_seconds_per_event": 2e-6,
    }
    assert hub_ratios(figures) == pytest.approx((5.0, 10.0))


def test_the_meter_is_priced_as_the_driver_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty bracket costs what the clock moved between its two reads, on average."""
    ticks = iter([0.0, 1.0, 5.0, 8.0])
    monkeypatch.setattr(bare_simpy, "thread_time", lambda: next(ticks))
    assert bare_simpy.meter_bracket_seconds(2) == 2.0  # (1 + 3) / 2


def test_the_hub_net_of_its_meter_takes_the_meter_off_every_hub_call() -> None:
    from benchmarks.run_speed import meter_report

    figures = {
        "meter_cpu_seconds_per_call": 0.5e-6,
        "hub_cpu_seconds": 3.0,
        "hub_calls": 2_000_000,
        "simulated_events": 1_000_000,
        "bare_cpu_seconds_per_event_at_depth": 1e-6,
    }
    # 3.0 s less 2,000,000 x 0.5 us = 2.0 s over 1,000,000 events: 2 us, 2x bare SimPy
    assert "2.00 us CPU per simulated event, 2.00x" in meter_report(figures)
