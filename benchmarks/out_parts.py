"""What each process of `run --out DIR` spends after the run, in CPU seconds: the part
the person waits for once the day is simulated.

`benchmarks.out_cost` times whole commands; on a busy machine its wall ratio cannot
show what the helper processes save, because no core is free for them. This measures
the parts instead, in one process, with the CLI's own steps
(`scenarios.cli.run_output.judge_and_print`, `scenarios.reports.run_files.write_run_folder`):
a run with a timeline, then everything after it, once with the read model written by
its forked writer (`scenarios.reports.read_model_process`) and once in this process
(`RETAILTWIN_READ_MODEL_INLINE`), in turn. For each it reports this process's CPU time
after the run (`time.process_time`: waiting for a helper costs none) and the writer's
(`getrusage` of the reaped child), and the minor page faults of each. With a core
free, the wait after the run is about the larger of the two, where it was their sum.
The same run judged and printed without `--out` (`judge_and_print` alone) is measured
in turn as well: what `--out` adds after the run is each way less that. The faults
show the fork's copy-on-write, which no instruction count sees: every page either
process writes after the fork (an object's reference count, a free block of the
heap reused) is copied or faulted in once more, where the process writing the read
model itself reuses its own pages. report.html is drawn as `run --out`
draws it: in this process, so counted in its part, unless `RETAILTWIN_PAGE_FORKED`
asks for a forked drawer, counted in neither. Never asserted, only reported.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from benchmarks.machine_load import load_average
from benchmarks.out_cost import parse_bench_args
from scenarios.cli.run_output import judge_and_print, judge_and_write
from scenarios.reports.out_folder import claimed
from scenarios.reports.page_process import drawing_process
from scenarios.reports.read_model_process import INLINE_ENV, ForkedWriter
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run
from scenarios.twin.timeline import TimelineRecorder

RUNS = 3


@dataclass(frozen=True, slots=True)
class Parts:
    """CPU seconds after one run: this process's, and the forked writer's (0 when the
    read model was written in this process or not at all); and their minor page
    faults."""

    this_process_s: float
    writer_s: float
    this_faults: int = 0
    writer_faults: int = 0


@contextmanager
def _inline(on: bool) -> Iterator[None]:
    previous = os.environ.get(INLINE_ENV)
    if on:
        os.environ[INLINE_ENV] = "1"
    else:
        os.environ.pop(INLINE_ENV, None)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(INLINE_ENV, None)
        else:
            os.environ[INLINE_ENV] = previous


def _faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def after_the_run(scenario: str, overrides: Sequence[str], inline: bool, scratch: Path) -> Parts:
    """One `run --out` into `scratch`, its parts after the run measured."""
    spec = load_scenario(scenario, list(overrides))
    args = argparse.Namespace(scenario=scenario, overrides=list(overrides), seed=None)
    console = Console(quiet=True)
    with _inline(inline), drawing_process() as drawer, claimed(scratch / "out") as folder:
        observer = TimelineRecorder()
        result = run(spec, observer=observer)
        started, faults = time.process_time(), _faults()
        _, writer = judge_and_write(result, args, console, observer, folder.staging, drawer)
        spent, faults = time.process_time() - started, _faults() - faults
        folder.publish("run")
    if isinstance(writer, ForkedWriter):
        return Parts(spent, writer.cpu_s, faults, writer.minor_faults)
    return Parts(spent, 0.0, faults)


def without_out(scenario: str, overrides: Sequence[str]) -> Parts:
    """The same run as `retailtwin run` makes it without `--out` (no timeline), judged
    and printed, that part measured."""
    spec = load_scenario(scenario, list(overrides))
    args = argparse.Namespace(scenario=scenario, overrides=list(overrides), seed=None)
    result = run(spec)
    started, faults = time.process_time(), _faults()
    judge_and_print(result, args, Console(quiet=True))
    return Parts(time.process_time() - started, 0.0, _faults() - faults)


def _median(parts: Sequence[Parts], name: str) -> float:
    return float(statistics.median(getattr(p, name) for p in parts))


def report(forked: Sequence[Parts], inline: Sequence[Parts], bare: Sequence[Parts] = ()) -> str:
    """The medians of each way; with `bare` (the runs judged without `--out`), what each
    way adds to that in CPU time (both processes) and minor faults."""
    this_forked = _median(forked, "this_process_s")
    writer = _median(forked, "writer_s")
    this_inline = _median(inline, "this_process_s")
    faults = f"{_median(forked, 'this_faults'):,.0f} and {_median(forked, 'writer_faults'):,.0f}"
    load = load_average()
    lines = [
        f"run --out, CPU after the run   medians of {len(forked)}, load average {load:.2f}",
        f"  read model forked            this process {this_forked:.2f} s, "
        f"the writer {writer:.2f} s: the longer part {max(this_forked, writer):.2f} s; "
        f"minor faults {faults}",
        f"  read model in process        this process {this_inline:.2f} s; "
        f"minor faults {_median(inline, 'this_faults'):,.0f}",
    ]
    if bare:
        judged = _median(bare, "this_process_s")
        judged_faults = _median(bare, "this_faults")
        both = [p.this_process_s + p.writer_s for p in forked]
        both_faults = [p.this_faults + p.writer_faults for p in forked]
        lines += [
            f"  without --out (judged)       this process {judged:.2f} s; "
            f"minor faults {judged_faults:,.0f}",
            f"  --out adds after the run     forked {statistics.median(both) - judged:.2f} s "
            f"and {statistics.median(both_faults) - judged_faults:,.0f} faults, in process "
            f"{this_inline - judged:.2f} s and "
            f"{_median(inline, 'this_faults') - judged_faults:,.0f} faults",
        ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_bench_args(
        argv,
        "out_parts",
        "CPU seconds each process of `retailtwin run --out` spends after the run.",
        ("runs", RUNS, "runs of each way (default 3)"),
    )
    forked: list[Parts] = []
    inline: list[Parts] = []
    bare: list[Parts] = []
    with tempfile.TemporaryDirectory(prefix="out-parts-") as scratch:
        for i in range(max(1, args.runs)):
            for way, into in ((False, forked), (True, inline)):
                folder = Path(scratch) / f"{i}-{int(way)}"
                folder.mkdir()
                into.append(after_the_run(args.scenario, args.overrides, way, folder))
            bare.append(without_out(args.scenario, args.overrides))
    print(report(forked, inline, bare))
    return 0


if __name__ == "__main__":
    sys.exit(main())
