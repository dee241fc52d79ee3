"""`retailtwin validate FILE...`: check scenario files without running them.

Each file is loaded as `retailtwin run` would load it, and every problem found is
listed (`scenarios.spec.validation`), not only the first; a valid file gets one line
saying what it would run. Exit 0 when every file is valid, 2 when any is not.
"""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from scenarios.cli.arguments import ExitCode
from scenarios.spec.durations import format_duration
from scenarios.spec.run_bounds import expected_volume
from scenarios.spec.validation import validate_file


def add_parser(commands: Any) -> None:
    check = commands.add_parser(
        "validate",
        help="check scenario files without running them",
        description="Check scenario files as `retailtwin run` would load them, listing "
        "every problem of each (not only the first). Exit 0 all valid, 2 any invalid.",
    )
    check.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="a scenario .toml file, or a shipped scenario's name (repeatable)",
    )


def command(args: argparse.Namespace, console: Console) -> int:
    invalid = 0
    for path in args.files:
        verdict = validate_file(path)
        if verdict.scenario is None:
            invalid += 1
            for problem in verdict.problems:
                console.print(f"[red]✗[/] {problem}", highlight=False, soft_wrap=True)
            continue
        scenario = verdict.scenario
        orders, sales = expected_volume(scenario, 1.0)
        console.print(
            f"[green]✓[/] {path}: {scenario.name}, {format_duration(scenario.duration_s)} "
            f"of demand and {format_duration(scenario.drain_s)} of drain, about "
            f"{orders:,.0f} channel orders and {sales:,.0f} store sales",
            highlight=False,
            soft_wrap=True,
        )
    if invalid:
        console.print(f"{invalid} of {len(args.files)} files invalid", highlight=False)
        return ExitCode.BAD_INPUT
    return ExitCode.PASSED
