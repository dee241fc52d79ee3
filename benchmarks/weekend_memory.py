"""`make bench`: whether a peak weekend fits in what black-friday needs, as a ratio.

Issue 18 asks for memory bounded by what is in flight: `peak-weekend` (Friday to Monday,
three times black-friday's channel orders) in no more memory than black-friday, and
black-friday itself under 512 MiB. A twin that held every finished order would need
memory in proportion to the days; one bounded by what is in flight needs about the
same for both, so the ratio of their peaks is the figure, with the raw peaks beside it.

Both are measured the same way, as a user runs them: `retailtwin run NAME --quiet`, each
a child process of its own, its peak resident memory read from the kernel's accounting
of that child alone (`os.wait4`), not of every child this process has had. Never
asserted, only reported: `tests` hold what a run decides, not how big it is. The report
names the build the runs imported (`benchmarks.child_build`): the compiled build holds
memory differently from the sources.

One run a side cannot tell a cut of a few MiB: the same code run twice peaks 2 to 5 MiB
apart (docs/architecture.md, Memory, mem24), more than the 2% the goal leaves between
two runs of about 375 MiB. `--runs N` runs each scenario N times, in turn (black-friday,
peak-weekend, black-friday, ...), so that a change in the machine's load falls on both
alike, and reports every run, each scenario's median and spread (highest less lowest),
each pair's ratio, and the goal judged on the ratio of the two medians: the goal is the
same (at most 1x), and black-friday's limit is judged on its highest run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from benchmarks.child_build import builds_line, child_build
from benchmarks.out_cost import command
from benchmarks.run_speed import MEMORY_TARGET_MIB as BASELINE_LIMIT_MIB
from benchmarks.scenario_arguments import scenario_or_exit
from scenarios.cli.arguments import positive

#: the scenario whose peak is the bound, and the longer one held to it
BASELINE = "black-friday"
LONGER = "peak-weekend"
#: issue 18: the longer run's peak at most the baseline's (the baseline's own limit,
#: `BASELINE_LIMIT_MIB`, is run_speed's)
RATIO_GOAL = 1.0
MIB = 2**20


class RunRefused(Exception):
    """A run that did not reach the end of its day (bad input, a crash): its command
    and what it said, for the person running the bench."""


class Outcome(IntEnum):
    """`retailtwin run`'s exit codes that mean the day was run to its end."""

    PASSED = 0
    FAILED = 1


@dataclass(frozen=True, slots=True)
class Peak:
    scenario: str
    #: peak resident memory of the run's process, in bytes
    rss_bytes: int
    #: user + system CPU seconds of the run's process
    cpu_s: float
    wall_s: float
    outcome: Outcome

    @property
    def mib(self) -> float:
        return self.rss_bytes / MIB


@dataclass(frozen=True, slots=True)
class WeekendMemory:
    """Each scenario's runs, in the order run (the two in turn: the first of each, then
    the second of each, ...)."""

    baselines: tuple[Peak, ...]
    longers: tuple[Peak, ...]
    #: the build the runs imported (`benchmarks.child_build`), probed before and after
    builds: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if not self.baselines or len(self.baselines) != len(self.longers):
            raise ValueError("as many runs of each scenario, and at least one")

    @property
    def baseline_bytes(self) -> float:
        """The median of the baseline's peaks (of a single run, its peak)."""
        return statistics.median(peak.rss_bytes for peak in self.baselines)

    @property
    def longer_bytes(self) -> float:
        return statistics.median(peak.rss_bytes for peak in self.longers)

    @property
    def ratio(self) -> float:
        """The longer day's median peak over the baseline's: what the goal is judged on."""
        return self.longer_bytes / self.baseline_bytes

    @property
    def pair_ratios(self) -> list[float]:
        """Each pair's ratio, the runs taken in turn: how far one pair alone can stray."""
        return [
            longer.rss_bytes / baseline.rss_bytes
            for baseline, longer in zip(self.baselines, self.longers, strict=True)
        ]


def peak_of(scenario: str, overrides: Sequence[str]) -> Peak:
    """Run the scenario to its end in a child process, its output thrown away: its peak
    resident memory and CPU, from the kernel's accounting of that child alone. Its
    stderr goes to a file, not a pipe, so the child never blocks on a full pipe while
    this process waits for it in `os.wait4`."""
    argv = command(scenario, overrides, None)  # as out_cost runs it without --out
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        # reaped here, not by Popen.wait: tell the Popen so it does not wait again
        child.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in {outcome.value for outcome in Outcome}:
            stderr.seek(0)
            said = stderr.read().decode(errors="replace").strip()
            raise RunRefused(f"{' '.join(argv[2:])} exited {code}: {said}")
    return Peak(
        scenario,
        usage.ru_maxrss * 1024,  # Linux reports kilobytes
        usage.ru_utime + usage.ru_stime,
        wall,
        Outcome(code),
    )


