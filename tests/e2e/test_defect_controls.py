"""Every defect a hub can be seeded with fails the run with the hub otherwise at its
defaults, in the world `scenarios.experiments.defect_controls` gives it; the same world
without the defect passes, so the failure is the defect's. docs/invariants.md's table
says what each breaks: its row must be what the run shows."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from runs import remember
from script_support import load_script

from hub.policy import KNOWN_DEFECTS
from scenarios.checking.verdict import judge
from scenarios.experiments.defect_controls import (
    CONTROLS,
    CREDENTIALS_DAY,
    ControlOutcome,
    DefectControl,
    run_control,
)
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True

ROOT = Path(__file__).resolve().parents[2]


TABLE = load_script("defect_table")


@cache
def _world(scenario: str, overrides: tuple[str, ...]) -> ControlOutcome:
    world = run_control(DefectControl("", scenario, overrides), with_defect=False)
    remember(scenario, overrides, world.verdict)  # for the e2e tests judging it again
    return world


def test_every_seeded_defect_has_a_control() -> None:
    assert {control.defect for control in CONTROLS} == KNOWN_DEFECTS


@pytest.mark.parametrize("control", CONTROLS, ids=lambda control: control.defect)
def test_the_default_hub_fails_the_seeded_defect(control: DefectControl) -> None:
    world = _world(control.scenario, control.overrides)
    assert world.verdict.passed, f"the world alone must pass: {world.broken}"
    outcome = run_control(control)
    remember(control.scenario, control.run_overrides, outcome.verdict)
    assert not outcome.verdict.passed
    assert outcome.broken
    committed = TABLE.committed_rows((ROOT / "docs/invariants.md").read_text())
    assert committed.get(control.defect) == TABLE.row(control, outcome.broken), (
        "docs/invariants.md's defect table is out of date: run python scripts/defect_table.py"
    )


def test_a_control_run_is_judged_as_the_other_tests_judge_it() -> None:
    """run_control's verdicts are kept for the tests that judge the same runs through
    `runs.verdict_of` (`runs.remember`): the two ways must give the same verdict."""
    control = next(c for c in CONTROLS if c.overrides == CREDENTIALS_DAY)
    fresh = judge(
        run(load_scenario(control.scenario, control.run_overrides)),
        control.scenario,
        control.run_overrides,
    )
    kept = run_control(control).verdict
    assert kept.digest == fresh.digest
    assert (kept.invariants, kept.sla, kept.metrics) == (fresh.invariants, fresh.sla, fresh.metrics)
