"""`benchmarks.out_imports`: each group's figure is the median of the runs, the total
is the median of each run's sum, and every module it times exists, so a module renamed
or moved is caught here rather than by a bench that fails when it is run."""

from __future__ import annotations

import importlib.util

from benchmarks.out_imports import BASE, GROUPS, report


def test_each_group_shows_its_median_and_the_total_the_median_of_the_sums() -> None:
    runs = [
        [0.001, 0.020, 0.007, 0.030],
        [0.002, 0.022, 0.008, 0.024],
        [0.009, 0.021, 0.006, 0.023],
    ]
    shown = report(runs, "0.50 before, 0.60 after, on 2 cores", "  runs imported from  x")
    assert "medians of 3 fresh processes" in shown
    lines = shown.split("\n")
    assert lines[1].endswith("   2.0 ms")  # the command's: median of 1, 2 and 9 ms
    assert lines[4].endswith("  24.0 ms")  # the writer's: median of 30, 24 and 23 ms
    # the sums are 58, 56 and 59 ms: their median, not the sum of the medians (55 ms)
    assert lines[5].endswith("  58.0 ms")
    assert "0.50 before, 0.60 after, on 2 cores" in shown


def test_every_module_timed_exists_and_none_is_in_two_groups() -> None:
    named = [name for _, modules in GROUPS for name in modules]
    assert len(named) == len(set(named))
    assert not set(named) & set(BASE)
    for name in [*BASE, *named]:
        assert importlib.util.find_spec(name) is not None, name
