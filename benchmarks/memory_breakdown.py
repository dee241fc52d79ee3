"""Where a run's memory is when its day ends: live Python allocations grouped by the
file (or line) that made them, before the checker reads anything.

Why: issue 18 wants memory bounded by what is in flight, and the peak RSS alone says
nothing about what to write out next. `tracemalloc` names the code that allocated each
block still alive; a run's state is nearly all records made as the day goes, so the
file that made a record is the system that keeps it. Tracing slows a run about
threefold, so measure at a reduced scale first (the shares hold from 0.25 to 1 within a
few points) and confirm at full scale.

    python -m benchmarks.memory_breakdown black-friday --set scenario.scale=0.25
    python -m benchmarks.memory_breakdown black-friday --by lineno --top 40
    python -m benchmarks.memory_breakdown black-friday --steps 10

`--steps N` also names the N steps (of the run's 200 or so) whose traced peak rose
furthest above what the step ended holding: a transient payload built and dropped within
a step (a whole stock export) never shows in the live breakdown, yet it sets the run's
peak and what the allocator keeps after it.
"""

from __future__ import annotations

import argparse
import resource
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import simpy

from benchmarks.scenario_arguments import add_scenario_arguments, scenario_or_exit
from scenarios.twin.runtime import run

MIB = 2**20
#: paths are shown from the checkout's root
ROOT = str(Path(__file__).resolve().parent.parent) + "/"


class Grouping(StrEnum):
    """How `tracemalloc` groups blocks: by the file that allocated them, or the line."""

    FILE = "filename"
    LINE = "lineno"


@dataclass(frozen=True, slots=True)
class Share:
    """Live memory allocated at one place: bytes, blocks, where."""

    size: int
    count: int
    where: str


@dataclass(frozen=True, slots=True)
class StepPeak:
    """One step of a run: when it ended (simulated hours), the traced memory it ended
    holding and the most it held on the way."""

    hour: float
    settled: int
    peak: int

    @property
    def transient(self) -> int:
        """What the step built and dropped again before it ended."""
        return self.peak - self.settled


class StepPeaks:
    """A `between_steps` hook: each step's traced peak, the peak reset after reading so
    the next step's is its own (the run's overall peak is the largest of them)."""

    def __init__(self) -> None:
        self.steps: list[StepPeak] = []

    def __call__(self, env: simpy.Environment) -> None:
        settled, peak = tracemalloc.get_traced_memory()
        self.steps.append(StepPeak(env.now / 3600.0, settled, peak))
        tracemalloc.reset_peak()

    @property
    def peak(self) -> int:
        return max((step.peak for step in self.steps), default=0)

    def report(self, top: int) -> list[str]:
        """The `top` steps with the largest transient, largest first."""
        worst = sorted(self.steps, key=lambda step: step.transient, reverse=True)[:top]
        return [
            f"step ending {step.hour:6.2f} h: peak {step.peak / MIB:7.1f} MiB, "
            f"settled {step.settled / MIB:7.1f} MiB, transient {step.transient / MIB:6.1f} MiB"
            for step in worst
        ]


def breakdown(snapshot: tracemalloc.Snapshot, by: Grouping) -> list[Share]:
    """Every place's live memory, largest first."""
    shares = []
    for stat in snapshot.statistics(by.value):
        frame = stat.traceback[0]
        where = frame.filename.removeprefix(ROOT)
        if by is Grouping.LINE:
            where = f"{where}:{frame.lineno}"
        shares.append(Share(stat.size, stat.count, where))
    return shares


def report(shares: Sequence[Share], top: int) -> list[str]:
    """The `top` largest places, each with its share of the whole."""
    total = sum(share.size for share in shares) or 1
    lines = [f"live Python allocations: {total / MIB:.1f} MiB"]
    lines += [
        f"{share.size / MIB:8.2f} MiB {100 * share.size / total:5.1f}% "
        f"{share.count:9,d} blocks  {share.where}"
        for share in shares[:top]
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.memory_breakdown", description=__doc__.split("\n\n")[0]
    )
    add_scenario_arguments(parser, default="black-friday")
    parser.add_argument("--by", type=Grouping, default=Grouping.FILE, choices=list(Grouping))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--steps", type=int, default=0, help="also show the N steps with the largest transient"
    )
    args = parser.parse_args(argv)
    scenario = scenario_or_exit(parser, args.scenario, args.overrides)
    steps = StepPeaks() if args.steps else None
    tracemalloc.start()
    result = run(scenario, between_steps=steps)
    snapshot = tracemalloc.take_snapshot()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for line in report(breakdown(snapshot, args.by), args.top):
        print(line)
    if steps is not None:
        peak = max(peak, steps.peak)
        for line in steps.report(args.steps):
            print(line)
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"traced peak during the day {peak / MIB:.1f} MiB; peak RSS {max_rss:.0f} MiB "
        f"(tracing's own bookkeeping included); digest {result.seal.digest}"
    )


if __name__ == "__main__":
    main()
