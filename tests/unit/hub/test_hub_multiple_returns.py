"""Several returns of one order.

A customer sends one unit back now and two more next week: two returns, each with its
own id, each authorised against what was delivered less what earlier returns already
claimed, each refunded under its own idempotency key and booked with its own credit
memo. A third asking for more than is left is refused, and so is a request that lists
a SKU twice to claim more than was delivered, or asks back online what already came
back over a store counter.
"""

from __future__ import annotations

from typing import Any

from hub_fakes import (
    DC,
    SKU,
    Harness,
    PackedArchive,
    authorised,
    booked,
    web_order,
    wms_picked,
    wms_shipment,
)

from hub.model.returns import ReturnStatus


def return_requested(rma: str, lines: list[tuple[str, int]], order_ref: str = "W-1") -> Any:
    return {
        "type": "return.requested",
        "rma": rma,
        "order_ref": order_ref,
        "at": 0.0,
        "lines": [{"sku": sku, "qty": qty} for sku, qty in lines],
    }


def wms_return(rma: str, lines: list[tuple[str, int]], on_hand: int, seq: int) -> list[Any]:
    """The WMS's RETURN_RECEIVED then RETURN_INSPECTED (resellable) for a return."""
    received = {
        "msg": "RETURN_RECEIVED",
        "rma": rma,
        "orderRef": "W-1",
        "dc": DC,
        "lines": [{"item": sku, "qty": qty} for sku, qty in lines],
        "ts": 0.0,
    }
    inspected = {
        "msg": "RETURN_INSPECTED",
        "rma": rma,
        "dc": DC,
        "grade": "resellable",
        "stock": [{"item": SKU, "onHand": on_hand, "seq": seq, "ts": 0.0}],
        "ts": 0.0,
    }
    return [received, inspected]


