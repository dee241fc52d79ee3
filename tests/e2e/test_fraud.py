"""The fraud screen judged from ground truth on fraud-review (a quarter of its scale):
held orders wait for their analysts and reach no DC or store before, rejected ones are
undone in full, and the figures the report gives are the screen's own. The seeded
defects that release a held order at once, or lose an analyst's decision, are defect
controls (tests/e2e/test_defect_controls.py)."""

from __future__ import annotations

from functools import cache

from scenarios.checking.verdict import Verdict, judge
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run
from simulators.fraud import APPROVE, REJECT

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True

SCALE = ("scenario.scale=0.25",)


@cache
def day() -> tuple[RunResult, Verdict]:
    result = run(load_scenario("fraud-review", SCALE))
    return result, judge(result, "fraud-review", SCALE)


def test_the_default_hub_keeps_every_invariant_and_the_review_sla() -> None:
    _, verdict = day()
    assert verdict.passed, [c.detail for c in verdict.invariants if not c.passed] + [
        s.name for s in verdict.sla if not s.passed
    ]


def test_no_held_order_reached_a_dc_or_store_before_its_analyst_approved_it() -> None:
    result, _ = day()
    screen = result.estate.fraud
    assert screen is not None
    approved = [c for c in screen.cases.values() if c.decision == APPROVE]
    assert len(approved) > 10
    for case in approved:
        release = result.estate.wms.releases.get(case.reference)
        pickup = result.estate.pos.pickups.get(case.reference)
        at = release.released_at if release else pickup.requested_at if pickup else None
        if at is not None:  # a customer may have cancelled it meanwhile
            assert at >= case.decided_at, case.reference


def test_every_rejected_order_was_voided_never_charged_and_cancelled_in_the_erp() -> None:
    result, _ = day()
    screen = result.estate.fraud
    assert screen is not None
    rejected = [ref for ref, c in screen.cases.items() if c.decision == REJECT]
    assert len(rejected) > 5
    payment, erp = result.estate.payment, result.estate.erp
    for ref in rejected:
        assert ref not in result.estate.wms.releases and ref not in result.estate.pos.pickups
        assert all(m.reference != ref for m in payment.captures)
        assert any(m.reference == ref for m in payment.voids), ref
        for number in erp.sales_orders_by_external_ref.get(ref, []):
            assert erp.documents[number].status == "cancelled", ref


def test_the_report_counts_false_holds_and_the_wait_from_the_screens_records() -> None:
    result, verdict = day()
    screen = result.estate.fraud
    assert screen is not None
    figures = verdict.metrics["fraud"]
    genuine_held = sum(1 for c in screen.cases.values() if not c.fraudulent)
    assert figures["held"] == len(screen.cases) and figures["false_holds"] == genuine_held > 0
    wait = verdict.metrics["fraud_review_s"]["all"]
    assert wait["count"] == len(screen.cases)
    assert wait["p95"] >= figures["analyst_s"]["p50"] > 0
