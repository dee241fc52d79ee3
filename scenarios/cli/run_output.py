"""What `retailtwin run` prints, in simulated time or against an external hub: the
simulated clock of the progress bar, and the verdict as a table of every invariant and
SLA with its value, threshold and result, the day's volumes, what was still unfinished,
the digest, and PASSED or FAILED with the command that replays the run."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from scenarios.checking.marketplace_figures import marketplaces_line
from scenarios.checking.metrics import SlaOutcome, Unit
from scenarios.checking.truth import Truth, gather
from scenarios.checking.verdict import Verdict, judge
from scenarios.cli.arguments import ExitCode
from scenarios.spec.scenario import Scenario
from scenarios.twin.gc_tuning import collector_tuned_for_simulation
from scenarios.twin.run_result import RunResult


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
    marketplaces = marketplaces_line(m)
    if marketplaces:
        console.print(f"marketplaces: {marketplaces}")
    if "dropship" in m:
        console.print(dropship_line(m["dropship"]))
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


def dropship_line(dropship: dict[str, Any]) -> str:
    """'drop-ship: partner:acme 26 POs (5 sent again, 85% acknowledged in window) 34
    units shipped, 1 short, 3 late notices; ...; 100% of their lines reached them'."""
    parts = [
        f"{system} {p['pos_received']:,} POs ({p['pos_sent_again']:,} sent again, "
        f"{p['acked_within_window_pct']:g}% acknowledged in window) "
        f"{p['shipped_units']:,} units shipped, {p['short_units']:,} short, "
        f"{p['late_notices']:,} late notices"
        for system, p in dropship["partners"].items()
    ]
    return (
        f"drop-ship: {'; '.join(parts)}; "
        f"{dropship['lines_to_partner_pct']:g}% of their lines reached them"
    )


def _result(passed: bool) -> str:
    return "[green]pass[/]" if passed else "[bold red]FAIL[/]"


def clock_text(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours:02d}:{rest // 60:02d}"


@contextmanager
def day_progress(
    console: Console, scenario: Scenario, quiet: bool, wall_clock: bool = False
) -> Iterator[Callable[[float, float], None]]:
    """A progress bar over the simulated day; yields the callback the runner advances
    it with. A wall-clock run also shows the time left, which is then worth knowing."""
    end = scenario.duration_s + scenario.drain_s
    columns: list[ProgressColumn] = [
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("simulated {task.fields[clock]} / " + clock_text(end)),
        TimeElapsedColumn(),
    ]
    if wall_clock:
        columns.append(TimeRemainingColumn())
    with Progress(*columns, console=console, disable=quiet, transient=True) as progress:
        task = progress.add_task(scenario.name, total=end, clock="00:00")

        def advance(now: float, total: float) -> None:
            progress.update(task, completed=now, clock=clock_text(now))

        yield advance


def judge_and_print(
    result: RunResult,
    args: argparse.Namespace,
    console: Console,
    replay_args: Sequence[str] = (),
) -> tuple[Verdict, Truth]:
    """Judge the run, print the verdict; `replay_args` are the options besides the
    scenario, seed and overrides the replay command needs (`--hub URL`)."""
    with collector_tuned_for_simulation():
        truth = gather(result)
    verdict = judge(result, args.scenario, args.overrides, truth)
    verdict.replay_args = list(replay_args)
    print_verdict(console, verdict)
    return verdict, truth


def exit_code(verdict: Verdict) -> int:
    return ExitCode.PASSED if verdict.passed else ExitCode.FAILED
