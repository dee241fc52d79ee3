"""The twin judging hubs it does not contain: the reference hub (`retailtwin hub serve`)
through the contract passes steady-day, erp-outage, duplicate-storm,
promotion-launch (its prices carried through the contract to every channel and store)
and credentials-expiry (its access tokens sent as bearer headers, renewed after a
revocation and waited for through the token endpoint's outage) at reduced scale, and
keeps a B2B portal's companies on account (on its own, after the others); a hub
seeded to acknowledge webhooks before processing them and drop every fiftieth fails
`no_lost_order`, judged from the backends' ground truth alone; and the minimal example
hub (examples/minimal-hub/, Node.js, no retailtwin code) passes steady-day and carries
promotion-launch's prices (tests/e2e/test_external_minimal_hub.py, `make test-flaky`,
and below, `make scenarios`). A hub seeded to take each webhook 0.4 wall seconds late
fails the sync-lag SLA: the runs are given the CPU first (tests/run_priority.py), and
that must not excuse a hub that is slow itself.

The seven runs go side by side, each against its own hub process: a run waits on the
wall clock most of the time, so together they take as long as one. They start as soon
as the session's tests are collected (`HEAD_START`, tests/head_start.py) and go on while
the tests that only compute run on the other core, at 200x (`JUDGED_SPEED`, nine
minutes, tests/external_support.py) since they share the machine: those minutes are off
the suite's time. The two negative controls run the morning only. Two shorter runs (the
minimal hub's prices, the B2B portal) follow them in `make scenarios` (marker `slow`),
side by side with each other: about a minute.

Each judged run takes the whole day at a quarter of the scenario's scale. The network's faults
(lost and overtaken messages) leave a tail of movements that reach a channel minutes
late, and the sync-lag p95 sits just below it. At a tenth of the scale, with the day
cut at 18:00, that tail held 2.6-4.0% of the movements in five wall-clock runs (the
quiet evening it left out dilutes it), so a run whose lost messages happened to carry
bigger batches crossed 5% and failed the SLA at 130-300 s now and then. At a quarter
and the whole day it held 1.9-2.4% in five runs side by side: the same faults, judged
on four times the movements.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from cli_runner import retailtwin
from external_support import (
    JUDGED_SCALE,
    JUDGED_SPEED,
    TEST_SCALE,
    ExternalRun,
    PlannedRun,
    minimal_hub_command,
    reference_hub_command,
    runs_side_by_side,
)
from head_start import head_started

from scenarios.experiments.defect_controls import B2B_DAY
from scenarios.reports.finished_folder import servable_read_model

#: the reference hub's judged runs: name -> scenario
REFERENCE_RUNS = {
    "steady-day": "steady-day",
    "erp-outage": "erp-outage",
    "duplicate-storm": "duplicate-storm",
    "promotion-launch": "promotion-launch",
    "credentials-expiry": "credentials-expiry",
}
#: the negative controls' day: steady-day's morning (eight hours), half the wall clock of
#: a judged day
CONTROL_DAY = ("scenario.duration=8h",)


def _control(defect: str, scale: str) -> PlannedRun:
    """steady-day's morning against the reference hub seeded with `defect`."""
    return PlannedRun(
        lambda port: reference_hub_command(port, defect),
        "steady-day",
        CONTROL_DAY,
        speed=JUDGED_SPEED,
        scale=scale,
    )


#: the runs judged below, started when the session's tests are collected
#: (tests/head_start.py): the reference hub's five days, and two negative controls
HEAD_START = {
    **{
        name: PlannedRun(reference_hub_command, scenario, speed=JUDGED_SPEED, scale=JUDGED_SCALE)
        for name, scenario in REFERENCE_RUNS.items()
    },
    # a hub that acknowledges every webhook before it has it and drops every fiftieth: at
    # a quarter of the scale, so that enough of what it drops is orders (at a tenth, one
    # order was left uninvoiced)
    "broken": _control("ack_then_drop", JUDGED_SCALE),
    # the SLAs' own negative control: a hub that loses nothing but holds each webhook
    # `SLOW_WALL_S` (hub/adapters/http/defects.py)
    "slow": _control("slow", TEST_SCALE),
}


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> dict[str, ExternalRun]:
    return head_started(request)


