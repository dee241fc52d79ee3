"""Every shipped scenario keeps its invariants with the default hub: at a reduced scale
on every `make test`, at full scale under `make scenarios` (marker `slow`)."""

from __future__ import annotations

import pytest

from scenarios.library import shipped_names
from scenarios.loader import load_scenario
from scenarios.runtime import run
from scenarios.verdict import judge

REDUCED = {"black-friday": "0.05"}


@pytest.mark.parametrize("name", shipped_names())
def test_reduced_scale_keeps_every_invariant(name: str) -> None:
    overrides = (f"scenario.scale={REDUCED.get(name, '0.2')}",)
    verdict = judge(run(load_scenario(name, overrides)), name, overrides)
    failed = [c.detail for c in verdict.invariants if not c.passed]
    assert not failed, failed


@pytest.mark.slow
@pytest.mark.parametrize("name", shipped_names())
def test_full_scale_passes(name: str) -> None:
    verdict = judge(run(load_scenario(name)), name, ())
    failed = [c.detail for c in verdict.invariants if not c.passed]
    failed += [f"{s.name}={s.value} vs {s.threshold}" for s in verdict.sla if not s.passed]
    assert verdict.passed, failed
