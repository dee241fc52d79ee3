"""benchmarks/memory_breakdown.py: a run's live memory by the code that allocated it,
largest first, so the next thing to write out is the one named at the top."""

from __future__ import annotations

import tracemalloc

from benchmarks.memory_breakdown import Grouping, Share, breakdown, report


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