@pytest.mark.parametrize(
    "name",
    ["steady-day", "erp-outage", "duplicate-storm", "promotion-launch", "credentials-expiry"],
)
def test_reference_hub_passes_over_http(runs: dict[str, ExternalRun], name: str) -> None:
    run = runs[name]
    # how far the twin itself fell behind the wall, for a failure on a loaded machine
    slipped = run.report["performance"]["wall_clock_slipped_s"]
    assert run.failed() == [], f"the twin slipped {slipped} wall s\n{run.output}"
    assert run.returncode == 0, run.output
    assert run.report["performance"]["clock"] == "wall"
    assert "--hub" in run.report["replay"]
    link = run.report["metrics"]["external_hub"]
    assert link["hub_calls_refused_by_contract"] == 0  # the contract carries all it sends
    assert link["webhooks_unacknowledged_end"] == 0


def test_the_reference_hub_sends_its_tokens_through_the_contract(
    runs: dict[str, ExternalRun],
) -> None:
    """The revocation was met with 401s and the outage with refused token requests, and
    the hub was authorised again by the end: the bearer header crossed the face."""
    credentials = runs["credentials-expiry"].report["metrics"]["credentials"]
    assert credentials["erp"]["unauthorised_401"] > 0
    assert credentials["marketplace"]["token_requests_refused"] > 0
    assert not any(system["unauthorised_at_end"] for system in credentials.values())
    assert all(system["tokens_issued"] > 10 for system in credentials.values())


def test_the_reference_hub_carries_prices_and_promotions_through_the_contract(
    runs: dict[str, ExternalRun],
) -> None:
    """Every price book agrees with the source at the end, and the storefront hears
    each promotion seconds after the source changed it."""
    run = runs["promotion-launch"]
    assert [row["name"] for row in run.report["invariants"] if not row["passed"]] == []
    converged = run.invariant("prices_converge")
    assert converged["passed"] and "agree with the pricing source" in converged["detail"]
    pricing = run.report["metrics"]["pricing"]
    reach = pricing["promotion_reach_s"]
    assert reach["web"]["count"] > 0 and reach["web"]["censored"] == 0
    # pushed seconds after the source's change, where a quarter-hourly price file takes
    # up to 900 s; the bound leaves room for the wall clock: at 200x a run side by side
    # with six others that is held up 0.3 s has lost a simulated minute (63.4 s once, at
    # 450x)
    assert reach["web"]["max"] < 300.0
    assert pricing["by_channel"]["web"]["stale_price_orders"] <= 2


def test_a_hub_that_acknowledges_then_drops_loses_orders(runs: dict[str, ExternalRun]) -> None:
    run = runs["broken"]
    assert run.returncode == 1, run.output
    lost = run.invariant("no_lost_order")
    assert lost["passed"] is False and lost["violations"] > 0, lost
    # which message the hub dropped first (an order, a shipment, a refund) is the wall
    # clock's to decide, so the first example named varies: the finding does not
    assert "orders or returns lost or stuck" in lost["detail"], lost
    assert "no_lost_order" in run.output


def test_a_slow_hub_fails_the_sync_lag_sla(runs: dict[str, ExternalRun]) -> None:
    """The runs are started ahead of the machine's other work (tests/run_priority.py)
    so that a twin waiting for a core is not charged to the hub; a hub that is itself
    slow must still be: `--defect slow` holds each webhook `SLOW_WALL_S`, 80 simulated
    seconds at 200x, against steady-day's 60."""
    run = runs["slow"]
    assert run.returncode == 1, run.output
    lag = next(row for row in run.report["sla"] if row["name"] == "sync_lag_p95_s")
    assert lag["passed"] is False and lag["value"] > 60.0, lag
    assert "sync_lag_p95_s" in run.output


