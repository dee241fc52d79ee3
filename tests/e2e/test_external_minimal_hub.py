"""The minimal example hub (examples/minimal-hub/, Node.js, no retailtwin code) through a
whole steady-day at a quarter of its scale, on the wall clock: a known intermittent
failure under load, so out of CI (`make test-flaky`, docs/integrate.md).

Why a module of its own: a module's head-started runs (tests/head_start.py) all start
when any of its tests is selected, and this run's only test is marked `flaky`. Among the
judged runs of tests/e2e/test_external_hub.py it ran in every `make test` for a test
`make test` deselects, a twin and a node hub taking the CPU the judged runs need.
"""

from __future__ import annotations

import pytest
from external_support import (
    JUDGED_SCALE,
    JUDGED_SPEED,
    ExternalRun,
    PlannedRun,
    minimal_hub_command,
)
from head_start import head_started

#: the minimal hub's steady-day, started when the session's tests are collected, only
#: where its test is selected
HEAD_START = {
    "minimal": PlannedRun(
        minimal_hub_command, "steady-day", speed=JUDGED_SPEED, scale=JUDGED_SCALE
    ),
}


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> dict[str, ExternalRun]:
    return head_started(request)


# Failed in two clean-clone `make test` runs on 2026-12-06: once sync_lag_p95 at 135 s
# over 60 s with both cores busy, once a marketplace return inspected at DC-NORTH and
# never refunded, and the ERP's stock one unit off for one SKU. Two ways to lose the
# day's last work that leave exactly that were found and fixed: the example gave up its
# calls by its own clock, which runs ahead of a twin that slips
# (tests/e2e/test_minimal_hub_day_over.py), and the twin ended the day between the
# hub's 200 for a late message and its first call about it
# (tests/unit/scenarios/twin/test_external_face.py). Under heavy load (load 11 to 17)
# the run still fails its SLAs and once booked a store summary twice, so it stays
# runnable (`make test-flaky`), out of CI (docs/integrate.md).
@pytest.mark.flaky
def test_the_minimal_example_hub_passes_steady_day(runs: dict[str, ExternalRun]) -> None:
    run = runs["minimal"]
    assert run.failed() == [], run.output
    assert run.returncode == 0, run.output
    link = run.report["metrics"]["external_hub"]
    assert link["hub_calls_refused_by_contract"] == 0
    assert link["webhooks_unacknowledged_end"] == 0
