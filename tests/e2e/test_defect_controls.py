"""Every defect a hub can be seeded with fails the run with the hub otherwise at its
defaults, in the world `scenarios.experiments.defect_controls` gives it; the same world
without the defect passes, so the failure is the defect's. docs/invariants.md's table
says what each breaks: its row must be what the run shows."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from script_support import load_script

from hub.policy import KNOWN_DEFECTS
from scenarios.experiments.defect_controls import (
    CONTROLS,
    ControlOutcome,
    DefectControl,
    run_control,
)

ROOT = Path(__file__).resolve().parents[2]


TABLE = load_script("defect_table")


@cache
def _world(scenario: str, overrides: tuple[str, ...]) -> ControlOutcome:
    return run_control(DefectControl("", scenario, overrides), with_defect=False)


def test_every_seeded_defect_has_a_control() -> None:
    assert {control.defect for control in CONTROLS} == KNOWN_DEFECTS


@pytest.mark.parametrize("control", CONTROLS, ids=lambda control: control.defect)
def test_the_default_hub_fails_the_seeded_defect(control: DefectControl) -> None:
    world = _world(control.scenario, control.overrides)
    assert world.verdict.passed, f"the world alone must pass: {world.broken}"
    outcome = run_control(control)
    assert not outcome.verdict.passed
    assert outcome.broken
    committed = TABLE.committed_rows((ROOT / "docs/invariants.md").read_text())
    assert committed.get(control.defect) == TABLE.row(control, outcome.broken), (
        "docs/invariants.md's defect table is out of date: run python scripts/defect_table.py"
    )
