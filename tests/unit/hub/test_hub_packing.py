"""Orders and returns packed as plain values read back equal, every field of them."""

from __future__ import annotations

import marshal

from hub.model.fraud import ReviewState
from hub.model.order import FulfilmentLeg, Order, OrderLine, OrderStatus
from hub.model.packing import ORDER, RETURN
from hub.model.payment import PaymentState, RefundState
from hub.model.returns import Return, ReturnLine, ReturnStatus
from hub.model.tax import TaxState


def test_an_order_with_every_facet_reads_back_equal() -> None:
    order = Order(
        "W-1",
        "web",
        "W-1",
        "C-1",
        1.5,
        2.5,
        [
            OrderLine(1, "SKU-1", 3, 999, 90, 1, 2, 1200, "BF", "DC-2"),
            OrderLine(2, "SKU-2", 1, 5, 1),
        ],
        location="DC-1",
        payment_state=PaymentState.CAPTURED,
        tax_state=TaxState.COMMITTED,
        review_state=ReviewState.APPROVED,
        legs=[
            FulfilmentLeg(1, "DC-1", (1,), True, True, "SH-1", 9.0),
            FulfilmentLeg(2, "DC-2", (2,)),
        ],
        net_days=30,
    )
    order.advance(OrderStatus.ACCEPTED, 3.0, "hub", True)
    order.advance(OrderStatus.SHIPPED, 4.0, "wms", True)
    order.flag("payment", "declined", 5.0)
    back = ORDER.unpack(marshal.loads(marshal.dumps(ORDER.pack(order))))
    assert back == order
    assert back.history == order.history
    assert type(back.history[0].status) is OrderStatus
    assert back.lines is not order.lines


def test_a_return_reads_back_equal() -> None:
    ret = Return("R-1", "W-1", "web", 1.0, [ReturnLine("SKU-1", 1, 999, 90)], "DC-1")
    ret.advance(ReturnStatus.RECEIVED, 2.0, "wms", True)
    ret.refund_state = RefundState.REFUNDED
    back = RETURN.unpack(marshal.loads(marshal.dumps(RETURN.pack(ret))))
    assert back == ret
    assert type(back.history[0].status) is ReturnStatus
