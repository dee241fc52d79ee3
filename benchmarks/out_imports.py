"""What `run --out DIR` spends importing what it needs and a run without it does not:
the CPU seconds a fresh process takes to import each group of modules, in the order
`run --out` imports them, once the modules every `retailtwin run` imports are in.

A constant: the same for any scenario and scale, so the smaller the run, the larger its
share of what `--out` adds (steady-day at scale 1: about a tenth of it). It is what
dataclasses and libraries cost to set up, which no cut to the projection or the files
moves. Its two largest parts are made smaller: the read model's 25 record classes no
longer have `dataclasses` compile each generated method from source
(`hub.adapters.read_model.record_class`), and metrics.prom's parts of prometheus-client
come without the package's HTTP exposition (`http.server`, `urllib.request`, `ssl`:
`scenarios.checking.openmetrics`); what is left is mostly the page's and the writer's
modules themselves. Medians of `--runs` fresh processes (each timed with `time.process_time` around
each group), this interpreter and environment (`RETAILTWIN_BUILD` among it). Never
asserted, only reported.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

from benchmarks.child_build import builds_line, child_build
from benchmarks.machine_load import load_average

RUNS = 5

#: what every `retailtwin run` imports before the day: not `--out`'s to pay
BASE = (
    "scenarios.cli.run",
    "scenarios.cli.run_output",
    "scenarios.spec.loader",
    "scenarios.twin.runtime",
)
#: (what, its modules), in the order `run --out` imports them (`scenarios/cli/run.py`,
#: `run_output.judge_and_write`, `run_files`, `read_model_process._writer_main`)
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "the command's, before the day",
        (
            "scenarios.reports.manifest",
            "scenarios.reports.out_folder",
            "scenarios.reports.page_process",
            "scenarios.twin.projection.read_model_file",
            "scenarios.twin.timeline",
        ),
    ),
    (
        "what writes the files",
        ("scenarios.reports.read_model_process", "scenarios.reports.run_files"),
    ),
    ("the page's", ("scenarios.reports.run_page",)),
    (
        "the read model writer's",
        ("hub.adapters.read_model.run_file", "scenarios.reports.read_model"),
    ),
)
#: the argument a child is started with
CHILD = "--child"


def timed_imports() -> list[float]:
    """In this (fresh) process: import `BASE`, then each group, and return each group's
    CPU seconds."""
    for name in BASE:
        importlib.import_module(name)
    spent = []
    for _, modules in GROUPS:
        started = time.process_time()
        for name in modules:
            importlib.import_module(name)
        spent.append(time.process_time() - started)
    return spent


def one_child() -> list[float]:
    """`timed_imports` in a fresh process started as this one was."""
    answer = subprocess.run(
        [sys.executable, "-m", "benchmarks.out_imports", CHILD],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seconds: list[float] = json.loads(answer.strip().split("\n")[-1])
    return seconds


def report(runs: Sequence[Sequence[float]], load: str, build: str) -> str:
    """Each group's median, their total's median, the load and the build."""
    lines = [f"run --out, importing what it needs   medians of {len(runs)} fresh processes"]
    for index, (what, _) in enumerate(GROUPS):
        median = statistics.median(run[index] for run in runs)
        lines.append(f"  {what}".ljust(40) + f"{median * 1000:6.1f} ms")
    total = statistics.median(sum(run) for run in runs)
    lines.append("  in all".ljust(40) + f"{total * 1000:6.1f} ms")
    lines.append("  load average (1 min)".ljust(30) + load)
    lines.append(build)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.out_imports",
        description="CPU time `retailtwin run --out` spends importing what it needs.",
    )
    parser.add_argument("--runs", type=int, default=RUNS, help="fresh processes (default 5)")
    parser.add_argument(CHILD, action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(timed_imports()))
        return 0
    before_build, before_load = child_build(), load_average()
    runs = [one_child() for _ in range(max(1, args.runs))]
    load = f"{before_load:.2f} before, {load_average():.2f} after, on {os.cpu_count() or 1} cores"
    print(report(runs, load, builds_line(before_build, child_build())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
