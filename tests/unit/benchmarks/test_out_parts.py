"""`benchmarks.out_parts`: the parts after the run are medians, and the forked way's
wait is the longer of its two parts, not their sum; what `--out` adds is each way less
the run judged without it, the forked way's two processes together."""

from __future__ import annotations

from benchmarks.out_parts import Parts, report


def test_the_forked_way_reports_its_longer_part_and_the_inline_way_its_whole() -> None:
    forked = [Parts(0.3, 0.7), Parts(0.9, 0.6), Parts(0.31, 0.65)]
    inline = [Parts(0.95, 0.0), Parts(0.9, 0.0), Parts(2.0, 0.0)]
    shown = report(forked, inline)
    assert "medians of 3" in shown
    assert "this process 0.31 s, the writer 0.65 s: the longer part 0.65 s" in shown
    assert "read model in process        this process 0.95 s" in shown


def test_what_out_adds_is_each_way_less_the_run_judged_without_it() -> None:
    forked = [Parts(0.5, 0.5, 10_000, 14_000), Parts(0.6, 0.4, 11_000, 13_000)]
    inline = [Parts(1.0, 0.0, 7_000), Parts(0.8, 0.0, 7_400)]
    bare = [Parts(0.3, 0.0, 1_500), Parts(0.5, 0.0, 2_500)]
    shown = report(forked, inline, bare)
    assert "minor faults 10,500 and 13,500" in shown  # this process's, the writer's
    assert "without --out (judged)       this process 0.40 s; minor faults 2,000" in shown
    # forked: medians of both processes together (1.0 s, 24,000 faults) less the bare run
    assert "forked 0.60 s and 22,000 faults, in process 0.50 s and 5,200 faults" in shown


def test_without_the_bare_runs_nothing_is_said_of_what_out_adds() -> None:
    shown = report([Parts(0.5, 0.5)], [Parts(1.0, 0.0)])
    assert "adds" not in shown and "without --out" not in shown
