"""`make bench`'s peak-weekend memory figure: the longer day's peak over black-friday's,
each measured from its own process, and a run that never reached its end is a clear
error, not a figure."""

from __future__ import annotations

import pytest

from benchmarks.weekend_memory import (
    MIB,
    Outcome,
    Peak,
    RunRefused,
    WeekendMemory,
    main,
    peak_of,
    report,
)


def _peak(scenario: str, mib: int, outcome: Outcome = Outcome.PASSED) -> Peak:
    return Peak(scenario, mib * MIB, 10.0, 12.0, outcome)


def test_the_ratio_is_the_longer_days_peak_over_the_baselines() -> None:
    measured = WeekendMemory(_peak("black-friday", 400), _peak("peak-weekend", 600))
    assert measured.ratio == 1.5
    shown = report(measured)
    assert "peak-weekend / black-friday 1.50x (goal <= 1x: missed)" in shown
    assert "black-friday under 512 MiB  met (ratio 0.78)" in shown
    assert "  black-friday                400 MiB peak RSS (passed;" in shown


def test_a_bounded_weekend_meets_the_goal_and_a_big_baseline_misses_its_limit() -> None:
    shown = report(WeekendMemory(_peak("black-friday", 600), _peak("peak-weekend", 590)))
    assert "0.98x (goal <= 1x: met)" in shown
    assert "black-friday under 512 MiB  missed (ratio 1.17)" in shown


def test_a_run_that_failed_its_checks_is_still_measured_and_says_so() -> None:
    failed = _peak("peak-weekend", 500, Outcome.FAILED)
    assert "(failed;" in report(WeekendMemory(_peak("black-friday", 400), failed))


def test_bad_input_exits_2_not_a_figure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:  # refused before the first run starts
        main(["--set", "scenario.scale=nope"])
    assert exited.value.code == 2
    said = capsys.readouterr().err
    assert "weekend_memory: error: " in said and "scenario.scale" in said
    assert "Traceback" not in said
    with pytest.raises(RunRefused, match=r"exited 2: .*scenario\.scale"):
        peak_of("black-friday", ["scenario.scale=-1"])
