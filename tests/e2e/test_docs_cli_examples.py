"""docs/scenarios.md shows what `retailtwin` prints, "checked against the current code":
these hold it to that. The scenario list is the command's own output, and the example
run's volumes and digest are what the run prints, so a change that moves the digest (a
new scenario key folded into it, a different draw) cannot leave the page behind."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"
EXAMPLE = "retailtwin run steady-day --quiet --set scenario.scale=0.3 --set scenario.duration=6h"


def _retailtwin(command: str) -> str:
    args = command.split()[1:]
    done = subprocess.run(
        [sys.executable, "-m", "scenarios.cli", *args], capture_output=True, text=True, timeout=300
    )
    return done.stdout


def _block_after(prompt: str) -> list[str]:
    """The lines the page shows after `$ {prompt}`, up to the next prompt or fence."""
    lines = DOC.read_text().splitlines()
    start = lines.index(f"$ {prompt}") + 1
    shown = []
    for line in lines[start:]:
        if line.startswith("$ ") or line.startswith("```"):
            break
        shown.append(line)
    while shown and not shown[-1].strip():
        shown.pop()
    return shown


def test_the_scenario_list_is_what_the_command_prints() -> None:
    printed = _retailtwin("retailtwin scenarios").splitlines()
    assert _block_after("retailtwin scenarios") == printed


def test_the_example_runs_digest_and_volumes_are_what_the_run_prints() -> None:
    printed = _retailtwin(EXAMPLE)
    shown = "\n".join(_block_after(EXAMPLE))
    digest = re.search(r"digest ([0-9a-f]{32})", printed)
    assert digest is not None, printed
    assert f"digest {digest.group(1)}" in shown
    volumes = re.search(r"(\d+) channel orders", printed)
    assert volumes is not None and f"{volumes.group(1)} channel orders" in shown
