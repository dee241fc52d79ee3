"""What `retailtwin run` prints, in simulated time or against an external hub: the
simulated clock of the progress bar, and the verdict as a table of every invariant and
SLA with its value, threshold and result, the day's volumes, what was still unfinished,
the digest, and PASSED or FAILED with the command that replays the run."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from scenarios.checking.marketplace_figures import marketplaces_line
from scenarios.checking.observations import Walked, walk
from scenarios.checking.truth import Truth, gather
from scenarios.checking.verdict import Verdict, judge
from scenarios.cli.arguments import ExitCode
from scenarios.cli.verdict_table import print_table
from scenarios.reports.volume_words import volumes_line
from scenarios.spec.scenario import Scenario
from scenarios.twin.gc_tuning import collector_tuned_for_simulation
from scenarios.twin.run_result import RunResult

if TYPE_CHECKING:
    # types only: `run --out` imports what writes the files once the day has run
    from scenarios.reports.page_process import PageDrawer
    from scenarios.reports.read_model_process import ReadModelWriter
    from scenarios.twin.timeline import TimelineRecorder


def print_verdict(console: Console, verdict: Verdict) -> None:
    print_table(console, verdict)
    m = verdict.metrics
    console.print(volumes_line(m), highlight=False)
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


def clock_text(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours:02d}:{rest // 60:02d}"


@contextmanager
def day_progress(
    console: Console, scenario: Scenario, quiet: bool
) -> Iterator[Callable[[float, float], None]]:
    """A progress bar over the simulated day; yields the callback the runner advances
    it with. It shows the wall time spent and an estimate of the time left (rich's,
    from the simulated day's recent pace: a peak ahead makes it optimistic)."""
    end = scenario.duration_s + scenario.drain_s
    columns: list[ProgressColumn] = [
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("simulated {task.fields[clock]} / " + clock_text(end)),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    ]
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
    gathered: Callable[[Truth, Walked], None] | None = None,
) -> tuple[Verdict, Truth]:
    """Judge the run, print the verdict; `replay_args` are the options besides the
    scenario, seed and overrides the replay command needs (`--hub URL`); `gathered` is
    handed the run's truth and its latencies, walked once for the verdict, the charts
    and metrics.prom (`observations.walk`), before it is judged (`run --out` starts
    the charts and keeps the walk: `run_files.FirstLook`)."""
    walked = None
    with collector_tuned_for_simulation():
        truth = gather(result)
        if gathered is not None:
            walked = walk(result, truth)
            gathered(truth, walked)
    verdict = judge(result, args.scenario, args.overrides, truth, walked=walked)
    verdict.replay_args = list(replay_args)
    print_verdict(console, verdict)
    return verdict, truth


def judge_and_write(
    result: RunResult,
    args: argparse.Namespace,
    console: Console,
    observer: TimelineRecorder,
    staging: Path,
    drawer: PageDrawer,
) -> tuple[Verdict, ReadModelWriter]:
    """What `run --out` does once the day has run, into `staging`: the read model's
    writer starts projecting the run while it is judged here, and the page's drawer its
    charts; the verdict is printed, and every file written once the writer has ended
    (killed if need be). One sequence, so that `benchmarks/out_parts.py` times the very
    steps the command takes."""
    from scenarios.reports.read_model_process import writing_process
    from scenarios.reports.run_files import charts_first, write_run_folder

    with writing_process(result, observer, staging) as writer:
        first = charts_first(drawer, result, args.scenario)
        verdict, truth = judge_and_print(result, args, console, gathered=first)
        write_run_folder(
            result,
            verdict,
            truth,
            observer,
            staging,
            drawer=drawer,
            writer=writer,
            walked=first.walked,
        )
    return verdict, writer


def exit_code(verdict: Verdict) -> int:
    return ExitCode.PASSED if verdict.passed else ExitCode.FAILED
