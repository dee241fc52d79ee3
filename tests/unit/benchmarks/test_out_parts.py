"""`benchmarks.out_parts`: the parts after the run are medians, and the forked way's
wait is the longer of its two parts, not their sum."""

from __future__ import annotations

from benchmarks.out_parts import Parts, report


def test_the_forked_way_reports_its_longer_part_and_the_inline_way_its_whole() -> None:
    forked = [Parts(0.3, 0.7), Parts(0.9, 0.6), Parts(0.31, 0.65)]
    inline = [Parts(0.95, 0.0), Parts(0.9, 0.0), Parts(2.0, 0.0)]
    shown = report(forked, inline)
    assert "medians of 3" in shown
    assert "this process 0.31 s, the writer 0.65 s: the longer part 0.65 s" in shown
    assert "read model in process        this process 0.95 s" in shown
