"""`make bench`'s --out cost: the ratio is the median of the pairs' own ratios, in CPU
time, and the report says whether the goal was met."""

from __future__ import annotations

from pathlib import Path

from benchmarks.out_cost import OutCost, Timed, command, report


def _cost(*pairs: tuple[float, float]) -> OutCost:
    return OutCost(
        "steady-day",
        ("scenario.scale=0.05",),
        tuple((Timed(a, 99.0), Timed(b, 1.0)) for a, b in pairs),
    )


def test_the_ratio_is_the_median_pair_in_cpu_time_not_wall_time() -> None:
    # pair by pair 1.2, 2.0, 1.25: a slow moment of the machine moves one pair alone
    cost = _cost((3.6, 3.0), (8.0, 4.0), (5.0, 4.0))
    assert [round(r, 9) for r in cost.ratios] == [1.2, 2.0, 1.25]
    assert cost.ratio == 1.25
    assert cost.median_cpu(True) == 5.0 and cost.median_cpu(False) == 4.0


def test_the_wall_ratio_is_the_median_pair_in_wall_time() -> None:
    cost = OutCost(
        "steady-day",
        (),
        (
            (Timed(9.0, 2.4), Timed(1.0, 2.0)),
            (Timed(9.0, 6.0), Timed(1.0, 2.0)),
            (Timed(9.0, 2.6), Timed(1.0, 2.0)),
        ),
    )
    assert [round(r, 9) for r in cost.wall_ratios] == [1.2, 3.0, 1.3]
    assert cost.wall_ratio == 1.3
    shown = report(cost)
    assert "ratio, wall                 1.30x (goal <= 1.3x: met)" in shown
    assert "ratio, CPU                  9.00x (goal <= 1.3x: missed)" in shown


def test_the_report_gives_raw_seconds_and_the_goal() -> None:
    met = report(_cost((3.6, 3.0)))
    assert "3.60 s / 3.00 s" in met and "1.20x (goal <= 1.3x: met)" in met
    assert "steady-day --set scenario.scale=0.05" in met
    assert "missed" in report(_cost((6.0, 3.0)))


def test_the_report_gives_the_load_average_it_was_measured_under() -> None:
    loaded = OutCost("steady-day", (), ((Timed(2.0, 2.0), Timed(1.0, 1.0)),), (0.5, 6.25))
    assert "load average (1 min)        0.50 before, 6.25 after, on " in report(loaded)
    assert "load average" not in report(_cost((3.6, 3.0)))


def test_only_the_first_command_writes_a_folder() -> None:
    without = command("steady-day", ["scenario.scale=0.05"], None)
    with_out = command("steady-day", ["scenario.scale=0.05"], Path("/tmp/x"))
    assert with_out == [*without, "--out", "/tmp/x"]
    assert "--out" not in without
    assert without[-5:] == ["run", "steady-day", "--quiet", "--set", "scenario.scale=0.05"]
