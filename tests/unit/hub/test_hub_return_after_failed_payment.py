"""Goods returned after the order's payment has finally failed.

An authorisation lapses before the parcel ships; the capture is refused as expired, the
hub re-authorises, and the issuer declines the re-authorisation: the goods have left and
no money was ever taken, so the order goes to the exception queue. Days later the
customer returns the goods. There is nothing to refund, but the goods are back and the
ERP must book them back into stock: the return closes with a credit memo without money.
Before the fix it waited for a capture that could never come ("awaiting_capture" for
ever), no credit memo was posted, and the ERP's stock stayed one unit short.
"""

from __future__ import annotations

from hub_fakes import SKU, Harness, authorised, booked, web_order, wms_picked, wms_shipment
from test_hub_return_before_capture import store_return

from hub.model.returns import ReturnStatus


def _shipped_and_never_paid(h: Harness, failure: str) -> None:
    h.deliver("web", web_order("W-1", [(SKU, 1)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("wms", "release_order", 202)
    h.deliver("wms", wms_picked("W-1"))
    h.deliver("wms", wms_shipment("W-1", "SHP1", [(SKU, 1, 0)], [(SKU, 9, 1)]))
    if failure == "reauthorisation declined":
        h.answer_open("payment", "capture", 402, {"error": "authorization_expired"})
        h.answer_open("payment", "authorize", 402, {"error": "card_declined"})
    else:
        h.answer_open("payment", "capture", 402, {"error": "card_expired"})
    h.answer_open("erp", "post_delivery_invoice", 201, booked("INV-1"))
    order = h.order("W-1")
    assert order.payment_state in ("declined", "failed")
    assert order.exception  # a person chases the money


def test_a_return_after_a_declined_reauthorisation_closes_without_money() -> None:
    h = Harness()
    _shipped_and_never_paid(h, "reauthorisation declined")
    h.deliver("pos", store_return("RT-1", "W-1"))

    assert h.transport.sent("payment", "refund") == []
    memos = h.transport.open("erp", "post_credit_memo")
    assert len(memos) == 1
    assert memos[0].body["Journal"] == []
    assert memos[0].body["Items"] == [{"Material": SKU, "QtyReturned": 1}]
    h.answer(memos[0], 201, booked("CM-1"))
    ret = h.hub.ctx.returns["RT-1"]
    assert ret.refund_state == "not_charged"
    assert ret.status == ReturnStatus.CLOSED


def test_a_return_after_a_failed_capture_closes_without_money() -> None:
    h = Harness()
    _shipped_and_never_paid(h, "capture failed")
    h.deliver("pos", store_return("RT-1", "W-1"))
    assert h.transport.sent("payment", "refund") == []
    assert h.answer_open("erp", "post_credit_memo", 201, booked("CM-1")) == 1
    assert h.hub.ctx.returns["RT-1"].status == ReturnStatus.CLOSED


def test_a_return_while_the_capture_is_still_being_retried_waits_for_it() -> None:
    """The other side of the rule: an order still authorised is not "never charged"."""
    h = Harness()
    h.deliver("web", web_order("W-1", [(SKU, 1)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("wms", "release_order", 202)
    h.deliver("wms", wms_picked("W-1"))
    h.deliver("wms", wms_shipment("W-1", "SHP1", [(SKU, 1, 0)], [(SKU, 9, 1)]))
    h.answer_open("payment", "capture", 402, {"error": "authorization_expired"})
    h.deliver("pos", store_return("RT-1", "W-1"))  # the re-authorisation is in flight
    assert h.hub.ctx.returns["RT-1"].refund_state == "awaiting_capture"
    assert h.transport.sent("erp", "post_credit_memo") == []
    h.answer_open("payment", "authorize", 200, authorised("auth_2"))
    h.answer_open("payment", "capture", 200, {"id": "cap_1"})
    assert h.answer_open("payment", "refund", 200, {"id": "re_1"}) == 1
