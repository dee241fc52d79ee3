"""Money movements whose retries ran out: a dead-lettered void, capture or refund.

The payment lane fails fast: after its attempts a call is dead-lettered, and it may be
replayed later and go through. Until then nothing happened at the gateway, so the hub
must not record that it did: the order (or return) waits in the exception queue with
the reason, neither voided, captured nor refunded, and not terminal. A replay that
goes through settles it. The bug these guard against: a void dead-lettered was recorded
as voided while the gateway still held the customer's money.
"""

from __future__ import annotations

from hub_fakes import (
    SKU,
    Harness,
    authorised,
    booked,
    quiet_policy,
    web_cancel,
    web_order,
    wms_picked,
    wms_shipment,
)
from test_hub_return_before_capture import store_return

from hub.model.order import OrderStatus
from hub.model.returns import ReturnStatus
from hub.policy import BreakerPolicy, RetryPolicy


def _one_attempt() -> Harness:
    """One attempt per call and a breaker out of reach: the first 503 dead-letters."""
    return Harness(
        quiet_policy(
            breaker=BreakerPolicy(failure_threshold=10_000),
            retry=RetryPolicy(max_attempts=1),
            auto_replay=False,
        )
    )


def _gateway_down(h: Harness, operation: str) -> None:
    assert h.answer_open("payment", operation, 503, {"error": "gateway unavailable"}) == 1
    [letter] = h.hub.ctx.dead_letters.entries()
    assert letter.key == f"payment:{operation}:{letter.payload.key}"


def _shipped(h: Harness) -> None:
    h.deliver("web", web_order("W-1", [(SKU, 1)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("wms", "release_order", 200)
    h.deliver("wms", wms_picked("W-1"))
    h.deliver("wms", wms_shipment("W-1", "SHP1", [(SKU, 1, 0)], [(SKU, 9, 1)]))


def test_a_dead_lettered_void_leaves_the_authorisation_standing_in_the_exception_queue() -> None:
    h = _one_attempt()
    h.deliver("web", web_order("W-1"))
    h.deliver("web", web_cancel("W-1"))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))

    _gateway_down(h, "void")

    order = h.order("W-1")
    assert order.status == OrderStatus.CANCELLED
    assert order.payment_state == "authorised", "the gateway still holds the money"
    assert order.payment_state != "voided"
    assert order.exceptions == {"payment": "void dead-lettered: gateway unavailable"}
    assert not order.is_terminal

    assert h.hub.replay_dead_letters() == 1
    h.answer_open("payment", "void", 200, {"id": "auth_1"})
    assert order.payment_state == "voided"
    assert order.exception == ""
    assert order.is_terminal


def test_a_dead_lettered_capture_leaves_the_order_uncharged_in_the_exception_queue() -> None:
    h = _one_attempt()
    _shipped(h)

    _gateway_down(h, "capture")

    order = h.order("W-1")
    assert order.status == OrderStatus.SHIPPED
    assert order.payment_state == "authorised"
    assert order.captured_cents == 0
    assert order.exceptions == {"payment": "capture dead-lettered: gateway unavailable"}
    assert not order.is_terminal
    assert h.transport.sent("erp", "post_delivery_invoice") == [], "no money, no invoice yet"

    assert h.hub.replay_dead_letters() == 1
    h.answer_open("payment", "capture", 200, {"id": "cap_1"})
    h.answer_open("erp", "post_delivery_invoice", 201, booked("INV-1"))
    assert order.payment_state == "captured"
    assert order.captured_cents == 1200
    assert order.exception == ""
    assert order.is_terminal


def test_a_dead_lettered_refund_leaves_the_return_unrefunded_in_the_exception_queue() -> None:
    h = _one_attempt()
    _shipped(h)
    h.answer_open("payment", "capture", 200, {"id": "cap_1"})
    h.answer_open("erp", "post_delivery_invoice", 201, booked("INV-1"))
    h.deliver("pos", store_return("RT-1", "W-1"))

    _gateway_down(h, "refund")

    ret = h.hub.ctx.returns["RT-1"]
    assert ret.status == ReturnStatus.INSPECTED
    assert ret.refund_state != "refunded"
    assert ret.refund_id == ""
    assert ret.exceptions == {"refund": "refund dead-lettered: gateway unavailable"}
    assert not ret.is_terminal
    assert h.transport.sent("erp", "post_credit_memo") == [], "no money back, no credit memo"

    assert h.hub.replay_dead_letters() == 1
    h.answer_open("payment", "refund", 200, {"id": "re_1"})
    h.answer_open("erp", "post_credit_memo", 201, booked("CM-1"))
    assert ret.refund_state == "refunded"
    assert ret.exception == ""
    assert ret.status == ReturnStatus.CLOSED
    assert ret.is_terminal
