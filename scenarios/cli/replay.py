"""`retailtwin replay DIR`: rerun the run recorded in DIR/report.json and say whether
it gives the same digest (exit 0) or not (exit 1)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from scenarios.cli.arguments import ExitCode
from scenarios.experiments.replay import load_report, replay_report


def add_parser(commands: Any) -> None:
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


def command(args: argparse.Namespace, console: Console) -> int:
    path, report = load_report(args.directory)
    console.print(f"replaying {path}: {report['replay']}", soft_wrap=True, highlight=False)
    with Progress(
        TextColumn("[bold]replay"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=args.quiet,
        transient=True,
    ) as bar:
        task = bar.add_task("replay", total=1.0)

        def advance(now: float, end: float) -> None:
            bar.update(task, total=end, completed=now)

        replayed = replay_report(path, report, advance)
    if replayed.drift:
        console.print(replayed.drift, style="yellow", highlight=False)
    console.print(f"recorded digest {replayed.recorded_digest}", highlight=False)
    console.print(f"replayed digest {replayed.digest}", highlight=False)
    if replayed.same:
        console.print("[bold green]SAME[/]  the run reproduces exactly")
        return ExitCode.PASSED
    console.print(
        "[bold red]DIFFERENT[/]  the same scenario and seed no longer give the "
        "same run: the code's behaviour changed since the report was written"
    )
    return ExitCode.FAILED
