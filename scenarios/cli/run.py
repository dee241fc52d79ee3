"""`retailtwin run`: one scenario in simulated time, judged, its verdict printed as a
table, and with `--out DIR` its reports and read model written.

A plain run imports neither the read model (SQLAlchemy) nor the HTTP stack: `--out` and
`--hub` bring theirs when asked (`_run_into_folder`, `run_external`). Modules stay in
memory for the whole run, so that is some 50 MiB less peak memory for every run without
them, and a second less to start. `--out` imports what writes the files once the day has
run, and never the read model's database layer: the process writing the read model
(`read_model_process`) imports it on the other core (`tests/unit/scenarios/cli/
test_lean_imports.py` holds both)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from scenarios.cli.arguments import add_set, non_negative, port_number, positive_number
from scenarios.cli.hub_options import DEFAULT_SPEED, hub_url
from scenarios.cli.run_output import day_progress, exit_code, judge_and_print, judge_and_write
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario
from scenarios.spec.scenario import Scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run

if TYPE_CHECKING:
    from scenarios.twin.timeline import TimelineRecorder


def add_parser(commands: Any) -> None:
    run_cmd = commands.add_parser(
        "run",
        help="run a scenario and print its verdict",
        description="Run a scenario in simulated time, check it against ground truth and "
        "print the verdict. Exit 0 passed, 1 failed, 2 bad input.",
    )
    run_cmd.add_argument(
        "scenario",
        metavar="NAME_OR_PATH",
        help="a shipped scenario name (see `retailtwin scenarios`) or a path to a .toml file",
    )
    run_cmd.add_argument(
        "--seed",
        type=non_negative,
        default=None,
        help="override the scenario's seed (a non-negative integer)",
    )
    run_cmd.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="write DIR/report.json, DIR/junit.xml, DIR/report.html, the metrics "
        "DIR/metrics.prom (OpenMetrics), the read model DIR/read_model.sqlite and "
        "DIR/manifest.json; written aside and renamed into place when complete, "
        "replacing an earlier run's folder",
    )
    add_set(
        run_cmd,
        "override a scenario field by its dotted TOML path, e.g. hub.sync=batch:15m (repeatable)",
    )
    run_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    run_cmd.add_argument(
        "--hub",
        type=hub_url,
        default=None,
        metavar="URL",
        help="judge the external hub at URL instead of the built-in one: the backends "
        "are served on a loopback port, the systems' messages POSTed to "
        "URL/webhooks/{source}, and the day runs against the wall clock "
        "(docs/integrate.md; `retailtwin hub serve` is one such hub)",
    )
    run_cmd.add_argument(
        "--speed",
        type=positive_number,
        default=None,
        metavar="X",
        help=f"with --hub: simulated seconds per wall second (default {DEFAULT_SPEED:g}: "
        "a reduced steady-day in about three minutes)",
    )
    run_cmd.add_argument(
        "--backends-port",
        type=port_number,
        default=None,
        metavar="PORT",
        help="with --hub: the loopback port to serve the backends on (default: any free one)",
    )


def command(args: argparse.Namespace, console: Console) -> int:
    scenario = load_scenario(args.scenario, args.overrides, args.seed)
    if args.hub is None:
        for option, value in (("--speed", args.speed), ("--backends-port", args.backends_port)):
            if value is not None:
                raise ScenarioError(
                    f"{option} needs --hub URL: only a run against an "
                    "external hub runs against the wall clock",
                    field=option,
                )
    else:
        from scenarios.cli import run_external

        return run_external.command(scenario, args, console)
    if args.out is None:
        verdict, _ = judge_and_print(_simulate(scenario, args.quiet, console, None), args, console)
        return exit_code(verdict)
    return _run_into_folder(scenario, args, console)


def _run_into_folder(scenario: Scenario, args: argparse.Namespace, console: Console) -> int:
    """`run --out DIR`: the run, its reports and its read model, published whole."""
    from scenarios.reports.manifest import MANIFEST_FILE
    from scenarios.reports.out_folder import claimed
    from scenarios.reports.page_process import drawing_process
    from scenarios.twin.projection.read_model_file import READ_MODEL_FILE
    from scenarios.twin.timeline import TimelineRecorder

    # the page's drawer starts first, so it holds no claim; claimed before the run: a
    # bad or busy --out is refused before a minute is spent
    with drawing_process() as drawer, claimed(args.out) as folder:
        for note in folder.cleaned:
            console.print(
                note,
                highlight=False,
                soft_wrap=True,
            )
        observer = TimelineRecorder()
        result = _simulate(scenario, args.quiet, console, observer)
        # what writes the files, once the day has run (prometheus_client among it)
        from scenarios.reports.metrics_file import METRICS_FILE

        # the writer ends (killed if need be) before the claim is released
        verdict, _ = judge_and_write(result, args, console, observer, folder.staging, drawer)
        folder.publish("run")
    console.print(
        f"written to {args.out}: report.json, junit.xml, report.html, {METRICS_FILE}, "
        f"{READ_MODEL_FILE} and {MANIFEST_FILE} (serve it: retailtwin serve --db {args.out})",
        highlight=False,
        soft_wrap=True,
    )
    return exit_code(verdict)


def _simulate(
    scenario: Scenario, quiet: bool, console: Console, observer: TimelineRecorder | None
) -> RunResult:
    with day_progress(console, scenario, quiet) as advance:
        return run(scenario, advance, observer=observer)
