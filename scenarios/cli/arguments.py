"""What every command shares: exit codes, argument types and the `--set` option.

Exit codes are part of the interface CI relies on: 0 everything passed, 1 an invariant
or SLA failed (or a replay differs), 2 bad input (unknown option, bad scenario file, bad
override), 3 retailtwin itself failed (a fault in its code, not a finding about the
estate: CI must not read it as a failed check), 130 interrupted by Ctrl-C, as the shell
reports it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from enum import IntEnum


class ExitCode(IntEnum):
    PASSED = 0
    FAILED = 1
    BAD_INPUT = 2
    INTERNAL_ERROR = 3
    INTERRUPTED = 130


def positive(name: str) -> Callable[[str], int]:
    """An argument type for a count of 1 or more, naming its option when refused."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name}: expected a positive integer, got {text!r}"
            ) from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{name}: expected a positive integer, got {value}")
        return value

    return parse


def non_negative(text: str) -> int:
    """A seed: 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {value}")
    return value


def add_set(
    parser: argparse.ArgumentParser,
    help: str = "override a scenario field by its dotted TOML path (repeatable)",
) -> None:
    """`--set KEY=VALUE`, collected in order into `args.overrides`."""
    parser.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help=help
    )


def positive_number(text: str) -> float:
    """A speed: a number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


def port_number(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {text!r}")
    return int(text)
