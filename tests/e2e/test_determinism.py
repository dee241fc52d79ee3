"""A run is a pure function of (scenario, seed, code): same inputs, same digest and the
same report; any other input, another digest."""

from __future__ import annotations

import json

from runs import SMALL

from scenarios.checking.verdict import judge
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run


def _digest(seed: int, *overrides: str) -> str:
    return run(load_scenario("steady-day", (*SMALL, *overrides), seed)).seal.digest


def test_same_seed_same_digest_and_same_report() -> None:
    reports = []
    for _ in range(2):
        result = run(load_scenario("steady-day", SMALL, 3))
        report = judge(result, "steady-day", SMALL).to_json()
        report.pop("performance")  # wall-clock figures
        reports.append(json.dumps(report, sort_keys=True))
    assert reports[0] == reports[1]


def test_different_seed_different_digest() -> None:
    assert _digest(3) != _digest(4)


def test_a_change_no_message_touches_still_changes_the_digest() -> None:
    # an SLA threshold alters nothing that happens in the run, only how it is judged
    assert _digest(3) != _digest(3, "sla.order_to_erp_p95=6m")
