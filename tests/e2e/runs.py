"""Shared helper for end-to-end tests: run a scenario in-process and judge it, cached
per (scenario, overrides, seed) so tests that look at the same run do not pay twice."""

from __future__ import annotations

from scenarios.checking.verdict import Verdict, judge
from scenarios.experiments.defect_controls import SMALL_DAY
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

#: a half-size steady day: the same mechanisms, a quarter of the wall time
SMALL = SMALL_DAY

#: (scenario, overrides, seed) -> the run's verdict, for the whole session
_VERDICTS: dict[tuple[str, tuple[str, ...], int | None], Verdict] = {}


def verdict_of(name: str, overrides: tuple[str, ...] = (), seed: int | None = None) -> Verdict:
    key = (name, overrides, seed)
    if key not in _VERDICTS:
        _VERDICTS[key] = judge(run(load_scenario(name, overrides, seed)), name, overrides)
    return _VERDICTS[key]


def remember(name: str, overrides: tuple[str, ...], verdict: Verdict) -> None:
    """A verdict reached elsewhere the way `verdict_of` reaches it (the scenario loaded
    with these overrides and its own seed, run in-process, judged), kept for the tests
    that look at the same run later: test_defect_controls runs every control through
    `scenarios.experiments.defect_controls.run_control`, and test_hub_crash and
    test_negative_controls judge four of those runs and a world again (about 25 s of
    the suite on a quiet machine). Runs are deterministic (their digests), so the
    verdict is the one they would reach."""
    _VERDICTS.setdefault((name, overrides, None), verdict)


def failed_checks(verdict: Verdict) -> set[str]:
    return {c.name for c in verdict.invariants if not c.passed}
