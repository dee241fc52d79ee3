"""The reference hub books each ERP document once when the twin stalls.

A twin starved of the CPU stands still, and its day slips (scenarios/twin/external/
pace.py). The reference hub used to keep time by the wall alone: a write the twin held
timed out on the wall, the hub looked the document up a timeout later on the wall, and
the twin, back after the stall, answered the lookup "no such document" while the first
write still sat in its ERP's queue; the hub wrote again and the checker found two store
summaries, or two sales orders, for one reference (`exactly_once`, in CI runs under
load). Here the twin stalls on purpose (`Stall`, scenarios/twin/external/stalls.py),
each time while a call of the hub's to the ERP is in the simulation, for longer than the
hub's shortest timeout: the hub must wait for the twin's time, not the wall's
(hub/adapters/http/wall_ports.py). Against the old clock (main's hub/ at 8f1fd69 put
before this tree's), this test failed with 9 duplicate store summaries, and the same
run from a script with 12; 20 such stalls at 600x gave three.

The run waits on the wall clock (about a minute, 40 s of it the day at 1200x and 18 s
the stalls), so it is started when the session's tests are collected (`HEAD_START`,
tests/head_start.py) in a process of its own (tests/e2e/stalled_run.py, the same day,
stalls and judgement this test ran in the session's own process before), and judged
here.
"""

from __future__ import annotations

import pytest
import stalled_run
from external_support import ExternalRun, PlannedRun, reference_hub_command
from head_start import head_started

#: the stalled day against the reference hub, started at collection (tests/head_start.py)
HEAD_START = {
    "stalled": PlannedRun(
        reference_hub_command,
        "steady-day",
        command=stalled_run.command,
        report=stalled_run.RESULT,
    )
}


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> dict[str, ExternalRun]:
    return head_started(request)


def test_the_reference_hub_books_once_however_the_twin_stalls(
    runs: dict[str, ExternalRun],
) -> None:
    run = runs["stalled"]
    assert run.returncode == 0, run.output
    judged = run.report
    assert judged["stalls"] == len(stalled_run.STALLS)
    # the stalls happened: the day slipped by (nearly) all of them
    assert judged["slipped_wall_s"] >= 0.9 * len(stalled_run.STALLS) * stalled_run.STALL_WALL_S
    finding = judged["exactly_once"]
    assert finding["passed"], finding["detail"]
    assert "sales orders" in finding["detail"]
