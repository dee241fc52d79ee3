"""A run's memory at chosen simulated times, then once gathered and judged: resident,
what Python's small-block allocator holds live and keeps free, and glibc's heap.

Why: issue 18 asks that a peak weekend fit in what black-friday needs, and a peak
resident size cannot say whether the longer run holds more or only keeps more free
(docs/architecture.md, Memory). This runs a scenario in this process as `retailtwin
run` does, reads the allocators (`benchmarks.allocator_stats`) at the end of the first
of the run's steps at or past each `--every` hours (each simulated day's end by
default), at the step where the high-water (reset as the run starts) last rose, at the
run's end, and after the checker gathers and judges the run. `--trace FRAMES` also traces Python's
allocations (`tracemalloc`, about three times slower: measure at a reduced scale) and
names what grew most from the first mark to the last, by file or by line, with the
average block size beside it: blocks of 16 to 72 bytes are the small objects the
allocator's free space is made of. Compiled code's allocations are traced at the
Python line that called it. Reports only, nothing asserted.

    python -m benchmarks.memory_steps peak-weekend
    python -m benchmarks.memory_steps black-friday --every 6
    python -m benchmarks.memory_steps peak-weekend --set scenario.scale=0.25 --trace 4 --by lineno
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass

import simpy
from rich.console import Console

from benchmarks.allocator_stats import (
    CHeap,
    Resident,
    SmallBlocks,
    c_heap,
    reset_high_water,
    resident,
    small_blocks,
)
from benchmarks.memory_breakdown import ROOT, Grouping
from benchmarks.scenario_arguments import add_scenario_arguments, scenario_or_exit
from compiled_build import running_build
from scenarios.checking.truth import gather
from scenarios.checking.verdict import judge
from scenarios.cli.run_output import day_progress
from scenarios.twin.gc_tuning import collector_tuned_for_simulation
from scenarios.twin.runtime import run

MIB = 2**20
HOUR_S = 3600.0
#: the size classes whose free blocks the weekend's free space is mostly made of
WATCHED_CLASSES = (32, 64)


@dataclass(frozen=True, slots=True)
class Mark:
    """The process's memory at one moment of the run, named for when it was read."""

    label: str
    resident: Resident
    #: None while tracing: the allocator gives no report while tracemalloc wraps it
    small: SmallBlocks | None
    heap: CHeap | None

    def row(self) -> str:
        cells = [f"{self.label:<22}", _mib(self.resident.now), _mib(self.resident.high_water)]
        cells += small_cells(self.small)
        if self.heap is not None:
            cells += [_mib(self.heap.in_use), _mib(self.heap.mapped)]
        return " ".join(cells)


def small_cells(small: SmallBlocks | None) -> list[str]:
    """The small-block allocator's columns, or dashes where it gave no report."""
    if small is None:
        return [f"{'-':>7}"] * 4 + [f"{'-':^13}"] * len(WATCHED_CLASSES)
    cells = [_mib(small.live), _mib(small.free_in_pools), _mib(small.empty_pools)]
    cells.append(f"{small.arenas:>7,d}")
    for size in WATCHED_CLASSES:
        watched = small.size_class(size)
        live, free = (watched.live_blocks, watched.free_blocks) if watched else (0, 0)
        cells.append(f"{live * size / MIB:>6.1f}/{free * size / MIB:<6.1f}")
    return cells


HEADER = (
    f"{'when':<22} {'rss':>7} {'hwm':>7} {'live':>7} {'free':>7} {'empty':>7} {'arenas':>7} "
    + " ".join(f"{str(size) + 'B l/f':^13}" for size in WATCHED_CLASSES)
    + f" {'c heap':>7} {'mapped':>7}"
)
LEGEND = (
    "MiB: rss/hwm resident now and at most (kernel); live, free and empty: Python's small "
    "blocks live, free in pools in use, and empty pools kept; arenas of 1 MiB; 32B and 64B "
    "l/f: those classes' live and free blocks; c heap and mapped: glibc's heap in use and "
    "blocks mapped on their own"
)


def _mib(size: int) -> str:
    return f"{size / MIB:>7.1f}"


def _this_build() -> str:
    """The build this process runs (the run is in process): no child probe needed, as
    `benchmarks.child_build` needs for runs started as commands."""
    return running_build(importlib.import_module("hub.core")).value


def say(console: Console, line: str) -> None:
    """One line as it is: no markup, no highlighting, never wrapped (a row is wide)."""
    console.print(line, highlight=False, markup=False, soft_wrap=True)


