"""The `retailtwin` command: a thin shell over functions the tests call directly.

Each command is a module of this package with `add_parser(commands)` and
`command(args, console) -> int`; this one registers them and turns bad input
(`ScenarioError`) into a one-line message naming the field and exit 2, never a
traceback. Anything else that escapes a command is a fault in retailtwin: its traceback
(for the bug report) and then one line saying so, with exit 3, which no check uses.
Exit codes: `scenarios.cli.arguments.ExitCode`.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import re
import sys
import traceback
from collections.abc import Sequence
from importlib import metadata
from typing import Any, Protocol

from rich.console import Console

from scenarios.cli import compare, hub_serve, replay, run, serve, shrink, validate
from scenarios.cli.arguments import ExitCode
from scenarios.spec import shipped
from scenarios.spec.errors import ScenarioError


class Command(Protocol):
    """What each command module offers (a module satisfies it structurally)."""

    def add_parser(self, commands: Any) -> None: ...

    def command(self, args: argparse.Namespace, console: Console) -> int: ...


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

#: the commands in the order `--help` lists them
COMMANDS: dict[str, Command] = {
    "run": run,
    "serve": serve,
    "compare": compare,
    "replay": replay,
    "shrink": shrink,
    "hub": hub_serve,
    "validate": validate,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="retailtwin",
        description="A digital twin of an omnichannel retailer's integration estate.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=version_line(),
        help="print retailtwin's version and the Python and SimPy it runs on, then exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run.add_parser(commands)
    commands.add_parser("scenarios", help="list the shipped scenarios")
    for name, module in COMMANDS.items():
        if name != "run":
            module.add_parser(commands)
    return parser


def one_line(message: str) -> str:
    """A refusal as one line whatever the user typed: a newline or other control
    character echoed from a `--set` key or value is shown escaped (\\n)."""
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], message)


def version_line() -> str:
    """The release, and the two things besides the code that a digest depends on."""
    return (
        f"retailtwin {metadata.version('retailtwin')} "
        f"(Python {platform.python_version()}, SimPy {metadata.version('simpy')})"
    )


def what_was_kept(args: argparse.Namespace) -> str:
    """What a command stopped before its end left behind: runs write into a staging
    folder and rename it into place only when complete, so nothing is half-written."""
    out = getattr(args, "out", None)
    if out is not None:
        return f"{out} is as it was before this command (nothing half-written)"
    return "nothing was written"


def interrupted_line(args: argparse.Namespace) -> str:
    """What Ctrl-C left behind."""
    return f"retailtwin: interrupted (Ctrl-C): stopped before the end; {what_was_kept(args)}"


def internal_error_line(args: argparse.Namespace, error: Exception) -> str:
    """The last line after a fault's traceback: that the fault is retailtwin's, not a
    finding, and that an `--out` folder was left as it was (a command without one, such
    as a live `serve` with its store, is not said to have written nothing). The error's
    own first line names it (a helper process's failure carries the helper's traceback
    after that line, already printed above)."""
    first = one_line(str(error).split("\n", 1)[0]) or "(no message)"
    kept = f"; {what_was_kept(args)}" if getattr(args, "out", None) is not None else ""
    return (
        f"retailtwin: internal error ({type(error).__name__}: {first}): a fault in "
        f"retailtwin, not a finding about the estate{kept}. "
        f"Exit {ExitCode.INTERNAL_ERROR:d}; please report it with the traceback above"
    )


def list_scenarios(console: Console) -> int:
    for name in shipped.shipped_names():
        console.print(f"[bold]{name:<22}[/] {shipped.describe(name)}", highlight=False)
    return ExitCode.PASSED


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    console = Console()
    try:
        if args.command == "scenarios":
            return list_scenarios(console)
        if args.command in COMMANDS:
            return COMMANDS[args.command].command(args, console)
    except ScenarioError as exc:
        print(f"retailtwin: error: {one_line(str(exc))}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    except KeyboardInterrupt:
        print(interrupted_line(args), file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as error:  # every other fault is retailtwin's own
        traceback.print_exc()
        print(internal_error_line(args, error), file=sys.stderr)
        return ExitCode.INTERNAL_ERROR
    parser.print_help()
    return ExitCode.PASSED


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
