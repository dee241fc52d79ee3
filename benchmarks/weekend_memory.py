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
"""

from __future__ import annotations

import argparse
import os
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
    baseline: Peak
    longer: Peak
    #: the build the runs imported (`benchmarks.child_build`), probed before and after
    builds: tuple[str, str] | None = None

    @property
    def ratio(self) -> float:
        return self.longer.rss_bytes / self.baseline.rss_bytes


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


def measure(overrides: Sequence[str] = ()) -> WeekendMemory:
    build_before = child_build()
    print(f"running {BASELINE} (at full scale a minute or two)", file=sys.stderr, flush=True)
    baseline = peak_of(BASELINE, overrides)
    print(f"running {LONGER} (about three times as long)", file=sys.stderr, flush=True)
    longer = peak_of(LONGER, overrides)
    return WeekendMemory(baseline, longer, (build_before, child_build()))


def _line(peak: Peak) -> str:
    return (
        f"  {peak.scenario}".ljust(30)
        + f"{peak.mib:,.0f} MiB peak RSS ({peak.outcome.name.lower()}; "
        f"CPU {peak.cpu_s:,.1f} s, wall {peak.wall_s:,.1f} s)"
    )


def report(measured: WeekendMemory, overrides: Sequence[str] = ()) -> str:
    shown = "".join(f" --set {override}" for override in overrides)
    baseline = measured.baseline
    under = baseline.mib < BASELINE_LIMIT_MIB
    return "\n".join(
        [
            f"peak memory over the days     retailtwin run NAME --quiet{shown}, "
            "each in a process of its own",
            _line(baseline),
            _line(measured.longer),
            f"  {LONGER} / {BASELINE}".ljust(30)
            + f"{measured.ratio:.2f}x (goal <= {RATIO_GOAL:g}x: "
            f"{'met' if measured.ratio <= RATIO_GOAL else 'missed'})",
            f"  {BASELINE} under {BASELINE_LIMIT_MIB} MiB".ljust(30)
            + f"{'met' if under else 'missed'} (ratio {baseline.mib / BASELINE_LIMIT_MIB:.2f})",
            *([builds_line(*measured.builds)] if measured.builds else []),
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.weekend_memory",
        description="Peak memory of peak-weekend against black-friday's (issue 18).",
    )
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    for name in (BASELINE, LONGER):  # both, before the first run of minutes starts
        scenario_or_exit(parser, name, args.overrides)
    try:
        measured = measure(args.overrides)
    except RunRefused as refused:
        print(f"python -m benchmarks.weekend_memory: {refused}", file=sys.stderr)
        return 2
    print(report(measured, args.overrides))
    return 0


if __name__ == "__main__":
    sys.exit(main())
