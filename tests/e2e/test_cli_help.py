import argparse
import subprocess
import sys
from collections.abc import Iterator

from scenarios.cli.main import build_parser


def test_help_lists_the_program() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scenarios.cli", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "retailtwin" in result.stdout


def _undescribed(parser: argparse.ArgumentParser, name: str) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command, sub in action.choices.items():
                yield from _undescribed(sub, f"{name} {command}")
        elif not action.help:
            yield f"{name} {'/'.join(action.option_strings) or action.dest}"


def test_every_option_and_argument_of_every_command_has_help() -> None:
    assert list(_undescribed(build_parser(), "retailtwin")) == []
