"""The benches that time `retailtwin run` as a user runs it name the build their runs
imported, compiled or the sources: a figure that does not say cannot be compared."""

from __future__ import annotations

import pytest

import hub.core
from benchmarks import child_build, out_cost, weekend_memory
from benchmarks.out_cost import OutCost, Timed
from benchmarks.weekend_memory import MIB, Outcome, Peak, WeekendMemory
from compiled_build import CHOICE_VARIABLE, Build, running_build


def test_the_probe_answers_as_a_child_of_this_environment_imports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the same files and environment as this process: the same build (the sources,
    # unless the suite was told `RETAILTWIN_BUILD=COMPILED` over a fresh build)
    assert child_build.child_build() == running_build(hub.core).value
    # and told to run the sources, as the benches' runs would be
    monkeypatch.setenv(CHOICE_VARIABLE, Build.SOURCES.name)
    assert child_build.child_build() == Build.SOURCES.value


def test_a_build_changed_during_the_bench_shows_both_answers() -> None:
    same = child_build.builds_line(Build.COMPILED.value, Build.COMPILED.value)
    assert same == "  runs imported from          compiled (make compile)"
    changed = child_build.builds_line(Build.COMPILED.value, Build.SOURCES.value)
    assert changed.endswith("compiled (make compile) before, its sources (interpreted) after")


def test_out_cost_probes_the_build_before_and_after_its_runs_and_reports_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = iter([Build.COMPILED.value, Build.SOURCES.value])
    monkeypatch.setattr(out_cost, "child_build", lambda: next(answers))
    monkeypatch.setattr(out_cost, "timed", lambda argv: Timed(1.0, 1.0))
    measured = out_cost.measure(pairs=1)
    assert measured.builds == (Build.COMPILED.value, Build.SOURCES.value)
    assert "runs imported from          compiled (make compile) before" in out_cost.report(measured)
    unprobed = OutCost("steady-day", (), ((Timed(2.0, 2.0), Timed(1.0, 1.0)),))
    assert "runs imported" not in out_cost.report(unprobed)


def test_weekend_memory_probes_the_build_before_and_after_its_runs_and_reports_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(weekend_memory, "child_build", lambda: Build.COMPILED.value)
    monkeypatch.setattr(
        weekend_memory,
        "peak_of",
        lambda scenario, overrides: Peak(scenario, 400 * MIB, 1.0, 1.0, Outcome.PASSED),
    )
    measured = weekend_memory.measure()
    assert measured.builds == (Build.COMPILED.value, Build.COMPILED.value)
    shown = weekend_memory.report(measured)
    assert shown.endswith("  runs imported from          compiled (make compile)")
    unprobed = WeekendMemory(measured.baselines, measured.longers)
    assert "runs imported" not in weekend_memory.report(unprobed)
