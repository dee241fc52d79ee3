"""`retailtwin run SCENARIO --hub URL`: the scenario against an external hub, against
the wall clock, judged by the same checker from the same ground truth."""

from __future__ import annotations

import argparse
import asyncio

from rich.console import Console

from scenarios.cli.arguments import ExitCode
from scenarios.cli.hub_options import DEFAULT_SPEED
from scenarios.cli.run_output import day_progress, exit_code, judge_and_print
from scenarios.live.ground_projection import GroundProjector
from scenarios.reports.manifest import MANIFEST_FILE
from scenarios.reports.metrics_file import METRICS_FILE
from scenarios.reports.out_folder import claimed
from scenarios.reports.run_files import write_run_folder
from scenarios.spec.errors import ScenarioError
from scenarios.spec.scenario import Scenario
from scenarios.twin.external.boundary import check_runnable
from scenarios.twin.external.wall_run import HubUnreachable, WallClockRun, run_against_hub
from scenarios.twin.projection.read_model_file import READ_MODEL_FILE
from scenarios.twin.run_result import RunResult
from scenarios.twin.timeline import TimelineRecorder


class RunInterrupted(Exception):
    """Ctrl-C (or SIGTERM) during a run against an external hub: nothing is judged."""


def command(scenario: Scenario, args: argparse.Namespace, console: Console) -> int:
    check_runnable(scenario)
    how = WallClockRun(args.hub, args.speed or DEFAULT_SPEED, args.backends_port or 0)
    replay = ["--hub", how.hub_url, "--speed", f"{how.speed:g}"]
    try:
        if args.out is None:
            result = _run(scenario, how, args.quiet, console)
            verdict, _ = judge_and_print(result, args, console, replay)
            return exit_code(verdict)
        return _run_into_folder(scenario, how, args, console, replay)
    except RunInterrupted:
        console.print("interrupted: the day was stopped, nothing was judged or written")
        return ExitCode.INTERRUPTED


def _run_into_folder(
    scenario: Scenario,
    how: WallClockRun,
    args: argparse.Namespace,
    console: Console,
    replay: list[str],
) -> int:
    with claimed(args.out) as folder:
        observer = TimelineRecorder()
        result = _run(scenario, how, args.quiet, console, observer)
        verdict, truth = judge_and_print(result, args, console, replay)
        # the hub's state is in another process: the read model is rebuilt from the
        # systems' records, as `serve --hub` shows it live
        write_run_folder(result, verdict, truth, observer, folder.staging, GroundProjector)
        folder.publish("run")
    console.print(
        f"written to {args.out}: report.json, junit.xml, report.html, {METRICS_FILE}, "
        f"{READ_MODEL_FILE} and {MANIFEST_FILE} (serve it: retailtwin serve --db {args.out})",
        highlight=False,
        soft_wrap=True,
    )
    return exit_code(verdict)


def _run(
    scenario: Scenario,
    how: WallClockRun,
    quiet: bool,
    console: Console,
    observer: TimelineRecorder | None = None,
) -> RunResult:
    console.print(
        f"running {scenario.name} against the hub at {how.hub_url}, {how.speed:g}x the wall "
        "clock (a wall-clock run: its digest is not expected to repeat)",
        highlight=False,
        soft_wrap=True,
    )
    with day_progress(console, scenario, quiet) as advance:
        try:
            return asyncio.run(run_against_hub(scenario, how, advance, observer))
        except HubUnreachable as exc:
            raise ScenarioError(str(exc), field="--hub") from None  # or --backends-port
        except KeyboardInterrupt:
            raise RunInterrupted from None
