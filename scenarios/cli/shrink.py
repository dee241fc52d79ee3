"""`retailtwin shrink`: search for a smaller scenario that breaks the same invariant
and write it as a scenario file (exit 0), or say the run does not fail (exit 1)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from scenarios.checking.invariants import Invariant
from scenarios.cli.arguments import ExitCode, add_set, non_negative, positive
from scenarios.experiments.shrink import Shrunk, describe, shrink, write
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario


def add_parser(commands: Any) -> None:
    shr = commands.add_parser(
        "shrink",
        help="find a smaller scenario that breaks the same invariant",
        description="Run the scenario, then search for a smaller one (shorter, fewer "
        "SKUs and stores, less demand, fewer faults) that still breaks the "
        "same invariant, and write it as a scenario file. Exit 0 when a "
        "failing case was written, 1 when the original run does not fail, 2 "
        "for bad input.",
    )
    shr.add_argument(
        "scenario",
        metavar="NAME_OR_PATH",
        help="a shipped scenario name (see `retailtwin scenarios`) or a path to a .toml file",
    )
    shr.add_argument(
        "--seed",
        type=non_negative,
        default=None,
        help="override the scenario's seed (a non-negative integer)",
    )
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
    add_set(shr)


def command(args: argparse.Namespace, console: Console) -> int:
    names = [str(name) for name in Invariant]
    if args.invariant is not None and args.invariant not in names:
        raise ScenarioError(
            f"--invariant {args.invariant}: unknown invariant; expected one of: {', '.join(names)}",
            field="--invariant",
        )
    scenario = load_scenario(args.scenario, args.overrides, args.seed)
    out = args.out or Path(f"shrunk-{scenario.name}-seed-{scenario.seed}.toml")
    with Progress(
        TextColumn("[bold]shrink"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("runs  {task.fields[status]}"),
        console=console,
        disable=args.quiet,
        transient=True,
    ) as bar:
        task = bar.add_task("shrink", total=args.max_runs, status="running the original")

        def report(status: str, state: Shrunk) -> None:
            bar.update(
                task,
                completed=state.runs,
                status=f"{state.trial.size.simulated_events:,} events; {status}",
            )
            if status.startswith("kept") and not args.quiet:
                bar.console.print(f"  {status}: {state.trial.size}", highlight=False)

        shrunk = shrink(scenario, args.invariant, args.max_runs, report, args.seed_tries)
    if shrunk is None:
        which = args.invariant or "any invariant"
        console.print(
            f"nothing to shrink: {args.scenario} seed {scenario.seed} does not break {which}"
        )
        return ExitCode.FAILED
    path = write(shrunk, out, args.scenario, scenario.seed, list(args.overrides))
    console.print(
        describe(shrunk, args.scenario, scenario.seed, list(args.overrides)), highlight=False
    )
    console.print(
        f"written to {path}; reproduce with:  retailtwin run {path}",
        soft_wrap=True,
        highlight=False,
    )
    return ExitCode.PASSED
