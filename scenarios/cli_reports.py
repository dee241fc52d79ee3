"""The `compare`, `replay` and `shrink` commands: argument parsing, progress display and
printing, over functions in `compare`/`sweep`, `replay` and `shrink` that tests call
directly. Kept apart from cli.py so that file only registers them.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from scenarios import compare
from scenarios.sweep import Job, JobOutcome, Variant, execute, parse_vary, plan

EXIT_PASSED, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
#: the shell's convention for a command ended by Ctrl-C
EXIT_INTERRUPTED = 130
COMMANDS = ("compare", "replay", "shrink")


def positive(name: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name}: expected a positive integer, got {text!r}"
            ) from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{name}: expected a positive integer, got {value}")
        return value

    return parse


def non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {value}")
    return value


def _add_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario field by its dotted TOML path (repeatable)",
    )


def add_commands(commands: Any) -> None:
    """Register the commands on cli.py's subparsers."""
    cmp = commands.add_parser(
        "compare",
        help="run design variants over several seeds and compare them",
        description="Run every combination of the --vary values over N seeds in parallel "
        "processes and print each headline metric's mean and range per variant. "
        "Exit 0 when the comparison completed (failing variants are findings), "
        "2 for bad input.",
    )
    cmp.add_argument("scenario", metavar="NAME_OR_PATH")
    cmp.add_argument(
        "--vary",
        action="append",
        required=True,
        metavar="KEY=V1,V2",
        help="a scenario field and the values to compare, e.g. "
        "hub.sync=event,batch:15m (repeatable: every combination runs)",
    )
    cmp.add_argument(
        "--seeds",
        type=positive("--seeds"),
        default=3,
        metavar="N",
        help="seeds per variant (default 3)",
    )
    cmp.add_argument(
        "--seed",
        type=non_negative,
        default=None,
        metavar="S",
        help="first seed (default: the scenario's own); seeds are S..S+N-1",
    )
    cmp.add_argument(
        "--jobs",
        type=positive("--jobs"),
        default=None,
        metavar="J",
        help="worker processes (default: one per CPU core)",
    )
    cmp.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="write compare.json, compare.csv, runs.csv, report.html and "
        "runs/VARIANT/seed-N/ with each run's reports",
    )
    cmp.add_argument(
        "--no-run-html",
        action="store_true",
        help="with --out, skip each run's own report.html (faster)",
    )
    cmp.add_argument("--quiet", action="store_true", help="no progress bars")
    _add_set(cmp)

    rep = commands.add_parser(
        "replay",
        help="rerun a saved run and confirm the same digest",
        description="Rerun the run recorded in DIR/report.json (its full scenario spec, "
        "seed and overrides) and compare digests. Exit 0 same digest, 1 "
        "different, 2 bad input (missing or tampered report).",
    )
    rep.add_argument(
        "directory",
        metavar="DIR",
        type=Path,
        help="a directory holding report.json (or the file itself)",
    )
    rep.add_argument("--quiet", action="store_true", help="no progress bar")

    shr = commands.add_parser(
        "shrink",
        help="find a smaller scenario that breaks the same invariant",
        description="Run the scenario, then search for a smaller one (shorter, fewer "
        "SKUs and stores, less demand, fewer faults) that still breaks the "
        "same invariant, and write it as a scenario file. Exit 0 when a "
        "failing case was written, 1 when the original run does not fail, 2 "
        "for bad input.",
    )
    shr.add_argument("scenario", metavar="NAME_OR_PATH")
    shr.add_argument("--seed", type=non_negative, default=None)
    shr.add_argument(
        "--invariant",
        default=None,
        metavar="NAME",
        help="the invariant to keep broken (default: the first that fails)",
    )
    shr.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help="where to write the scenario (default shrunk-NAME-seed-N.toml)",
    )
    shr.add_argument(
        "--max-runs",
        type=positive("--max-runs"),
        default=80,
        metavar="N",
        help="give up after this many candidate runs (default 80)",
    )
    shr.add_argument(
        "--seed-tries",
        type=positive("--seed-tries"),
        default=1,
        metavar="K",
        help="try each smaller candidate with up to K consecutive seeds (for "
        "failures that need a rare coincidence; default 1)",
    )
    shr.add_argument("--quiet", action="store_true", help="no progress display")
    _add_set(shr)


