"""Compensation in order to cash: undoing what was done when an order cannot go on.

A customer cancellation before pick releases the reservation, voids the authorisation
and cancels the ERP sales order, whichever order the backends' answers arrive in; a
declined payment cancels the order and gives its stock back.
"""

from __future__ import annotations

from hub_fakes import (
    DC,
    SKU,
    Harness,
    authorised,
    booked,
    web_cancel,
    web_order,
    wms_picked,
)

from hub.model.order import OrderStatus

QTY = 3


def _place(h: Harness) -> None:
    h.deliver("web", web_order("W-1", [(SKU, QTY)]))
    assert h.ats() == 10 - QTY
    assert h.hub.ctx.inventory.get(SKU, DC).reserved == QTY


def _pushed_ats(h: Harness) -> int:
    """The ship-to-home ATS the web channel was last told, after the feed debounce."""
    h.advance(h.policy.sync_interval_s)
    feeds = [p.body for p in h.transport.published if p.system == "web" and p.topic == "inventory"]
    return next(ats for sku, ats, _ in feeds[-1]["items"] if sku == SKU)


def test_cancellation_after_release_undoes_reservation_payment_and_erp_order() -> None:
    h = Harness()
    _place(h)
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("wms", "release_order", 200)
    assert h.order("W-1").status == OrderStatus.RELEASED

    h.deliver("web", web_cancel("W-1"))

    # released to the WMS: the hub must first take it back from the warehouse
    cancel_at_dc = h.transport.open("wms", "cancel_release")
    assert [r.body for r in cancel_at_dc] == [{"orderRef": "W-1"}]
    assert h.order("W-1").status == OrderStatus.RELEASED
    assert h.transport.sent("payment", "void") == []
    assert h.ats() == 10 - QTY

    h.answer(cancel_at_dc[0], 200)

    order = h.order("W-1")
    assert order.status == OrderStatus.CANCELLED
    assert order.cancel_reason == "cancelled by customer"
    assert h.ats() == 10
    assert h.hub.ctx.inventory.get(SKU, DC).reserved == 0
    voids = h.transport.sent("payment", "void")
    assert [v.body for v in voids] == [{"authorization": "auth_1", "idempotency_key": "void:W-1"}]
    erp_cancels = h.transport.sent("erp", "cancel_sales_order")
    assert [c.body for c in erp_cancels] == [{"SalesOrder": "SO-1", "DocRef": "CXL-W-1"}]
    assert h.transport.notices()[-1]["status"] == "cancelled"

    h.answer(voids[0], 200, {"id": "auth_1"})
    h.answer(erp_cancels[0], 200, booked("SO-1"))
    assert order.payment_state == "voided"
    assert order.exception == ""
    assert order.is_terminal
    assert h.transport.sent("payment", "capture") == []
    assert _pushed_ats(h) == 10


def test_cancellation_before_any_backend_answered_compensates_as_answers_arrive() -> None:
    h = Harness()
    _place(h)

    h.deliver("web", web_cancel("W-1"))

    order = h.order("W-1")
    assert order.status == OrderStatus.CANCELLED
    assert h.ats() == 10
    assert h.transport.sent("payment", "void") == []  # nothing authorised yet
    assert h.transport.sent("erp", "cancel_sales_order") == []  # nothing booked yet

    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    assert [v.body["authorization"] for v in h.transport.sent("payment", "void")] == ["auth_1"]
    assert h.transport.sent("wms", "release_order") == [], "a cancelled order is not released"

    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    assert [c.body["SalesOrder"] for c in h.transport.sent("erp", "cancel_sales_order")] == ["SO-1"]
    h.answer_open("payment", "void", 200, {"id": "auth_1"})
    h.answer_open("erp", "cancel_sales_order", 200, booked("SO-1"))
    assert order.is_terminal
    assert h.ats() == 10


def test_cancellation_while_release_is_unacknowledged_waits_for_the_ack() -> None:
    h = Harness()
    _place(h)
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    assert len(h.transport.open("wms", "release_order")) == 1

    h.deliver("web", web_cancel("W-1"))
    assert h.transport.sent("wms", "cancel_release") == []
    assert h.order("W-1").status != OrderStatus.CANCELLED

    h.answer_open("wms", "release_order", 200)
    h.answer_open("wms", "cancel_release", 200)

    assert h.order("W-1").status == OrderStatus.CANCELLED
    assert h.ats() == 10
    assert len(h.transport.sent("payment", "void")) == 1


def test_cancellation_refused_by_the_warehouse_lets_the_order_ship() -> None:
    h = Harness()
    _place(h)
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("wms", "release_order", 200)
    h.deliver("web", web_cancel("W-1"))

    h.answer_open("wms", "cancel_release", 409, {"error": "already picking"})

    order = h.order("W-1")
    assert order.status == OrderStatus.RELEASED
    assert not order.cancel_requested
    assert h.transport.sent("payment", "void") == []
    assert h.ats() == 10 - QTY


def test_cancellation_after_pick_is_too_late() -> None:
    h = Harness()
    _place(h)
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("wms", "release_order", 200)
    h.deliver("wms", wms_picked("W-1"))

    h.deliver("web", web_cancel("W-1"))

    assert h.order("W-1").status == OrderStatus.PICKED
    assert h.transport.sent("wms", "cancel_release") == []
    assert h.transport.sent("payment", "void") == []
    assert h.ats() == 10 - QTY
    assert h.hub.ctx.counters["cancellations_too_late"] == 1


def test_cancellation_overtaking_its_order_is_parked_then_applied() -> None:
    h = Harness()
    h.deliver("web", web_cancel("W-1"))
    assert h.hub.parked_count() == 1

    h.deliver("web", web_order("W-1", [(SKU, QTY)]))

    assert h.hub.parked_count() == 0
    assert h.order("W-1").status == OrderStatus.CANCELLED
    assert h.ats() == 10


def test_payment_decline_cancels_the_order_and_releases_stock() -> None:
    h = Harness()
    _place(h)
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))

    h.answer_open("payment", "authorize", 402, {"error": "card_declined"})

    order = h.order("W-1")
    assert order.status == OrderStatus.CANCELLED
    assert order.cancel_reason == "payment declined"
    assert order.payment_state == "declined"
    assert h.ats() == 10
    assert h.transport.sent("wms", "release_order") == [], "never released to the WMS"
    assert h.transport.sent("payment", "void") == [], "nothing to void"
    assert [c.body["SalesOrder"] for c in h.transport.sent("erp", "cancel_sales_order")] == ["SO-1"]
    h.answer_open("erp", "cancel_sales_order", 200, booked("SO-1"))
    assert order.is_terminal
    assert _pushed_ats(h) == 10


def test_payment_decline_before_the_erp_booked_cancels_it_once_booked() -> None:
    h = Harness()
    _place(h)
    h.answer_open("payment", "authorize", 402, {"error": "card_declined"})
    assert h.transport.sent("erp", "cancel_sales_order") == []

    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))

    assert [c.body["SalesOrder"] for c in h.transport.sent("erp", "cancel_sales_order")] == ["SO-1"]
    assert h.ats() == 10


def test_decline_after_customer_cancel_is_not_counted_as_a_late_cancellation() -> None:
    h = Harness()
    _place(h)
    h.deliver("web", web_cancel("W-1"))
    h.answer_open("payment", "authorize", 402, {"error": "card_declined"})

    assert h.order("W-1").status == OrderStatus.CANCELLED
    assert h.ats() == 10
    assert h.hub.ctx.counters.get("cancellations_too_late", 0) == 0
