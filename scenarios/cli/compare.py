"""`retailtwin compare`: design variants over several seeds, run in parallel with a
progress bar per run, their headline metrics printed as a table and written out."""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from scenarios.cli.arguments import ExitCode, add_set, non_negative, positive, positive_number
from scenarios.experiments import cluster, compare
from scenarios.experiments.pool import LocalPool, run_inline
from scenarios.experiments.sweep import (
    Job,
    JobOutcome,
    Variant,
    make_run_folders,
    parse_vary,
    plan,
)
from scenarios.reports import compare_tables
from scenarios.reports.manifest import MANIFEST_FILE
from scenarios.reports.out_folder import OutFolder, claimed
from scenarios.spec.errors import ScenarioError


def add_parser(commands: Any) -> None:
    cmp = commands.add_parser(
        "compare",
        help="run design variants over several seeds and compare them",
        description="Run every combination of the --vary values over N seeds in parallel "
        "processes and print each headline metric's mean and range per variant. "
        "Exit 0 when the comparison completed (failing variants are findings), "
        "2 for bad input.",
    )
    cmp.add_argument(
        "scenario",
        metavar="NAME_OR_PATH",
        help="a shipped scenario name (see `retailtwin scenarios`) or a path to a .toml file",
    )
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
        help="worker processes (default: one per CPU core; with --cluster local, the "
        "local Dask cluster's)",
    )
    cmp.add_argument(
        "--cluster",
        type=_cluster_address,
        default=None,
        metavar="ADDRESS",
        help="run each (variant, seed) as a task on a Dask cluster: a scheduler address "
        "(tcp://host:8786) whose workers run this same retailtwin, or `local` for a local "
        "cluster of --jobs processes (docs/cluster.md)",
    )
    cmp.add_argument(
        "--cluster-timeout",
        type=positive_number,
        default=cluster.CONNECT_TIMEOUT_S,
        metavar="SECONDS",
        help="with --cluster, how long to wait for the scheduler to answer and for its "
        f"first worker (default {cluster.CONNECT_TIMEOUT_S:g})",
    )
    cmp.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="write compare.json, compare.csv, runs.csv, report.html, manifest.json and "
        "runs/VARIANT/seed-N/ with each run's reports and metrics.prom; written aside and "
        "renamed into place when complete, replacing an earlier comparison's folder",
    )
    cmp.add_argument(
        "--no-run-html",
        action="store_true",
        help="with --out, skip each run's own report.html (faster)",
    )
    cmp.add_argument("--quiet", action="store_true", help="no progress bars")
    add_set(cmp)


def _cluster_address(text: str) -> str:
    try:
        return cluster.parse_address(text)
    except ScenarioError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
        comparison["metrics"], compare_tables.table_rows(comparison), strict=True
    ):
        table.add_row(metric["label"], metric["better"], *cells)
    console.print(table)


def command(args: argparse.Namespace, console: Console) -> int:
    if args.cluster not in (None, cluster.LOCAL) and args.jobs is not None:
        raise ScenarioError(
            f"--jobs {args.jobs}: the workers of the cluster at {args.cluster} decide how many "
            "runs go at once; leave --jobs out (it sizes --cluster local only)",
            field="--jobs",
        )
    axes = [parse_vary(text) for text in args.vary]
    with ExitStack() as stack:
        # claimed before any run: a bad or busy --out is refused at once
        folder = None if args.out is None else stack.enter_context(claimed(args.out))
        staging = None if folder is None else folder.staging
        for note in [] if folder is None else folder.cleaned:
            console.print(
                note,
                highlight=False,
                soft_wrap=True,
            )
        found, seeds, jobs = plan(
            args.scenario,
            args.overrides,
            axes,
            args.seeds,
            args.seed,
            staging,
            html=not args.no_run_html,
        )
        make_run_folders(jobs)
        client = None
        if args.cluster is None:
            workers = min(args.jobs or os.cpu_count() or 1, len(jobs))
            where = f"{workers} worker process{'es' if workers > 1 else ''}"
        else:
            target = cluster.ClusterTarget(
                args.cluster, args.jobs or os.cpu_count() or 1, args.cluster_timeout
            )
            connecting = time.perf_counter()
            client = stack.enter_context(cluster.connected(target))
            ready = time.perf_counter() - connecting
            workers = cluster.worker_count(client)
            where = (
                f"a local Dask cluster of {workers} worker{'s' if workers > 1 else ''} "
                f"(started in {ready:.1f} s)"
                if target.local
                else f"the Dask cluster at {args.cluster} ({workers} "
                f"worker{'s' if workers > 1 else ''}, ready in {ready:.1f} s)"
            )
        console.print(
            f"{len(found)} variants x {len(seeds)} seeds = {len(jobs)} runs on {where}",
            soft_wrap=True,
        )
        started = time.perf_counter()
        try:
            outcomes = _execute(args, console, jobs, found, workers, client)
        except cluster.RunFailed as exc:
            console.print(f"[red]{exc}[/red]; no comparison written", soft_wrap=True)
            return ExitCode.FAILED
        if outcomes is None:
            console.print("interrupted: no comparison written")
            return ExitCode.INTERRUPTED
        wall = time.perf_counter() - started
        comparison = compare.build(
            args.scenario, args.overrides, axes, seeds, found, outcomes, workers, wall, staging
        )
        print_comparison(console, comparison)
        console.print(f"{len(jobs)} runs in {wall:.1f} s wall time")
        if folder is not None:
            _write(folder, comparison, outcomes, len(found))
            console.print(
                f"written to {args.out}: compare.json, compare.csv, runs.csv, report.html, "
                f"{MANIFEST_FILE} and {len(jobs)} run folders under {args.out / 'runs'}",
                highlight=False,
                soft_wrap=True,
            )
    return ExitCode.PASSED


def _execute(
    args: argparse.Namespace,
    console: Console,
    jobs: Sequence[Job],
    found: Sequence[Variant],
    workers: int,
    client: Any = None,
) -> list[JobOutcome] | None:
    """Every job's outcome, drawn as progress bars; None when interrupted by Ctrl-C.
    With a Dask `client`, the jobs run on its cluster; otherwise on a local pool, whose
    workers are forked before the progress bars' thread starts (pool.py says why)."""
    try:
        with ExitStack() as stack:
            pool = (
                stack.enter_context(LocalPool(workers))
                if client is None and workers > 1 and len(jobs) > 1
                else None
            )
            progress = stack.enter_context(
                Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    TextColumn("{task.fields[clock]}"),
                    TimeElapsedColumn(),
                    console=console,
                    disable=args.quiet,
                    transient=False,
                )
            )
            sink = RichSink(progress, jobs, found)
            if client is not None:
                return cluster.execute_on_cluster(client, jobs, sink)
            if pool is not None:
                return pool.run(jobs, sink)
            return run_inline(jobs, sink)
    except KeyboardInterrupt:
        return None


def _write(
    folder: OutFolder, comparison: dict[str, Any], outcomes: Sequence[JobOutcome], variants: int
) -> None:
    """The comparison's files into the staging folder beside the runs', then publish."""
    from scenarios.reports.compare_page import compare_page

    compare_tables.write_tables(comparison, folder.staging)
    runs = [[o.series for o in outcomes if o.job.variant == v] for v in range(variants)]
    page = folder.staging / "report.html"
    page.write_text(compare_page(comparison, runs), encoding="utf-8")
    folder.publish("compare")