def read(label: str) -> Mark:
    return Mark(label, resident(), small_blocks(), c_heap())


class Marks:
    """A `between_steps` hook: a mark at the end of the first step at or past each
    `every_h` hours, and one kept (not printed) each time the high-water rises, so the
    step that set the run's peak is known with what the allocators held then (the
    process's high-water is reset when it is made, where the kernel allows)."""

    def __init__(self, every_h: float, console: Console, tracing: bool) -> None:
        self.every_s = every_h * HOUR_S
        self.next_s = self.every_s
        self.console = console
        self.tracing = tracing
        self.marks: list[Mark] = []
        # the high-water from here on: what this process held before (an earlier run,
        # a test suite) would hide the step that set this run's (kept where it cannot)
        reset_high_water()
        self.high_water = resident().high_water
        self.peak: Mark | None = None
        self.first: tuple[str, tracemalloc.Snapshot] | None = None
        self.last: tuple[str, tracemalloc.Snapshot] | None = None

    def __call__(self, env: simpy.Environment) -> None:
        hours = env.now / HOUR_S
        now = resident()
        if now.high_water > self.high_water:
            self.high_water = now.high_water
            self.peak = read(f"high-water {hours:.2f} h")
        if env.now >= self.next_s:
            while self.next_s <= env.now:
                self.next_s += self.every_s
            mark = read(f"step ending {hours:.2f} h")
            self.add(mark)
            if self.tracing:
                traced = (mark.label, tracemalloc.take_snapshot())
                self.first, self.last = (self.first, traced) if self.first else (traced, None)

    def add(self, mark: Mark) -> None:
        self.marks.append(mark)
        say(self.console, mark.row())


def growth(
    first: tracemalloc.Snapshot, last: tracemalloc.Snapshot, by: Grouping, top: int
) -> list[str]:
    """The `top` places whose live blocks grew most from `first` to `last`."""
    rows = []
    for stat in last.compare_to(first, by.value)[:top]:
        frame = stat.traceback[0]
        where = frame.filename.removeprefix(ROOT)
        where = where if by is Grouping.FILE else f"{where}:{frame.lineno}"
        average = stat.size // stat.count if stat.count else 0
        rows.append(
            f"{stat.size_diff / MIB:+8.2f} MiB to {stat.size / MIB:7.2f} MiB "
            f"{stat.count:>10,d} blocks of {average:>5d} B  {where}"
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.memory_steps", description=__doc__.split("\n\n")[0]
    )
    add_scenario_arguments(parser, default="peak-weekend")
    parser.add_argument(
        "--every", type=float, default=24.0, metavar="HOURS", help="simulated hours between marks"
    )
    parser.add_argument(
        "--trace", type=int, default=0, metavar="FRAMES", help="trace allocations, FRAMES deep"
    )
    parser.add_argument("--by", type=Grouping, default=Grouping.FILE, choices=list(Grouping))
    parser.add_argument("--top", type=int, default=15, help="places shown with --trace")
    args = parser.parse_args(argv)
    if args.every <= 0:
        parser.error(f"--every must be a positive number of hours, not {args.every:g}")
    if args.trace < 0 or args.top < 1:
        parser.error("--trace wants 0 (off) or a number of frames, --top at least 1")
    scenario = scenario_or_exit(parser, args.scenario, args.overrides)

    console = Console(stderr=False)
    say(
        console,
        f"memory of {scenario.name} by simulated time (memory_steps), run from {_this_build()}",
    )
    say(console, LEGEND)
    say(console, HEADER)
    marks = Marks(args.every, console, tracing=args.trace > 0)
    if args.trace:
        tracemalloc.start(args.trace)
    with day_progress(console, scenario, quiet=False) as advance:
        result = run(scenario, advance, between_steps=marks)
    if marks.peak is not None:
        say(console, marks.peak.row())
    else:
        say(console, "high-water: not raised by the run's steps")
    marks.add(read("run's end"))
    with collector_tuned_for_simulation():
        truth = gather(result)
    marks.add(read("gathered"))
    verdict = judge(result, args.scenario, args.overrides, truth)
    marks.add(read("judged"))
    console.print(
        f"digest {result.seal.digest}, {'PASSED' if verdict.passed else 'FAILED'}", highlight=False
    )
    if marks.first is not None and marks.last is not None:
        (first_label, first), (last_label, last) = marks.first, marks.last
        tracemalloc.stop()
        console.print(
            f"grown from {first_label} to {last_label} (tracemalloc, by {args.by.value}):"
        )
        for line in growth(first, last, args.by, args.top):
            say(console, line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
