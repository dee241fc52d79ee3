"""Shared helper for end-to-end tests: run a scenario in-process and judge it, cached
per (scenario, overrides, seed) so tests that look at the same run do not pay twice."""

from __future__ import annotations

from functools import cache

from scenarios.checking.verdict import Verdict, judge
from scenarios.experiments.defect_controls import SMALL_DAY
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

#: a half-size steady day: the same mechanisms, a quarter of the wall time
SMALL = SMALL_DAY


@cache
def verdict_of(name: str, overrides: tuple[str, ...] = (), seed: int | None = None) -> Verdict:
    scenario = load_scenario(name, overrides, seed)
    return judge(run(scenario), name, overrides)


def failed_checks(verdict: Verdict) -> set[str]:
    return {c.name for c in verdict.invariants if not c.passed}
