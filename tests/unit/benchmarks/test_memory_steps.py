"""benchmarks/memory_steps.py: a run's memory at each mark of simulated time, at its
high-water step, and once gathered and judged, with the run's own digest, and a mistake
in what it was asked refused before anything runs."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any, cast

import pytest
from rich.console import Console

from benchmarks import memory_steps
from benchmarks.memory_steps import HOUR_S, Marks
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

SMALL = ["--set", "scenario.scale=0.02"]


def _at(hours: float) -> Any:
    return cast(Any, SimpleNamespace(now=hours * HOUR_S))


def test_a_mark_comes_at_the_first_step_past_each_boundary_and_only_one_per_step() -> None:
    out = io.StringIO()
    marks = Marks(6.0, Console(file=out, width=200), tracing=False)
    for hours in (3.0, 6.1, 9.0, 12.0, 30.0, 31.0):
        marks(_at(hours))
    assert [mark.label for mark in marks.marks] == [
        "step ending 6.10 h",
        "step ending 12.00 h",
        "step ending 30.00 h",  # 18 and 24 passed within one step: one mark for them
    ]
    assert out.getvalue().count("step ending") == 3
    assert all(mark.small is not None and mark.small.live > 0 for mark in marks.marks)


def test_the_step_where_the_high_water_last_rose_is_kept_with_what_was_held_then() -> None:
    marks = Marks(24.0, Console(file=io.StringIO()), tracing=False)
    marks(_at(1.0))
    block = bytearray(96 * 2**20)
    block[::4096] = b"x" * len(block[::4096])  # every page touched: resident
    marks(_at(2.0))
    del block
    marks(_at(3.0))
    assert marks.peak is not None and marks.peak.label == "high-water 2.00 h"
    assert marks.peak.resident.now >= 96 * 2**20


def test_a_small_run_is_marked_gathered_and_judged_with_its_own_digest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert memory_steps.main(["steady-day", *SMALL, "--every", "12"]) == 0
    printed = capsys.readouterr().out
    expected = run(load_scenario("steady-day", ["scenario.scale=0.02"])).seal.digest
    lines = printed.splitlines()
    assert any(line.startswith("step ending 12.00 h") for line in lines)
    # the step that set the high-water, or (an earlier test having set it) a line saying so
    assert any(line.startswith("high-water") for line in lines)
    labels = [line.split("  ")[0] for line in lines]
    assert labels.index("run's end") < labels.index("gathered") < labels.index("judged")
    assert f"digest {expected}, PASSED" in printed
    assert "grown from" not in printed  # no tracing unless asked


def test_tracing_names_what_grew_from_the_first_mark_to_the_last(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        memory_steps.main(["steady-day", *SMALL, "--every", "6", "--trace", "2", "--top", "3"]) == 0
    )
    printed = capsys.readouterr().out
    heading, _, rest = printed.partition("grown from step ending 6.00 h to step ending 30.00 h")
    assert heading and rest
    grown = [line for line in rest.splitlines()[1:] if "MiB to" in line]
    assert len(grown) == 3 and all(" B  " in line for line in grown)


@pytest.mark.parametrize(
    ("words", "named"),
    [
        (["no-such-scenario"], "unknown scenario"),
        (["steady-day", "--set", "scenario.bogus=1"], "scenario.bogus"),
        (["steady-day", "--every", "0"], "--every must be a positive number of hours"),
        (["steady-day", "--trace", "-1"], "--trace wants 0"),
    ],
)
def test_a_mistake_is_named_and_exits_2_before_anything_runs(
    words: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        memory_steps.main(words)
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert named in captured.err and "step ending" not in captured.out
