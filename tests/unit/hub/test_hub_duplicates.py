"""Idempotent consumer: a message delivered twice is handled once.

The negative control (idempotency off) proves it is the guard, not luck, that keeps the
duplicate from reaching the ERP and the payment gateway.
"""

from __future__ import annotations

from hub_fakes import (
    DC,
    SKU,
    Harness,
    authorised,
    booked,
    quiet_policy,
    web_order,
    wms_shipment,
)


def test_same_message_id_twice_books_one_sales_order_and_one_authorisation() -> None:
    h = Harness()
    payload = web_order("W-1", [(SKU, 3)])

    h.deliver("web", payload, message_id=7)
    h.deliver("web", payload, message_id=7)

    assert len(h.erp_creates()) == 1
    assert len(h.transport.sent("payment", "authorize")) == 1
    assert list(h.hub.ctx.orders) == ["W-1"]
    assert h.hub.consumer.duplicates == 1
    assert h.hub.messages_handled == 1
    assert h.ats() == 10 - 3, "the duplicate must not reserve stock a second time"


def test_without_idempotency_the_duplicate_is_processed_twice() -> None:
    h = Harness(quiet_policy(idempotency=False))
    payload = web_order("W-1", [(SKU, 3)])

    h.deliver("web", payload, message_id=7)
    h.deliver("web", payload, message_id=7)

    creates = h.erp_creates()
    assert len(creates) == 2
    assert len(h.transport.sent("payment", "authorize")) == 2
    assert len(h.hub.ctx.orders) == 2
    # both ERP documents claim the same channel order: the duplicate the checker must find
    assert {c.body["ExternalRef"] for c in creates} == {"W-1"}
    assert h.ats() == 10 - 6


def test_the_same_message_id_from_another_source_is_a_different_message() -> None:
    h = Harness()
    h.deliver("web", web_order("W-1"), message_id=7)
    h.deliver("wms", wms_shipment("W-1", "SH-1", [(SKU, 1, 0)]), message_id=7)

    assert h.hub.consumer.duplicates == 0
    assert h.order("W-1").shipment_id == "SH-1"


def test_redelivery_under_a_new_message_id_is_stopped_by_the_order_id() -> None:
    """Past the consumer's window the business key is the guard."""
    h = Harness()
    h.deliver("web", web_order("W-1"), message_id=7)
    h.deliver("web", web_order("W-1"), message_id=8)

    assert h.hub.messages_handled == 2
    assert len(h.erp_creates()) == 1
    assert len(h.transport.sent("payment", "authorize")) == 1
    assert h.hub.ctx.counters["duplicate_orders_seen"] == 1


def test_duplicate_shipment_confirmation_captures_payment_once() -> None:
    h = Harness()
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("wms", "release_order", 200)
    shipment = wms_shipment("W-1", "SH-1", [(SKU, 2, 0)], stock=[(SKU, 8, 1)], dc=DC)

    h.deliver("wms", shipment, message_id=50)
    h.deliver("wms", shipment, message_id=50)  # redelivered by the middleware
    h.deliver("wms", shipment, message_id=51)  # re-sent by the WMS under a new id

    captures = h.transport.sent("payment", "capture")
    assert len(captures) == 1
    assert captures[0].body == {
        "authorization": "auth_1",
        "amount": 2 * 1000 + 200,
        "idempotency_key": "cap:W-1:SH-1:auth_1",
    }
    assert h.order("W-1").lines[0].shipped_quantity == 2


def test_duplicate_shipment_without_idempotency_captures_twice() -> None:
    """Negative control for the shipment's business-key guard."""
    h = Harness(quiet_policy(idempotency=False))
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("wms", "release_order", 200)
    shipment = wms_shipment("W-1", "SH-1", [(SKU, 2, 0)], stock=[(SKU, 8, 1)], dc=DC)

    h.deliver("wms", shipment, message_id=50)
    h.deliver("wms", shipment, message_id=50)

    assert len(h.transport.sent("payment", "capture")) == 2


def test_order_booked_once_even_when_erp_answers_after_duplicate() -> None:
    """A duplicate arriving while the first ERP call is still in flight adds nothing."""
    h = Harness()
    h.deliver("web", web_order("W-1"), message_id=7)
    h.advance(5.0)
    h.deliver("web", web_order("W-1"), message_id=7)
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))

    assert h.order("W-1").erp_order_no == "SO-1"
    assert len(h.erp_creates()) == 1
    assert h.hub.ctx.calls.lane_depth("erp") == 0
