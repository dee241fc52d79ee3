"""The fraud leg: with a fraud screen, an authorised order is screened before any
warehouse hears of it; `accept` releases it, `review` holds it until the analyst's
decision: an approval releases it, a rejection cancels it with the authorisation voided
and the ERP sales order cancelled. A decision that overtakes the screen's answer is
kept for it."""

from __future__ import annotations

import dataclasses
from typing import Any

from hub_fakes import SKU, TOPOLOGY, Harness, authorised, booked, quiet_policy, web_order

from hub.model.fraud import ReviewState
from hub.model.order import OrderStatus

SCREENED = dataclasses.replace(TOPOLOGY, fraud_screen=True)


def screened_hub(*defects: str) -> Harness:
    return Harness(policy=quiet_policy(defects=frozenset(defects)), topology=SCREENED)


def decided(decision: str, reference: str = "W-1") -> dict[str, Any]:
    return {
        "type": "review.decided",
        "case_id": "case_0000001",
        "reference": reference,
        "decision": decision,
        "decided_at": 600.0,
    }


def authorised_order(h: Harness) -> None:
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))


def held(h: Harness) -> None:
    authorised_order(h)
    [screen] = h.transport.open("fraud", "screen")
    assert screen.body["amount_cents"] == 2200
    h.answer(screen, 200, {"reference": "W-1", "decision": "review", "case_id": "case_0000001"})


def test_without_a_screen_an_authorised_order_is_released_at_once() -> None:
    h = Harness()
    authorised_order(h)
    assert h.transport.sent("fraud") == []
    assert len(h.transport.open("wms", "release_order")) == 1


def test_an_accepted_order_is_released_after_the_screen_answers() -> None:
    h = screened_hub()
    authorised_order(h)
    assert h.transport.sent("wms") == [], "nothing reaches the DC before the screen answers"
    h.answer_open("fraud", "screen", 200, {"reference": "W-1", "decision": "accept"})
    assert len(h.transport.open("wms", "release_order")) == 1
    assert h.order("W-1").review_state == ReviewState.CLEARED


def test_a_held_order_waits_for_its_analyst_and_an_approval_releases_it() -> None:
    h = screened_hub()
    held(h)
    h.advance(3600.0)
    assert h.transport.sent("wms") == []
    assert h.order("W-1").review_state == ReviewState.IN_REVIEW
    h.deliver("fraud", decided("approve"))
    assert len(h.transport.open("wms", "release_order")) == 1
    assert h.order("W-1").review_state == ReviewState.APPROVED


def test_a_rejection_cancels_with_everything_undone() -> None:
    h = screened_hub()
    held(h)
    h.deliver("fraud", decided("reject"))
    order = h.order("W-1")
    assert (order.status, order.review_state) == (OrderStatus.CANCELLED, ReviewState.REJECTED)
    assert h.transport.sent("wms") == []
    assert len(h.transport.open("payment", "void")) == 1
    assert len(h.transport.open("erp", "cancel_sales_order")) == 1
    assert h.ats() == 10, "the reserved units are back on sale"


def test_a_decision_that_overtakes_the_screens_answer_waits_for_it() -> None:
    h = screened_hub()
    authorised_order(h)
    h.deliver("fraud", decided("approve"))
    assert h.transport.sent("wms") == []
    h.answer_open("fraud", "screen", 200, {"reference": "W-1", "decision": "review"})
    assert len(h.transport.open("wms", "release_order")) == 1


def test_the_seeded_defect_releases_a_held_order_at_once() -> None:
    h = screened_hub("release_before_review")
    held(h)
    assert len(h.transport.open("wms", "release_order")) == 1
    assert h.order("W-1").review_state == ReviewState.IN_REVIEW
