"""`make bench`: what `run --out DIR` costs over the same run without it, as a ratio.

The same command, `retailtwin run SCENARIO --quiet` (steady-day unless told), is started
as a child process with and without `--out DIR`, in turn (with, without, with, ...), and
each child's CPU time (user + system, the kernel's own accounting of the finished
process) is read from `getrusage(RUSAGE_CHILDREN)`. The ratio is taken pair by pair, so
a machine that slows down during the bench moves both sides of a pair alike, and the
median pair is reported with the raw seconds beside it. CPU time first: the machine is
shared, and waiting for a busy core is not work `--out` does. The wall-time ratio, taken
the same way, follows it: `run --out` writes the read model in a helper process
(`scenarios.reports.read_model_process`) while it judges the run and writes the rest,
which costs CPU time and saves the person waiting wall time, on a machine with a core
to spare (on a busy one the wall ratio is noisy). The children inherit this process's
environment, so `RETAILTWIN_READ_MODEL_INLINE=1` before the command measures the read
model written in process instead, and `RETAILTWIN_PAGE_FORKED=1` report.html drawn by
a helper process (`scenarios.reports.page_process`) instead of in process. The goal
is at most 1.3x; it is reported for both, never asserted (`tests` hold what the folder
contains, not how fast it is written). The report names the build the runs imported,
compiled or the sources (`benchmarks.child_build`), which moves both sides and the ratio.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.child_build import builds_line, child_build
from benchmarks.machine_load import load_average
from benchmarks.scenario_arguments import add_scenario_arguments, scenario_or_exit
from scenarios.cli.arguments import ExitCode

SCENARIO = "steady-day"
PAIRS = 3
#: the issue's goal for the whole `run --out DIR` over the same run without it
GOAL = 1.3


@dataclass(frozen=True, slots=True)
class Timed:
    cpu_s: float
    wall_s: float


@dataclass(frozen=True, slots=True)
class OutCost:
    scenario: str
    overrides: tuple[str, ...]
    #: (with --out, without) per pair, in the order run
    pairs: tuple[tuple[Timed, Timed], ...]
    #: the 1-minute load average before and after the bench: above the core count, no
    #: core was free and the wall ratio cannot show what the helper processes save
    load: tuple[float, float] | None = None
    #: the build the runs imported (`benchmarks.child_build`), probed before and after
    builds: tuple[str, str] | None = None

    @property
    def ratios(self) -> list[float]:
        return [with_out.cpu_s / without.cpu_s for with_out, without in self.pairs]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def wall_ratios(self) -> list[float]:
        return [with_out.wall_s / without.wall_s for with_out, without in self.pairs]

    @property
    def wall_ratio(self) -> float:
        return statistics.median(self.wall_ratios)

    def median_cpu(self, with_out: bool) -> float:
        return statistics.median(pair[0 if with_out else 1].cpu_s for pair in self.pairs)

    def median_wall(self, with_out: bool) -> float:
        return statistics.median(pair[0 if with_out else 1].wall_s for pair in self.pairs)


def command(scenario: str, overrides: Sequence[str], out: Path | None) -> list[str]:
    argv = [sys.executable, "-m", "scenarios.cli", "run", scenario, "--quiet"]
    for override in overrides:
        argv += ["--set", override]
    return argv if out is None else [*argv, "--out", str(out)]


def timed(argv: Sequence[str]) -> Timed:
    """Run `argv` to its end, its output thrown away; its CPU and wall seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    finished = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # a run that failed its checks is still a run, timed like one that passed
    if finished.returncode not in (ExitCode.PASSED, ExitCode.FAILED):
        raise RuntimeError(f"{' '.join(argv)} exited {finished.returncode}: {finished.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(cpu, wall)


def measure(scenario: str = SCENARIO, overrides: Sequence[str] = (), pairs: int = PAIRS) -> OutCost:
    """`pairs` pairs of runs, with `--out` first in each, after one unmeasured run that
    warms the file cache for both."""
    load_before = load_average()
    build_before = child_build()
    timed(command(scenario, overrides, None))
    measured = []
    with tempfile.TemporaryDirectory(prefix="out-cost-") as scratch:
        for i in range(pairs):
            with_out = timed(command(scenario, overrides, Path(scratch) / f"run-{i}"))
            without = timed(command(scenario, overrides, None))
            measured.append((with_out, without))
    load_after = load_average()
    return OutCost(
        scenario,
        tuple(overrides),
        tuple(measured),
        (load_before, load_after),
        (build_before, child_build()),
    )


def report(cost: OutCost) -> str:
    shown = " ".join([cost.scenario, *(f"--set {o}" for o in cost.overrides)])
    spread = ", ".join(f"{r:.2f}" for r in cost.ratios)
    wall_spread = ", ".join(f"{r:.2f}" for r in cost.wall_ratios)
    return "\n".join(
        [
            f"run --out DIR cost            retailtwin run {shown}, with and without --out",
            f"  CPU, with / without         {cost.median_cpu(True):.2f} s / "
            f"{cost.median_cpu(False):.2f} s (medians of {len(cost.pairs)} pairs)",
            f"  ratio, CPU                  {cost.ratio:.2f}x (goal <= {GOAL}x: "
            f"{'met' if cost.ratio <= GOAL else 'missed'}); pair by pair {spread}",
            f"  wall, with / without        {cost.median_wall(True):.2f} s / "
            f"{cost.median_wall(False):.2f} s",
            f"  ratio, wall                 {cost.wall_ratio:.2f}x (goal <= {GOAL}x: "
            f"{'met' if cost.wall_ratio <= GOAL else 'missed'}); pair by pair {wall_spread}",
            *_load_line(cost),
            *([builds_line(*cost.builds)] if cost.builds else []),
        ]
    )


def _load_line(cost: OutCost) -> list[str]:
    if cost.load is None:
        return []
    before, after = cost.load
    return [
        f"  load average (1 min)        {before:.2f} before, {after:.2f} after, "
        f"on {os.cpu_count() or 1} cores"
    ]


def parse_bench_args(
    argv: Sequence[str] | None, module: str, description: str, count: tuple[str, int, str]
) -> argparse.Namespace:
    """`python -m benchmarks.MODULE [SCENARIO] [--set KEY=VALUE ...] [--COUNT N]`, the
    --out benches' options (steady-day unless told); `count` is the repeat option's
    name, default and help. Said on stderr before the bench starts."""
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.{module}", description=description)
    add_scenario_arguments(parser, default=SCENARIO)
    name, default, shown = count
    parser.add_argument(f"--{name}", type=int, default=default, help=shown)
    args = parser.parse_args(argv)
    scenario_or_exit(parser, args.scenario, args.overrides)
    print(f"benchmarking run --out on {args.scenario} ({module})", file=sys.stderr)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_bench_args(
        argv,
        "out_cost",
        "What `retailtwin run --out DIR` costs over the same run without it.",
        ("pairs", PAIRS, "pairs of runs (default 3)"),
    )
    print(report(measure(args.scenario, args.overrides, max(1, args.pairs))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
