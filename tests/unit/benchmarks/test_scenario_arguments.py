"""benchmarks/scenario_arguments.py: every bench that takes a scenario refuses a
misspelt one or a bad `--set` with argparse's message and exit 2, before it runs
anything (a run of minutes, or a child process whose failure would read as the bench's)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

import pytest

#: each bench's module and the words that give it an unknown scenario
BENCHES = [
    ("run_speed", ["no-such-scenario"]),
    ("out_cost", ["no-such-scenario"]),
    ("out_parts", ["no-such-scenario"]),
    ("hub_alone", ["no-such-scenario"]),
    ("memory_breakdown", ["no-such-scenario"]),
    ("memory_steps", ["no-such-scenario"]),
    ("heap_census", ["no-such-scenario", "--at", "1"]),
    ("api_speed", ["--scenario", "no-such-scenario"]),
    ("api_speed", ["--live-scenario", "no-such-scenario"]),
]


def _main(module: str) -> Callable[[Sequence[str]], int]:
    main: Callable[[Sequence[str]], int] = importlib.import_module(f"benchmarks.{module}").main
    return main


@pytest.mark.parametrize(("module", "words"), BENCHES)
def test_an_unknown_scenario_is_named_with_the_shipped_ones_and_exits_2(
    module: str, words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _main(module)(words)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"python -m benchmarks.{module}: error: unknown scenario" in err
    assert "black-friday" in err and "Traceback" not in err


@pytest.mark.parametrize("module", ["run_speed", "out_cost", "weekend_memory", "memory_steps"])
def test_a_bad_override_is_named_with_what_was_expected_and_exits_2(
    module: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _main(module)(["--set", "scenario.scale=many"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert 'scenario.scale: expected a number, got "many"' in err and "Traceback" not in err
