"""The fraud screen's holds, judged from the systems' own records.

An order the screen held for review may reach no warehouse and no store before its
analyst decided; one the analyst rejected must never ship, and must be undone in full:
no capture, its authorisation voided, its ERP sales order cancelled. With a screen in
the estate, no order reaches fulfilment unscreened either. The release times are the
WMS's and the stores' (when each was asked to pick), the decisions the screen's, the
money the gateway's and the books the ERP's: nothing here reads the hub.

How long a held order waits is timed from its case opening to the hub acting on the
decision (the release reaching the DC or store, or the authorisation's void for an
order rejected or cancelled by its customer meanwhile), censored at the run's end;
`false_holds` counts the genuine orders held, by the screen's truth.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scenarios.checking.findings import Finding, Violations
from scenarios.checking.latency import Latency, by_group, run_end
from scenarios.checking.order_truths import DELIVERED_FULFILMENTS
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult
from simulators.fraud import REJECT, FraudScreen


def _released_at(result: RunResult, ref: str) -> float | None:
    """When a DC or a store was first asked to fulfil the order (None: never)."""
    release = result.estate.wms.order_release(ref)
    if release is not None:
        return release.released_at
    pickup = result.estate.pos.pickups.get(ref)
    return pickup.requested_at if pickup is not None else None


def _first_voids(result: RunResult) -> dict[str, float]:
    """When each order's authorisation was first voided, by reference: read once, not
    once per held order."""
    first: dict[str, float] = {}
    for void in result.estate.payment.voids:
        first.setdefault(void.reference, void.at)
    return first


def holds_respected(result: RunResult, truth: Truth) -> Finding:
    screen = result.estate.fraud
    if screen is None:
        return Finding(True, "no fraud screen in the estate: nothing held", 0)
    bad = Violations()
    for ref in truth.orders:
        released = _released_at(result, ref)
        screened = screen.screened_at.get(ref)
        if released is not None and (screened is None or released < screened):
            bad.add(f"{ref} reached fulfilment at {released:.0f}s without being screened")
    for ref, case in screen.cases.items():
        released = _released_at(result, ref)
        if released is not None and (
            case.decision == REJECT or released < case.decided_at or case.decided_at < 0
        ):
            decided = (
                f"decided {case.decision} at {case.decided_at:.0f}s"
                if case.decision
                else "never decided"
            )
            bad.add(
                f"{ref} reached fulfilment at {released:.0f}s while held for review ({decided})"
            )
        if case.decision == REJECT and result.sealed is not None:
            for problem in _not_undone(result, truth, ref):
                bad.add(f"{ref} rejected in review but {problem}")
    ok = f"{len(screen.cases)} orders held for review; none reached fulfilment before its decision"
    return bad.result(ok, "orders released or kept against the fraud screen")


def _not_undone(result: RunResult, truth: Truth, ref: str) -> list[str]:
    """What a rejection's compensation left standing."""
    problems = []
    order_truth = truth.orders.get(ref)
    if order_truth is not None and order_truth.fulfilment in DELIVERED_FULFILMENTS:
        problems.append(f"it was {order_truth.fulfilment}")
    if truth.captures.get(ref):
        problems.append("its card was charged")
    payment = result.estate.payment
    if any(
        a.reference == ref and not a.voided and not a.captured
        for a in payment.authorizations.values()
    ):
        problems.append("its authorisation was never voided")
    erp = result.estate.erp
    for number in erp.sales_orders_by_external_ref.get(ref, []):
        if erp.documents[number].status != "cancelled":
            problems.append(f"its ERP sales order {number} is {erp.documents[number].status}")
    return problems


def review_latencies(
    result: RunResult, screen: FraudScreen, channel_of: Callable[[str], str]
) -> list[Latency]:
    """Each held order's wait, from its case opening to the hub acting on the decision."""
    end = run_end(result)
    voided = _first_voids(result)
    waits = []
    for ref, case in screen.cases.items():
        # released, or (rejected, or cancelled by the customer meanwhile) voided
        moments = [t for t in (_released_at(result, ref), voided.get(ref)) if t is not None]
        acted = min(moments, default=None)
        group = channel_of(ref)
        if acted is None or acted < case.opened_at:
            waits.append(Latency(group, end - case.opened_at, end, censored=True))
        else:
            waits.append(Latency(group, acted - case.opened_at, acted))
    return waits


def fraud_metrics(result: RunResult, truth: Truth) -> dict[str, Any]:
    screen = result.estate.fraud
    if screen is None:
        return {"screen": False}
    cases = screen.cases.values()
    fraudulent = [ref for ref in truth.orders if screen.is_fraudulent(ref)]
    decided = [c for c in cases if c.decision]
    return {
        "screen": True,
        "screened": len(screen.screened),
        "held": len(screen.cases),
        "false_holds": sum(1 for c in cases if not c.fraudulent),
        "rejected": sum(1 for c in cases if c.decision == REJECT),
        "genuine_rejected": sum(1 for c in cases if c.decision == REJECT and not c.fraudulent),
        "fraudulent_orders": len(fraudulent),
        "fraud_delivered": sum(
            1 for ref in fraudulent if truth.orders[ref].fulfilment in DELIVERED_FULFILMENTS
        ),
        "analyst_s": by_group(
            Latency("all", c.decided_at - c.opened_at, c.decided_at) for c in decided
        )["all"],
    }


def fraud_review_s(result: RunResult, truth: Truth) -> dict[str, Any]:
    screen = result.estate.fraud
    if screen is None:
        return by_group(())
    return by_group(review_latencies(result, screen, truth.orders.channel_of))
