"""The scenario a bench runs, named as `retailtwin run` names it, and checked before any
run starts.

Why: a bench runs for minutes, often in child processes, and a misspelt scenario or a
bad `--set` found by the first child is a traceback after the set-up, or a child's
failure reported as the bench's. Every bench that takes a scenario reads it through
these two, so the mistake is argparse's usual message and exit 2, before anything runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario
from scenarios.spec.scenario import Scenario


def add_scenario_arguments(parser: argparse.ArgumentParser, default: str) -> None:
    """The scenario (a shipped name or a .toml path, `default` when none is given) and
    any number of `--set KEY=VALUE` overrides, as `retailtwin run` takes them."""
    parser.add_argument("scenario", nargs="?", default=default)
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")


def scenario_or_exit(
    parser: argparse.ArgumentParser, name: str, overrides: Sequence[str]
) -> Scenario:
    """The scenario loaded and validated, or the parser's error (exit 2) saying what was
    wrong with it, as `retailtwin run` would."""
    try:
        return load_scenario(name, list(overrides))
    except ScenarioError as error:
        parser.error(str(error))
