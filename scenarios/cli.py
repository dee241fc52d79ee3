"""The `retailtwin` command: a thin shell over functions the tests call directly.

Exit codes are part of the interface CI relies on: 0 everything passed, 1 an invariant
or SLA failed, 2 bad input (unknown option, bad scenario file, bad override). Bad input
gets a one-line message naming the field, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from scenarios import cli_reports, library, serve
from scenarios.collector import collector_tuned_for_simulation
from scenarios.errors import ScenarioError
from scenarios.loader import load_scenario
from scenarios.report_files import write_run_reports
from scenarios.run_read_model import write_run_read_model
from scenarios.runtime import run
from scenarios.series import extract
from scenarios.timeline import TimelineRecorder
from scenarios.truth import gather
from scenarios.verdict import Verdict, judge

EXIT_PASSED, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="retailtwin",
        description="A digital twin of an omnichannel retailer's integration estate.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
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
        type=_seed,
        default=None,
        help="override the scenario's seed (a non-negative integer)",
    )
    run_cmd.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="write DIR/report.json, DIR/junit.xml, DIR/report.html and the "
        "read model DIR/read_model.sqlite",
    )
    run_cmd.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario field by its dotted TOML path, e.g. "
        "hub.sync=batch:15m (repeatable)",
    )
    run_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    commands.add_parser("scenarios", help="list the shipped scenarios")
    serve.add_parser(commands, _seed)
    cli_reports.add_commands(commands)
    return parser


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {value}")
    return value


def _fmt(value: float | None, name: str) -> str:
    if value is None:
        return "never"
    if name.endswith("_s"):
        return f"{value:,.1f} s"
    if name.endswith("_pct") or name.endswith("pct_max"):
        return f"{value:.2f} %"
    return f"{value:,.0f}"


def print_verdict(console: Console, verdict: Verdict) -> None:
    table = Table(title=f"{verdict.scenario} (seed {verdict.seed})", title_justify="left")
    table.add_column("check")
    table.add_column("value", justify="right")
    table.add_column("threshold", justify="right")
    table.add_column("result")
    table.add_column("detail", overflow="fold", max_width=70)
    for check in verdict.invariants:
        table.add_row(
            f"invariant {check.name}",
            str(check.violations),
            "0",
            _result(check.passed),
            check.detail,
        )
    for sla in verdict.sla:
        bound = "<=" if sla.bound == "max" else ">="
        table.add_row(
            f"SLA {sla.name}",
            _fmt(sla.value, sla.name),
            f"{bound} {_fmt(sla.threshold, sla.name)}",
            _result(sla.passed),
            "",
        )
    console.print(table)
    m = verdict.metrics
    volumes, oversell = m["volumes"], m["oversell"]
    console.print(
        f"{volumes['channel_orders']:,} channel orders {volumes['orders_by_channel']}, "
        f"{volumes['store_sales']:,} store sales, {volumes['returns']:,} returns; "
        f"oversold {oversell['oversold_units']:,} units; "
        f"{volumes['duplicates_delivered']:,} duplicates and "
        f"{volumes['reordered_messages']:,} reordered messages on the wire"
    )
    console.print(f"digest {verdict.digest}")
    if verdict.passed:
        console.print("[bold green]PASSED[/]")
    else:
        console.print(
            "[bold red]FAILED[/]   replay with:  " + verdict.replay_command(), soft_wrap=True
        )


def _result(passed: bool) -> str:
    return "[green]pass[/]" if passed else "[bold red]FAIL[/]"


def _clock(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours:02d}:{rest // 60:02d}"


def command_run(args: argparse.Namespace, console: Console) -> int:
    scenario = load_scenario(args.scenario, args.overrides, args.seed)
    end = scenario.duration_s + scenario.drain_s
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("simulated {task.fields[clock]} / " + _clock(end)),
        TimeElapsedColumn(),
        console=console,
        disable=args.quiet,
        transient=True,
    ) as progress:
        task = progress.add_task(scenario.name, total=end, clock="00:00")

        def advance(now: float, total: float) -> None:
            progress.update(task, completed=now, clock=_clock(now))

        observer = TimelineRecorder() if args.out is not None else None
        result = run(scenario, advance, observer=observer)
    with collector_tuned_for_simulation():
        truth = gather(result)
    verdict = judge(result, args.scenario, args.overrides, truth)
    print_verdict(console, verdict)
    if args.out is not None:
        paths = write_run_reports(verdict, extract(result, truth, args.scenario), args.out)
        console.print("reports written: " + ", ".join(str(path) for path in paths))
        database = write_run_read_model(result, verdict, observer, args.out)
        console.print(
            f"read model written to {database} (serve it: retailtwin serve --db {args.out})",
            highlight=False,
        )
    return EXIT_PASSED if verdict.passed else EXIT_FAILED


def command_scenarios(console: Console) -> int:
    for name in library.shipped_names():
        console.print(f"[bold]{name:<22}[/] {library.describe(name)}", highlight=False)
    return EXIT_PASSED


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    console = Console()
    try:
        if args.command == "run":
            return command_run(args, console)
        if args.command == "scenarios":
            return command_scenarios(console)
        if args.command == "serve":
            return serve.command_serve(args, console)
        if args.command in cli_reports.COMMANDS:
            return cli_reports.dispatch(args, console)
    except ScenarioError as exc:
        print(f"retailtwin: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    parser.print_help()
    return EXIT_PASSED


def console_main() -> None:
    """The console script: `main`, then leave without tearing the heap down.

    A peak-day run leaves millions of objects behind; freeing them one by one at
    interpreter exit took several seconds after the verdict was already printed. Every
    file the command writes is closed by then, so the process flushes its streams and
    exits at once.
    """
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    console_main()