def test_a_wall_clock_run_is_not_replayed_but_named_as_such(runs: dict[str, ExternalRun]) -> None:
    run = runs["steady-day"]
    assert "a wall-clock run: its digest is not expected to repeat" in run.output
    done = retailtwin("replay", str(run.out))
    assert done.returncode == 2
    assert "a wall-clock run against an external hub" in done.stderr
    assert "--hub" in done.stderr


def test_the_runs_folder_holds_a_read_model_rebuilt_from_the_systems(
    runs: dict[str, ExternalRun],
) -> None:
    """`serve --db` serves a wall-clock run as it serves any: every channel order is in
    the read model, each as far along as the systems' records show it."""
    run = runs["steady-day"]
    assert servable_read_model(run.out) == run.out / "read_model.sqlite"
    with sqlite3.connect(run.out / "read_model.sqlite") as db:
        orders = db.execute("SELECT count(*) FROM orders").fetchone()[0]
        statuses = dict(db.execute("SELECT status, count(*) FROM orders GROUP BY status"))
    assert orders == run.report["metrics"]["volumes"]["channel_orders"] > 0
    assert statuses.get("shipped", 0) > orders / 2, statuses  # the day was drained
    assert f"retailtwin serve --db {run.out}" in run.output


#: the two runs after the fixture's, side by side with each other: each alone beside the
#: seven loaded the machine enough to matter, but two together weigh less than the seven
LATE_RUNS = {
    "minimal-prices": PlannedRun(
        minimal_hub_command, "promotion-launch", ("scenario.duration=10h",), speed=900.0
    ),
    "b2b": PlannedRun(reference_hub_command, "steady-day", B2B_DAY, speed=2000.0),
}


@pytest.fixture(scope="module")
def late_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ExternalRun]]:
    """examples/minimal-hub/prices.mjs on promotion-launch at a tenth, cut at 10:00 with
    the doorbuster still live, at 900x (about a minute); and the B2B portal's control
    day (tests/e2e/test_b2b.py) against the reference hub at 2000x (about half a
    minute). They start once the fixture's eight are judged, together."""
    with runs_side_by_side(tmp_path_factory.mktemp("external-late"), LATE_RUNS) as finished:
        yield finished


# slow (`make scenarios`): the two late runs add a minute of wall clock to a suite at
# its 20-minute budget. What stays in `make test`: the reference hub carrying prices
# through the contract (promotion-launch above), the minimal hub's steady-day, and the
# B2B portal's control day in process (tests/e2e/test_b2b.py)
@pytest.mark.slow
def test_the_minimal_example_hub_carries_prices_through_the_contract(
    late_runs: dict[str, ExternalRun],
) -> None:
    """examples/minimal-hub/prices.mjs carries every promotion to the storefront within
    a minute of the source's change."""
    run = late_runs["minimal-prices"]
    assert [row["name"] for row in run.report["invariants"] if not row["passed"]] == [], run.output
    assert "agree with the pricing source" in run.invariant("prices_converge")["detail"]
    web = run.report["metrics"]["pricing"]["promotion_reach_s"]["web"]
    assert web["count"] > 0 and web["censored"] == 0 and web["max"] < 60.0


@pytest.mark.slow  # see above
def test_the_reference_hub_keeps_companies_on_account_through_the_contract(
    late_runs: dict[str, ExternalRun],
) -> None:
    """Judged from the systems' records alone: no company's order charged to a card,
    every remittance booked once at what it paid, the receivable what the companies
    owe."""
    run = late_runs["b2b"]
    assert run.report["judged_from"] == "ground_truth"
    assert [row["name"] for row in run.report["invariants"] if not row["passed"]] == []
    receivables = run.report["metrics"]["receivables"]
    assert receivables["remittances_applied"] == receivables["remittances"] > 0
    assert receivables["receivable_cents"] == receivables["open_cents"] > 0
