"""benchmarks/memory_breakdown.py: a run's live memory by the code that allocated it,
largest first, so the next thing to write out is the one named at the top."""

from __future__ import annotations

import tracemalloc
from types import SimpleNamespace
from typing import Any, cast

from benchmarks.memory_breakdown import Grouping, Share, StepPeaks, breakdown, report


def _hold() -> list[bytes]:
    return [bytes(1000) for _ in range(500)]


def test_the_place_holding_most_comes_first_with_its_blocks_and_share() -> None:
    tracemalloc.start()
    try:
        held = _hold()
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    by_line = breakdown(snapshot, Grouping.LINE)
    assert by_line == sorted(by_line, key=lambda share: share.size, reverse=True)
    top = next(share for share in by_line if "test_memory_breakdown.py" in share.where)
    assert top.count >= len(held) and top.size >= 500 * 1000
    assert top.where.startswith("tests/unit/benchmarks/test_memory_breakdown.py:")
    by_file = breakdown(snapshot, Grouping.FILE)
    assert any(share.where == "tests/unit/benchmarks/test_memory_breakdown.py" for share in by_file)


def test_the_report_shows_the_top_places_and_their_share_of_the_whole() -> None:
    shares = [Share(3 * 2**20, 30, "a.py"), Share(2**20, 10, "b.py"), Share(1, 1, "c.py")]
    lines = report(shares, top=2)
    assert lines[0] == "live Python allocations: 4.0 MiB"
    assert lines[1].split()[:3] == ["3.00", "MiB", "75.0%"] and lines[1].endswith("a.py")
    assert len(lines) == 3


def test_each_step_reports_what_it_built_and_dropped_and_the_worst_comes_first() -> None:
    steps = StepPeaks()
    tracemalloc.start()
    try:
        kept = bytes(2**20)
        steps(cast(Any, SimpleNamespace(now=3600.0)))  # the hour that kept a MiB
        dropped = bytes(8 * 2**20)
        del dropped
        steps(cast(Any, SimpleNamespace(now=7200.0)))  # the hour that built 8 and let go
    finally:
        tracemalloc.stop()
    first, second = steps.steps
    assert second.transient > 7 * 2**20 > first.transient
    assert second.settled < first.settled + 2**20  # what it built did not stay
    assert steps.peak == max(first.peak, second.peak) > 8 * 2**20 + len(kept) // 2
    lines = steps.report(top=1)
    assert len(lines) == 1 and lines[0].startswith("step ending   2.00 h:")
