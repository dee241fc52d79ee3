"""Judging from ground truth only (scenarios/checking/judging.py): the way an external
hub is judged, with no hub object to read. The built-in hub is correct, so judged this
way it must pass the same scenarios; its seeded defects must still fail; and the
judgement must not touch the hub at all, which the runs here prove by putting in its
place an object that refuses every attribute."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import cast

import pytest
from out_of_reach import HubOutOfReach

from scenarios.checking import business_metrics, judging, operations
from scenarios.checking.judging import JudgedFrom
from scenarios.checking.metrics import SlaOutcome
from scenarios.checking.truth import gather
from scenarios.checking.verdict import Verdict, judge
from scenarios.experiments.defect_controls import CONTROLS, SMALL_DAY
from scenarios.spec.loader import load_scenario
from scenarios.twin.hub_process import HubProcess
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run

TENTH = ("scenario.scale=0.1",)


@dataclass(frozen=True, slots=True)
class Judged:
    result: RunResult
    in_process: Verdict
    ground_truth: Verdict


@cache
def judged(name: str, overrides: tuple[str, ...]) -> Judged:
    """The run judged in-process, then from ground truth with the hub out of reach (it
    stays so: every later look at this run is from ground truth)."""
    result = run(load_scenario(name, overrides))
    in_process = judge(result, name, overrides)
    result.estate.in_process_hub = cast(HubProcess, HubOutOfReach())
    ground_truth = judge(result, name, overrides, judged_from=JudgedFrom.GROUND_TRUTH)
    return Judged(result, in_process, ground_truth)


def failed(verdict: Verdict) -> dict[str, str]:
    return {str(c.name): c.detail for c in verdict.invariants if not c.passed}


def control_overrides(defect: str) -> tuple[str, ...]:
    return next(c.run_overrides for c in CONTROLS if c.defect == defect)


# -- the switch ----------------------------------------------------------------------


@dataclass(slots=True)
class _Estate:
    external_hub: str | None


@dataclass(slots=True)
class _Result:
    estate: _Estate


def test_the_run_decides_and_a_caller_may_override() -> None:
    external = cast(RunResult, _Result(_Estate("http://localhost:9000")))
    built_in = cast(RunResult, _Result(_Estate(None)))
    assert judging.judged_from(external) == JudgedFrom.GROUND_TRUTH
    assert judging.judged_from(built_in) == JudgedFrom.IN_PROCESS
    assert judging.resolve(built_in, JudgedFrom.GROUND_TRUTH) == JudgedFrom.GROUND_TRUTH
    assert judging.resolve(external, None) == JudgedFrom.GROUND_TRUTH


# -- a sound hub passes either way ---------------------------------------------------


@pytest.mark.parametrize("name", ["steady-day", "erp-outage", "duplicate-storm"])
def test_the_built_in_hub_passes_judged_from_ground_truth_alone(name: str) -> None:
    runs = judged(name, TENTH)
    assert runs.in_process.passed
    assert runs.in_process.judged_from == JudgedFrom.IN_PROCESS
    verdict = runs.ground_truth
    assert verdict.judged_from == JudgedFrom.GROUND_TRUTH
    assert verdict.to_json()["judged_from"] == "ground_truth"
    assert not failed(verdict), failed(verdict)
    assert verdict.passed
    # the two judgements read the same systems: the figures they share agree
    for key in ("order_to_erp_s", "oversell", "erp_ledger", "reconciliation_backlog"):
        assert verdict.metrics[key] == runs.in_process.metrics[key]
    shared = runs.ground_truth.metrics["volumes"].items()
    assert shared <= runs.in_process.metrics["volumes"].items()


def test_the_hubs_own_state_is_absent_not_zero() -> None:
    runs = judged("erp-outage", TENTH)
    metrics = runs.ground_truth.metrics
    assert "exception_queue" not in metrics
    assert metrics["recovery"] == {
        "erp_backlog_max": runs.in_process.metrics["recovery"]["erp_backlog_max"]
    }
    assert "hub_counters" not in metrics["volumes"]
    assert "reconciliation_drift" not in metrics["volumes"]
    assert runs.in_process.metrics["recovery"]["dead_letter_drain_s"] is not None


def test_an_sla_on_the_hubs_own_queue_is_reported_not_measurable() -> None:
    """erp-outage limits the dead-letter drain: for a hub out of reach that is not
    measurable, said so, and does not fail the run; in-process it is measured."""
    runs = judged("erp-outage", TENTH)
    drain = {s.name: s for s in runs.ground_truth.sla}["dead_letter_drain_s"]
    assert drain.outcome == SlaOutcome.NOT_MEASURABLE
    assert drain.value is None and drain.passed
    assert "dead-letter queue" in (drain.not_measurable or "")
    row = next(r for r in runs.ground_truth.to_json()["sla"] if r["name"] == "dead_letter_drain_s")
    assert row["outcome"] == "not_measurable" and row["why"] == drain.not_measurable
    measured = {s.name: s for s in runs.in_process.sla}["dead_letter_drain_s"]
    assert measured.outcome == SlaOutcome.MET and measured.value is not None
    assert "outcome" not in next(
        r for r in runs.in_process.to_json()["sla"] if r["name"] == "dead_letter_drain_s"
    )
    # every other threshold is judged from the systems' records, as before
    others = [s for s in runs.ground_truth.sla if s.name != "dead_letter_drain_s"]
    assert all(s.outcome == SlaOutcome.MET for s in others)
    assert [(s.name, s.value) for s in others] == [
        (s.name, s.value) for s in runs.in_process.sla if s.name != "dead_letter_drain_s"
    ]


def test_metrics_and_operations_need_no_hub_either() -> None:
    runs = judged("steady-day", TENTH)
    truth = gather(runs.result)
    text = business_metrics.exposition_text(
        runs.result, truth, True, judged_from=JudgedFrom.GROUND_TRUTH
    ).decode()
    samples = [line for line in text.splitlines() if not line.startswith("#")]
    assert any(line.startswith("retailtwin_erp_backlog ") for line in samples)
    # declared (HELP and TYPE), with no sample: absent, not zero
    assert "# TYPE retailtwin_dead_letter_depth gauge" in text
    assert not any(line.startswith("retailtwin_dead_letter_depth") for line in samples)
    assert not any(line.startswith("retailtwin_exception_queue") for line in samples)
    assert any('out_of_sync{book="erp"}' in line for line in samples)
    assert not any('book="hub"' in line for line in samples)
    document = operations.snapshot(
        runs.result, None, runs.ground_truth, [], judged_from=JudgedFrom.GROUND_TRUTH
    )
    assert all(document[section] is None for section in operations.HUB_STATE_SECTIONS)
    assert document["sla"]["passed"] is True
    run_doc = operations.run_document(
        runs.result, "finished", True, 0.0, runs.ground_truth, judged_from=JudgedFrom.GROUND_TRUTH
    )
    assert run_doc["sim_time_s"] == runs.result.estate.now


# -- a broken hub fails, seen from the systems alone -----------------------------------


@pytest.mark.parametrize(
    ("defect", "invariant", "words"),
    [
        ("drop_erp_orders", "no_lost_order", "but the ERP has no sales order for it"),
        ("forget_returns", "no_lost_order", "but was never credited"),
        ("skip_credit_memo", "exactly_once", "was refunded but has no ERP credit memo"),
        ("skip_credit_memo", "money_balances", "ERP cash"),
        ("stale_feed", "convergence", "more than the DCs can sell"),
        ("ignore_allocation", "convergence", "by the allocation rules"),
        # judged in-process, an order in the hub's exception queue was once excused:
        # both judgements now hold a parked order to what the systems show
        ("park_expired_authorisations", "no_lost_order", "but never invoiced in the ERP"),
        # ignore_shortages: what the hub believes about an order's shortfall is its own
        # business, and where it got the invoice and the charge right, as it does, the
        # systems show nothing wrong with a partly short order. What they do show is the
        # order nothing could be picked for, which the hub, not believing the shortage,
        # never cancels: the channel was last told "ready for pickup"
        ("ignore_shortages", "no_lost_order", "was never fulfilled and the hub last told"),
    ],
)
def test_a_seeded_defect_fails_judged_from_ground_truth(
    defect: str, invariant: str, words: str
) -> None:
    control = next(c for c in CONTROLS if c.defect == defect)
    runs = judged(control.scenario, control_overrides(defect))
    assert invariant in failed(runs.in_process)
    broken = failed(runs.ground_truth)
    assert invariant in broken, broken
    assert words in broken[invariant]
    assert not runs.ground_truth.passed


@pytest.mark.parametrize(
    "defect", ["drop_erp_orders", "stale_feed", "ignore_shortages", "ignore_allocation"]
)
def test_the_controls_world_alone_passes_judged_from_ground_truth(defect: str) -> None:
    control = next(c for c in CONTROLS if c.defect == defect)
    runs = judged(control.scenario, control.overrides)
    assert not failed(runs.ground_truth), failed(runs.ground_truth)


def test_ordering_off_is_a_regression_the_channels_can_see() -> None:
    """With ordering off, late stock reports take the hub's book back to an older
    state, and the next feed takes the channels' views back with it: the feed rows
    carry the source's own sequence, so the channel records a view moving back."""
    runs = judged("steady-day", (*SMALL_DAY, "hub.ordering=false"))
    assert "no_status_regression" in failed(runs.in_process)
    broken = failed(runs.ground_truth)
    assert "no_status_regression" in broken, broken
    assert "went back from source movement" in broken["no_status_regression"]
    clean = judged("steady-day", SMALL_DAY)
    assert not failed(clean.ground_truth), failed(clean.ground_truth)
