"""`retailtwin run`: one scenario in simulated time, judged, its verdict printed as a
table, and with `--out DIR` its reports and read model written."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from scenarios.checking.metrics import SlaOutcome, Unit
from scenarios.checking.truth import Truth, gather
from scenarios.checking.verdict import Verdict, judge
from scenarios.cli.arguments import ExitCode, add_set, non_negative
from scenarios.reports.manifest import MANIFEST_FILE
from scenarios.reports.metrics_file import METRICS_FILE, write_metrics_file
from scenarios.reports.out_folder import claimed, hold
from scenarios.reports.read_model import write_read_model
from scenarios.reports.run_files import write_run_reports
from scenarios.reports.series import extract
from scenarios.spec.loader import load_scenario
from scenarios.spec.scenario import Scenario
from scenarios.twin.gc_tuning import collector_tuned_for_simulation
from scenarios.twin.projection.projector import READ_MODEL_FILE
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run
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


def _fmt(value: float | None, unit: Unit) -> str:
    if value is None:
        return "never"
    if unit == Unit.SECONDS:
        return f"{value:,.1f} s"
    if unit == Unit.PERCENT:
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
        unmeasured = sla.outcome == SlaOutcome.NOT_MEASURABLE
        table.add_row(
            f"SLA {sla.name}",
            "n/a" if unmeasured else ("≥ " if sla.at_least else "") + _fmt(sla.value, sla.unit),
            f"{bound} {_fmt(sla.threshold, sla.unit)}",
            "[yellow]not measurable[/]" if unmeasured else _result(sla.passed),
            sla.not_measurable or "",
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
    unfinished = _unfinished(m)
    if unfinished:
        console.print(f"still unfinished at the end, counted as censored: {unfinished}")
    console.print(f"digest {verdict.digest}")
    if verdict.passed:
        console.print("[bold green]PASSED[/]")
    else:
        console.print(
            "[bold red]FAILED[/]   replay with:  " + verdict.replay_command(), soft_wrap=True
        )


#: the latencies whose unfinished items the verdict names: (key, one item, several)
_CENSORED = (
    ("order_to_erp_s", "order never booked in the ERP", "orders never booked in the ERP"),
    ("order_to_ship_s", "order released and not shipped", "orders released and not shipped"),
    ("return_to_refund_s", "return received and not refunded", "returns received and not refunded"),
    ("sync_lag_s", "stock movement no channel saw", "stock movements no channel saw"),
)


def _unfinished(metrics: dict[str, Any]) -> str:
    """'73 orders never booked in the ERP, 1 return...' for every latency with censored
    items, so a percentile marked >= says what it rests on."""
    parts = []
    for key, one, several in _CENSORED:
        count = int((metrics.get(key, {}).get("all") or {}).get("censored") or 0)
        if count:
            parts.append(f"{count:,} {one if count == 1 else several}")
    return ", ".join(parts)


def _result(passed: bool) -> str:
    return "[green]pass[/]" if passed else "[bold red]FAIL[/]"


def _clock(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours:02d}:{rest // 60:02d}"


def command(args: argparse.Namespace, console: Console) -> int:
    scenario = load_scenario(args.scenario, args.overrides, args.seed)
    if args.out is None:
        verdict, _ = _judge(_simulate(scenario, args.quiet, console, None), args, console)
        return _exit_code(verdict)
    # claimed before the run: a bad or busy --out is refused before a minute is spent
    with claimed(args.out) as folder:
        for note in folder.cleaned:
            console.print(
                note,
                highlight=False,
                soft_wrap=True,
            )
        observer = TimelineRecorder()
        result = _simulate(scenario, args.quiet, console, observer)
        verdict, truth = _judge(result, args, console)
        series = extract(result, truth, args.scenario)
        write_run_reports(verdict, series, folder.staging)
        write_metrics_file(result, truth, folder.staging)
        hold("reports", folder.staging)
        write_read_model(result, verdict, observer, folder.staging, truth)
        folder.publish("run")
    console.print(
        f"written to {args.out}: report.json, junit.xml, report.html, {METRICS_FILE}, "
        f"{READ_MODEL_FILE} and {MANIFEST_FILE} (serve it: retailtwin serve --db {args.out})",
        highlight=False,
        soft_wrap=True,
    )
    return _exit_code(verdict)


def _simulate(
    scenario: Scenario, quiet: bool, console: Console, observer: TimelineRecorder | None
) -> RunResult:
    end = scenario.duration_s + scenario.drain_s
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("simulated {task.fields[clock]} / " + _clock(end)),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task(scenario.name, total=end, clock="00:00")

        def advance(now: float, total: float) -> None:
            progress.update(task, completed=now, clock=_clock(now))

        return run(scenario, advance, observer=observer)


def _judge(result: RunResult, args: argparse.Namespace, console: Console) -> tuple[Verdict, Truth]:
    with collector_tuned_for_simulation():
        truth = gather(result)
    verdict = judge(result, args.scenario, args.overrides, truth)
    print_verdict(console, verdict)
    return verdict, truth


def _exit_code(verdict: Verdict) -> int:
    return ExitCode.PASSED if verdict.passed else ExitCode.FAILED
