"""A return that overtakes the news of its delivery.

A customer collects, the "collected" message is lost and redelivered half an hour
later, and meanwhile the customer brings the goods back to the counter. The money has
not been taken yet, so it cannot go back yet: the refund waits for the capture, then
the credit memo follows. Refunding at once would be refused by the gateway (nothing
captured) and leave the return unrefunded and the ERP's stock short.
"""

from __future__ import annotations

from typing import Any

from hub_fakes import SKU, Harness, authorised, booked, web_order, wms_picked, wms_shipment

from hub.model.returns import ReturnStatus


def store_return(txn: str, order_ref: str, qty: int = 1) -> dict[str, Any]:
    return {
        "kind": "return",
        "store": "S1",
        "txn": txn,
        "order_ref": order_ref,
        "channel": "web",
        "grade": "resellable",
        "lines": [{"sku": SKU, "qty": qty, "refund_cents": 1000 * qty, "tax_cents": 200}],
        "refunded_at_till_cents": 0,
        "stock": [{"sku": SKU, "on_hand": qty, "quarantined": 0, "seq": 1, "ts": 0.0}],
        "ts": 0.0,
    }


def _released(h: Harness) -> None:
    h.deliver("web", web_order("W-1", [(SKU, 1)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("wms", "release_order", 202)
    h.deliver("wms", wms_picked("W-1"))


def test_refund_waits_for_the_capture_of_the_order_it_returns() -> None:
    h = Harness()
    _released(h)
    h.deliver("pos", store_return("RT-1", "W-1"))
    ret = h.hub.ctx.returns["RT-1"]
    assert h.transport.sent("payment", "refund") == []
    assert ret.refund_state == "awaiting_capture"
    assert ret.exception == ""

    h.deliver("wms", wms_shipment("W-1", "SHP1", [(SKU, 1, 0)], [(SKU, 9, 1)]))
    h.answer_open("payment", "capture", 200, {"id": "cap_1"})

    refunds = h.transport.open("payment", "refund")
    assert len(refunds) == 1
    assert refunds[0].body["authorization"] == "auth_1"
    h.answer(refunds[0], 200, {"id": "re_1"})
    h.answer_open("erp", "post_credit_memo", 201, booked("CM-1"))
    assert ret.status == ReturnStatus.CLOSED
    assert ret.refund_state == "refunded"


def test_goods_back_from_an_order_never_charged_are_booked_without_money() -> None:
    h = Harness()
    _released(h)
    h.deliver("pos", store_return("RT-1", "W-1"))
    h.deliver("wms", wms_shipment("W-1", "SHP1", [(SKU, 1, 0)], [(SKU, 9, 1)]))
    h.answer_open("payment", "capture", 402, {"error": "card_expired"})

    assert h.transport.sent("payment", "refund") == []
    memos = h.transport.open("erp", "post_credit_memo")
    assert len(memos) == 1
    assert memos[0].body["Journal"] == []
    assert memos[0].body["Items"] == [{"Material": SKU, "QtyReturned": 1}]
    h.answer(memos[0], 201, booked("CM-1"))
    ret = h.hub.ctx.returns["RT-1"]
    assert ret.refund_state == "not_charged"
    assert ret.status == ReturnStatus.CLOSED