def dispatch(args: argparse.Namespace, console: Console) -> int:
    if args.command == "compare":
        return command_compare(args, console)
    if args.command == "replay":
        from scenarios.replay import command_replay

        return command_replay(args, console)
    from scenarios.shrink import command_shrink

    return command_shrink(args, console)


# ----------------------------------------------------------------------------- compare


class RichSink:
    """One progress bar per job (simulated time) and one for the whole comparison."""

    def __init__(self, progress: Progress, jobs: Sequence[Job], found: Sequence[Variant]) -> None:
        self._progress = progress
        self._overall = progress.add_task(f"all {len(jobs)} runs", total=len(jobs), clock="")
        self._tasks: dict[int, TaskID] = {
            job.index: progress.add_task(
                f"{found[job.variant].label} seed {job.seed}",
                total=1.0,
                clock="queued",
                start=False,
            )
            for job in jobs
        }

    def advanced(self, job: int, now: float, end: float) -> None:
        task = self._tasks[job]
        if not self._progress.tasks[task].started:
            self._progress.start_task(task)
        hours, rest = divmod(int(now), 3600)
        self._progress.update(
            task, total=end, completed=now, clock=f"simulated {hours:02d}:{rest // 60:02d}"
        )

    def finished(self, outcome: JobOutcome) -> None:
        verdict = "passed" if outcome.report["passed"] else "FAILED"
        task = self._tasks[outcome.job.index]
        total = self._progress.tasks[task].total or 1.0
        self._progress.update(
            task, completed=total, clock=f"{verdict} in {outcome.wall_seconds:.1f} s"
        )
        self._progress.stop_task(task)
        self._progress.advance(self._overall)


def print_comparison(console: Console, comparison: dict[str, Any]) -> None:
    seeds = comparison["seeds"]
    table = Table(
        title=f"{comparison['scenario']}: {len(seeds)} seeds "
        f"({seeds[0]}..{seeds[-1]}); mean (min..max)",
        title_justify="left",
    )
    table.add_column("metric")
    table.add_column("better")
    for variant in comparison["variants"]:
        table.add_column(variant["label"], justify="right", overflow="fold")
    for metric, (_, cells) in zip(
        comparison["metrics"], compare.table_rows(comparison), strict=True
    ):
        table.add_row(metric["label"], metric["better"], *cells)
    console.print(table)


def command_compare(args: argparse.Namespace, console: Console) -> int:
    axes = [parse_vary(text) for text in args.vary]
    found, seeds, jobs = plan(
        args.scenario,
        args.overrides,
        axes,
        args.seeds,
        args.seed,
        args.out,
        html=not args.no_run_html,
    )
    workers = min(args.jobs or os.cpu_count() or 1, len(jobs))
    console.print(
        f"{len(found)} variants x {len(seeds)} seeds = {len(jobs)} runs on "
        f"{workers} worker process{'es' if workers > 1 else ''}"
    )
    started = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[clock]}"),
        TimeElapsedColumn(),
        console=console,
        disable=args.quiet,
        transient=False,
    ) as progress:
        try:
            outcomes = execute(jobs, workers, RichSink(progress, jobs, found))
        except KeyboardInterrupt:
            console.print("interrupted: no comparison written")
            return EXIT_INTERRUPTED
    wall = time.perf_counter() - started
    comparison = compare.build(
        args.scenario, args.overrides, axes, seeds, found, outcomes, workers, wall, args.out
    )
    print_comparison(console, comparison)
    console.print(f"{len(jobs)} runs in {wall:.1f} s wall time")
    if args.out is not None:
        from scenarios.compare_html import compare_page

        paths = compare.write_tables(comparison, args.out)
        runs = [[o.series for o in outcomes if o.job.variant == v] for v in range(len(found))]
        html = args.out / "report.html"
        html.write_text(compare_page(comparison, runs), encoding="utf-8")
        paths.append(html)
        console.print(
            "written: "
            + ", ".join(str(p) for p in paths)
            + f" and {len(jobs)} run directories under {args.out / 'runs'}"
        )
    return EXIT_PASSED
