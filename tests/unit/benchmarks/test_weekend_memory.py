"""`make bench`'s peak-weekend memory figure: the longer day's peak over black-friday's,
each measured from its own process, and a run that never reached its end is a clear
error, not a figure."""

from __future__ import annotations

import pytest

from benchmarks import weekend_memory
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
    measured = WeekendMemory((_peak("black-friday", 400),), (_peak("peak-weekend", 600),))
    assert measured.ratio == 1.5
    shown = report(measured)
    assert "peak-weekend / black-friday 1.50x (goal <= 1x: missed)" in shown
    assert "black-friday under 512 MiB  met (ratio 0.78)" in shown
    assert "  black-friday                400 MiB peak RSS (passed;" in shown


def test_a_bounded_weekend_meets_the_goal_and_a_big_baseline_misses_its_limit() -> None:
    shown = report(WeekendMemory((_peak("black-friday", 600),), (_peak("peak-weekend", 590),)))
    assert "0.98x (goal <= 1x: met)" in shown
    assert "black-friday under 512 MiB  missed (ratio 1.17)" in shown


def test_a_run_that_failed_its_checks_is_still_measured_and_says_so() -> None:
    failed = _peak("peak-weekend", 500, Outcome.FAILED)
    assert "(failed;" in report(WeekendMemory((_peak("black-friday", 400),), (failed,)))


def test_several_runs_are_each_shown_and_the_goal_is_the_ratio_of_the_medians() -> None:
    measured = WeekendMemory(
        tuple(_peak("black-friday", mib) for mib in (374, 377, 371)),
        tuple(_peak("peak-weekend", mib) for mib in (378, 376, 380)),
    )
    assert measured.ratio == 378 / 374  # the medians, not any one pair
    assert measured.pair_ratios == [378 / 374, 376 / 377, 380 / 371]
    shown = report(measured)
    assert "each in a process of its own, 3 runs each, in turn" in shown
    assert "  black-friday, run 2         377 MiB peak RSS" in shown
    assert "  peak-weekend, run 3         380 MiB peak RSS" in shown
    assert "  black-friday, median        374.0 MiB (spread 6.0 MiB over 3 runs: " in shown
    assert "  peak-weekend, median        378.0 MiB (spread 4.0 MiB over 3 runs: " in shown
    assert "  each pair's ratio           1.011, 0.997, 1.024 (in the order run)" in shown
    assert "1.01x of the medians (goal <= 1x: missed)" in shown
    # the limit on the highest run, not the median
    assert "black-friday under 512 MiB  met (ratio 0.74, its highest run)" in shown


def test_an_even_number_of_runs_takes_the_middle_two_and_one_pair_a_side_is_refused() -> None:
    measured = WeekendMemory(
        (_peak("black-friday", 370), _peak("black-friday", 380)),
        (_peak("peak-weekend", 360), _peak("peak-weekend", 374)),
    )
    assert measured.ratio == 367 / 375
    assert "0.98x of the medians (goal <= 1x: met)" in report(measured)
    with pytest.raises(ValueError, match="as many runs"):
        WeekendMemory((_peak("black-friday", 370),), ())
    with pytest.raises(ValueError, match="as many runs"):
        WeekendMemory((), ())


def test_the_runs_alternate_between_the_two_scenarios(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def peak(scenario: str, overrides: object) -> Peak:
        ran.append(scenario)
        return _peak(scenario, 400)

    monkeypatch.setattr(weekend_memory, "peak_of", peak)
    monkeypatch.setattr(weekend_memory, "child_build", lambda: "sources")
    measured = weekend_memory.measure(runs=2)
    assert ran == ["black-friday", "peak-weekend"] * 2
    assert len(measured.baselines) == len(measured.longers) == 2


def test_runs_must_be_a_positive_whole_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--runs", "0"])
    assert exited.value.code == 2
    assert "--runs: expected a positive integer, got 0" in capsys.readouterr().err


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