def measure(overrides: Sequence[str] = (), runs: int = 1) -> WeekendMemory:
    """`runs` of each scenario, in turn, so that the machine's load falls on both alike."""
    build_before = child_build()
    baselines: list[Peak] = []
    longers: list[Peak] = []
    for n in range(1, runs + 1):
        of = f" ({n} of {runs})" if runs > 1 else ""
        print(
            f"running {BASELINE}{of} (at full scale a minute or two)", file=sys.stderr, flush=True
        )
        baselines.append(peak_of(BASELINE, overrides))
        print(f"running {LONGER}{of} (about three times as long)", file=sys.stderr, flush=True)
        longers.append(peak_of(LONGER, overrides))
    return WeekendMemory(tuple(baselines), tuple(longers), (build_before, child_build()))


def _line(peak: Peak, label: str = "") -> str:
    return (
        f"  {peak.scenario}{label}".ljust(30)
        + f"{peak.mib:,.0f} MiB peak RSS ({peak.outcome.name.lower()}; "
        f"CPU {peak.cpu_s:,.1f} s, wall {peak.wall_s:,.1f} s)"
    )


def _runs_lines(measured: WeekendMemory) -> list[str]:
    """One run a side: its two peaks. Several: every run, then each scenario's median
    and spread, and each pair's ratio."""
    if len(measured.baselines) == 1:
        return [_line(measured.baselines[0]), _line(measured.longers[0])]
    lines = []
    for n, pair in enumerate(zip(measured.baselines, measured.longers, strict=True), 1):
        lines += [_line(peak, f", run {n}") for peak in pair]
    for name, peaks, median in (
        (BASELINE, measured.baselines, measured.baseline_bytes),
        (LONGER, measured.longers, measured.longer_bytes),
    ):
        mibs = [peak.mib for peak in peaks]
        lines.append(
            f"  {name}, median".ljust(30)
            + f"{median / MIB:,.1f} MiB (spread {max(mibs) - min(mibs):,.1f} MiB "
            f"over {len(peaks)} runs: {', '.join(f'{mib:,.1f}' for mib in mibs)})"
        )
    pairs = ", ".join(f"{ratio:.3f}" for ratio in measured.pair_ratios)
    lines.append("  each pair's ratio".ljust(30) + f"{pairs} (in the order run)")
    return lines


def report(measured: WeekendMemory, overrides: Sequence[str] = ()) -> str:
    shown = "".join(f" --set {override}" for override in overrides)
    several = len(measured.baselines) > 1
    highest = max(peak.mib for peak in measured.baselines)
    under = highest < BASELINE_LIMIT_MIB
    return "\n".join(
        [
            f"peak memory over the days     retailtwin run NAME --quiet{shown}, "
            "each in a process of its own"
            + (f", {len(measured.baselines)} runs each, in turn" if several else ""),
            *_runs_lines(measured),
            f"  {LONGER} / {BASELINE}".ljust(30)
            + f"{measured.ratio:.2f}x{' of the medians' if several else ''} "
            f"(goal <= {RATIO_GOAL:g}x: {'met' if measured.ratio <= RATIO_GOAL else 'missed'})",
            f"  {BASELINE} under {BASELINE_LIMIT_MIB} MiB".ljust(30)
            + f"{'met' if under else 'missed'} (ratio {highest / BASELINE_LIMIT_MIB:.2f}"
            + (", its highest run)" if several else ")"),
            *([builds_line(*measured.builds)] if measured.builds else []),
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.weekend_memory",
        description="Peak memory of peak-weekend against black-friday's (issue 18).",
    )
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument(
        "--runs",
        type=positive("--runs"),
        default=1,
        metavar="N",
        help="run each scenario N times, in turn, and judge the ratio of the medians "
        "(default 1; two runs of the same code peak 2 to 5 MiB apart)",
    )
    args = parser.parse_args(argv)
    for name in (BASELINE, LONGER):  # both, before the first run of minutes starts
        scenario_or_exit(parser, name, args.overrides)
    try:
        measured = measure(args.overrides, args.runs)
    except RunRefused as refused:
        print(f"python -m benchmarks.weekend_memory: {refused}", file=sys.stderr)
        return 2
    print(report(measured, args.overrides))
    return 0


if __name__ == "__main__":
    sys.exit(main())
