"""The hub's own guard against a second capture of an order it has captured.

Upstream guards usually stop a duplicate before it reaches the gateway (the consumer's
message ids, the shipment id, the capture's idempotency key). When one gets through
anyway, here because idempotency is off as in the negative control, the hub meets a
second capture answer for an order already captured. Accepted or refused, it must not
change the books: the order stays captured for the first amount, with one delivery
invoice, and is not put in the exception queue. (A capture after a re-authorisation is
the one that must be new: test_hub_reauthorisation.py holds its key apart.)
"""

from __future__ import annotations

from hub_fakes import (
    DC,
    SKU,
    Harness,
    Request,
    authorised,
    booked,
    quiet_policy,
    web_order,
    wms_shipment,
)

from hub.model.payment import PaymentState

#: two units at 1000 cents plus 200 cents of tax on the line
CHARGED = 2 * 1000 + 200


def _captured_then_shipped_again(h: Harness) -> Request:
    """The order captured and invoiced, then its shipment confirmation redelivered and
    processed again: returns the second capture, unanswered."""
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("wms", "release_order", 200)
    shipment = wms_shipment("W-1", "SH-1", [(SKU, 2, 0)], stock=[(SKU, 8, 1)], dc=DC)
    h.deliver("wms", shipment, message_id=50)
    assert h.answer_open("payment", "capture", 200, {"id": "cap_1"}) == 1
    assert h.answer_open("erp", "post_delivery_invoice", 201, booked("INV-1")) == 1
    order = h.order("W-1")
    assert order.payment_state == PaymentState.CAPTURED
    assert order.captured_cents == CHARGED
    assert order.is_terminal

    h.deliver("wms", shipment, message_id=50)  # redelivered by the middleware
    [second] = h.transport.open("payment", "capture")
    return second


def _books_unchanged(h: Harness) -> None:
    order = h.order("W-1")
    assert order.payment_state == PaymentState.CAPTURED
    assert order.captured_cents == CHARGED
    assert order.exception == ""
    assert order.is_terminal
    assert len(h.transport.sent("erp", "post_delivery_invoice")) == 1, "invoiced once"


def test_a_second_capture_the_gateway_accepts_is_counted_not_booked() -> None:
    h = Harness(quiet_policy(idempotency=False))
    second = _captured_then_shipped_again(h)

    h.answer(second, 200, {"id": "cap_2"})

    _books_unchanged(h)
    assert h.hub.ctx.counters.get("duplicate_captures") == 1


def test_a_second_capture_the_gateway_refuses_leaves_the_captured_order_alone() -> None:
    h = Harness(quiet_policy(idempotency=False))
    second = _captured_then_shipped_again(h)

    h.answer(second, 402, {"error": "amount_exceeds_authorization"})

    _books_unchanged(h)
    assert h.transport.sent("payment", "authorize")[1:] == [], "no re-authorisation"
