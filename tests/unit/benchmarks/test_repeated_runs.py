"""benchmarks/repeated_runs.py and `run_speed --runs`: issue 18's two ratios judged by
the median of several child runs, each run's ratio still its own run over the floor
timed beside it, printed with the lowest and highest, so one child's floor cannot
decide met or missed alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from benchmarks import run_speed
from benchmarks.repeated_runs import Spread, hub_ratio, median_run, whole_run_ratio


def child(cpu_s: float, floor_us: float, hub_s: float = 1.0, wall_s: float = 50.0) -> Any:
    """A child run's figures: 1,000,000 events, the floor at depth `floor_us`."""
    return {
        "peak_rss_bytes": 300 * 2**20,
        "hub_build": "compiled",
        "simulators_build": "compiled",
        "wall_seconds": wall_s,
        "cpu_seconds": cpu_s,
        "simulated_events": 1_000_000,
        "hub_cpu_seconds": hub_s,
        "hub_calls": 400_000,
        "channel_orders": 1_000,
        "store_sales": 2_000,
        "passed": True,
        "bare_slices": 200,
        "bare_events": 1_000_000,
        "queue_depth": 11_522,
        "bare_cpu_seconds_per_event": 1e-6,
        "bare_cpu_seconds_per_event_at_depth": floor_us * 1e-6,
        "meter_cpu_seconds_per_call": 0.4e-6,
    }


def test_each_ratio_is_the_runs_cpu_over_the_floor_timed_in_the_same_run() -> None:
    run = child(cpu_s=16.0, floor_us=2.0, hub_s=5.0)
    assert whole_run_ratio(run) == pytest.approx(8.0)  # 16 us an event over 2 us
    assert hub_ratio(run) == pytest.approx(2.5)


def test_a_spread_is_the_median_and_the_range() -> None:
    spread = Spread.of([8.4, 7.9, 8.1])
    assert (spread.median, spread.low, spread.high) == (8.1, 7.9, 8.4)
    assert spread.describe() == "8.10x (median of 3 runs: 8.40x 7.90x 8.10x, range 6%)"
    assert Spread.of([7.5]).describe() == "7.50x (one run)"


def test_the_median_run_is_the_middle_by_the_whole_runs_ratio_not_by_cpu() -> None:
    slow_machine = child(cpu_s=24.0, floor_us=3.0)  # 8x
    quick = child(cpu_s=14.0, floor_us=2.0)  # 7x
    unlucky = child(cpu_s=18.0, floor_us=2.0)  # 9x
    assert median_run([unlucky, slow_machine, quick]) is slow_machine
    assert median_run([unlucky, quick]) is quick  # the lower of an even count's two


def test_the_report_judges_the_median_ratio_and_prints_the_range() -> None:
    """Two of three children meet 8x: the goal is met though one read 9x."""
    runs = [child(15.0, 2.0, 4.0), child(18.0, 2.0, 4.4), child(23.7, 3.0, 6.0)]
    text = run_speed.report("black-friday", runs)
    assert "7.90x (median of 3 runs: 7.50x 9.00x 7.90x, range 20%) CPU per event" in text
    assert "target <= 8x: met" in text
    assert "2.00x (median of 3 runs: 2.00x 2.20x 2.00x, range 10%) at the run's queue depth" in text
    assert "target <= 2.5x: met" in text
    floors = "the floor at depth 2.00 us (median of 3 runs: 2.00 us 2.00 us 3.00 us, range 50%)"
    assert floors in text
    assert "CPU 23.7 s" in text  # the median run's own figures
    assert "3 children one after another" in text


def test_one_child_that_misses_makes_the_goal_missed() -> None:
    text = run_speed.report("black-friday", [child(18.2, 2.0)])
    assert "9.10x (one run)" in text and "target <= 8x: missed" in text
    assert "1 child one after another" in text


def test_runs_children_are_run_one_after_another(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Sequence[str]] = []

    def run_child(name: str, overrides: Sequence[str], orders_factor: float = 1.0) -> Any:
        asked.append(overrides)
        return child(16.0 + len(asked), 2.0)

    monkeypatch.setattr(run_speed, "_run_child", run_child)
    code = run_speed.main(
        ["black-friday", "--runs", "3", "--no-journal-cost", "--compare-scale", "0"]
    )
    assert code == 0 and asked == [[], [], []]


@pytest.mark.parametrize("runs", ["0", "-1", "three"])
def test_runs_that_are_not_a_positive_count_are_refused_before_any_child(
    runs: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def run_child(*_: object, **__: object) -> dict[str, float]:
        raise AssertionError("no child may start on bad input")

    monkeypatch.setattr(run_speed, "_run_child", run_child)
    with pytest.raises(SystemExit) as stopped:
        run_speed.main(["black-friday", "--runs", runs])
    assert stopped.value.code == 2
    assert "--runs" in capsys.readouterr().err