def delivered_and_charged(h: Harness, qty: int = 3) -> None:
    h.deliver("web", web_order("W-1", [(SKU, qty)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("wms", "release_order", 202)
    h.deliver("wms", wms_picked("W-1"))
    h.deliver("wms", wms_shipment("W-1", "SHP1", [(SKU, qty, 0)], [(SKU, 10 - qty, 1)]))
    h.answer_open("payment", "capture", 200, {"id": "cap_1"})
    h.answer_open("erp", "post_delivery_invoice", 201, booked("INV-1"))


def test_each_return_of_an_order_is_authorised_refunded_and_credited_on_its_own() -> None:
    h = Harness()
    delivered_and_charged(h)
    h.deliver("web", return_requested("RMA-W-1", [(SKU, 1)]))
    h.deliver("web", return_requested("RMA-W-1-2", [(SKU, 2)]))
    h.deliver("web", return_requested("RMA-W-1-2", [(SKU, 2)]))  # the wire repeats itself
    returns = h.hub.ctx.returns
    assert returns["RMA-W-1"].status is ReturnStatus.AUTHORISED
    assert returns["RMA-W-1-2"].status is ReturnStatus.AUTHORISED
    expected = [r.body for r in h.transport.open("wms", "expect_return")]
    assert [(e["rma"], e["lines"][0]["qty"]) for e in expected] == [
        ("RMA-W-1", 1),
        ("RMA-W-1-2", 2),
    ]
    h.answer_open("wms", "expect_return", 202)

    for seq, (rma, qty) in enumerate((("RMA-W-1", 1), ("RMA-W-1-2", 2)), start=2):
        for message in wms_return(rma, [(SKU, qty)], 7 + seq, seq):
            h.deliver("wms", message)
    refunds = h.transport.open("payment", "refund")
    assert [
        (r.body["reference"], r.body["amount"], r.body["idempotency_key"]) for r in refunds
    ] == [
        ("RMA-W-1", 1000 + 66, "refund:RMA-W-1"),
        ("RMA-W-1-2", 2000 + 133, "refund:RMA-W-1-2"),
    ]
    for n, refund in enumerate(refunds, start=1):
        h.answer(refund, 200, {"id": f"re_{n}"})
    memos = h.transport.open("erp", "post_credit_memo")
    assert [(m.body["DocRef"], m.body["Items"][0]["QtyReturned"]) for m in memos] == [
        ("CM-RMA-W-1", 1),
        ("CM-RMA-W-1-2", 2),
    ]
    for n, memo in enumerate(memos, start=1):
        h.answer(memo, 201, booked(f"CM-{n}"))
    assert [returns[r].status for r in ("RMA-W-1", "RMA-W-1-2")] == [ReturnStatus.CLOSED] * 2
    assert [returns[r].credit_memo_no for r in ("RMA-W-1", "RMA-W-1-2")] == ["CM-1", "CM-2"]

    # all three units are claimed: a third return is refused, and asks nothing of the WMS
    h.deliver("web", return_requested("RMA-W-1-3", [(SKU, 1)]))
    assert returns["RMA-W-1-3"].status is ReturnStatus.REJECTED
    assert "not returnable" in returns["RMA-W-1-3"].exception
    assert h.transport.open("wms", "expect_return") == []


def test_a_sku_listed_twice_in_one_request_counts_twice() -> None:
    h = Harness()
    delivered_and_charged(h)
    h.deliver("web", return_requested("RMA-W-1", [(SKU, 2), (SKU, 2)]))
    assert h.hub.ctx.returns["RMA-W-1"].status is ReturnStatus.REJECTED
    h.deliver("web", return_requested("RMA-W-1-2", [(SKU, 3)]))  # nothing was claimed
    assert h.hub.ctx.returns["RMA-W-1-2"].status is ReturnStatus.AUTHORISED


def returned_over_a_counter(quantity: int, refund_cents: int, tax_cents: int) -> dict[str, Any]:
    """Store S1's till: `quantity` of web order W-1's SKU brought back over its counter."""
    return {
        "kind": "return",
        "store": "S1",
        "txn": "RT-1",
        "order_ref": "W-1",
        "channel": "web",
        "grade": "resellable",
        "lines": [
            {"sku": SKU, "qty": quantity, "refund_cents": refund_cents, "tax_cents": tax_cents}
        ],
        "refunded_at_till_cents": 0,
        "stock": [{"sku": SKU, "on_hand": 2, "quarantined": 0, "seq": 1, "ts": 0.0}],
        "ts": 0.0,
    }


def test_goods_back_over_a_counter_cannot_be_asked_back_online() -> None:
    h = Harness()
    delivered_and_charged(h)
    counter = returned_over_a_counter(2, refund_cents=2000, tax_cents=133)
    h.deliver("pos", counter)
    h.deliver("web", return_requested("RMA-W-1", [(SKU, 2)]))
    assert h.hub.ctx.returns["RMA-W-1"].status is ReturnStatus.REJECTED
    h.deliver("web", return_requested("RMA-W-1-2", [(SKU, 1)]))
    assert h.hub.ctx.returns["RMA-W-1-2"].status is ReturnStatus.AUTHORISED


def test_what_came_back_is_counted_with_the_order_when_it_is_archived() -> None:
    """The units already accepted back are kept with the order, not beside it: once the
    order is archived and read back, a request is still judged against what is left."""
    h = Harness()
    archive = PackedArchive()
    h.hub.ctx.orders.archive_into(archive)
    delivered_and_charged(h)
    h.deliver("web", return_requested("RMA-W-1", [(SKU, 1)]))
    counter = returned_over_a_counter(1, refund_cents=1000, tax_cents=66)
    h.hub.archive_finished()
    assert "W-1" in archive.kept and h.hub.ctx.orders.in_memory() == 0
    h.deliver("pos", counter)  # read back, counted on, archived again
    h.hub.archive_finished()
    assert "W-1" in archive.kept
    h.deliver("web", return_requested("RMA-W-1-2", [(SKU, 2)]))
    assert h.hub.ctx.returns["RMA-W-1-2"].status is ReturnStatus.REJECTED
    h.hub.archive_finished()
    h.deliver("web", return_requested("RMA-W-1-3", [(SKU, 1)]))
    assert h.hub.ctx.returns["RMA-W-1-3"].status is ReturnStatus.AUTHORISED
    assert [line.returned_quantity for line in h.hub.ctx.orders["W-1"].lines] == [3]
