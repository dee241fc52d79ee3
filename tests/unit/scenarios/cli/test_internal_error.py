"""A fault in retailtwin's own code is not a failed check: CI tells them apart by the
exit code (3, where a failed invariant is 1), and the user reads the traceback for the
bug report, then one line saying whose fault it is and what was kept."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from scenarios.cli import main as cli
from scenarios.cli.arguments import ExitCode
from scenarios.spec.errors import ScenarioError


class _Raises:
    """A command module whose arguments are the real one's and whose command fails the
    way a bug would."""

    def __init__(self, real: cli.Command, error: BaseException) -> None:
        self.real = real
        self.error = error

    def add_parser(self, commands: Any) -> None:
        self.real.add_parser(commands)

    def command(self, args: argparse.Namespace, console: Any) -> int:
        raise self.error


def _run(monkeypatch: pytest.MonkeyPatch, error: BaseException, argv: list[str]) -> int:
    monkeypatch.setitem(cli.COMMANDS, argv[0], _Raises(cli.COMMANDS[argv[0]], error))
    return cli.main(argv)


def test_a_fault_exits_3_with_its_traceback_then_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    error = RuntimeError("writing the read model failed in its process:\nTraceback (child)")
    code = _run(monkeypatch, error, ["replay", "somewhere"])
    said = capsys.readouterr().err
    assert code == ExitCode.INTERNAL_ERROR == 3
    assert said.startswith("Traceback (most recent call last):")
    last = said.rstrip("\n").splitlines()[-1]
    assert last.startswith("retailtwin: internal error (RuntimeError: writing the read model")
    assert "not a finding about the estate. Exit 3" in last
    assert "written" not in last  # without --out it claims nothing about what was kept
    assert "(child)" not in last  # the helper's own traceback stays above, not in the line


def test_the_line_says_an_out_folder_was_left_as_it_was(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    out = tmp_path / "run"
    code = _run(monkeypatch, KeyError("lost"), ["run", "steady-day", "--out", str(out)])
    last = capsys.readouterr().err.rstrip("\n").splitlines()[-1]
    assert code == 3
    assert f"{out} is as it was before this command" in last


def test_bad_input_and_ctrl_c_keep_their_own_codes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(monkeypatch, ScenarioError("bad", field="x"), ["replay", "a"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert _run(monkeypatch, KeyboardInterrupt(), ["replay", "a"]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_every_exit_code_is_in_the_documented_table() -> None:
    """docs/scenarios.md's table is what CI authors read: it holds each code once."""
    text = (Path(__file__).parents[4] / "docs" / "scenarios.md").read_text(encoding="utf-8")
    table = text[text.index("Exit codes:") :].split("\n\n")[1]
    documented = [int(row.split("|")[1]) for row in table.splitlines()[2:]]
    assert documented == sorted(code.value for code in ExitCode)
