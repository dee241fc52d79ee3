"""The tax engine: a quote while an order is captured, a commit of what was delivered
(the liability filed, with what the customer paid), a reversal for goods returned.

Each request names its document: the order's id for a quote and a commit, the return's
for a reversal. The engine records a code once, so a retry after a timeout gets the
first answer again and files nothing twice: no idempotency key is needed.
"""

from __future__ import annotations

from collections.abc import Iterable

from hub.model.order import Order
from hub.model.returns import Return
from hub.ports import Body

SYSTEM = "tax"


def _lines(rows: Iterable[tuple[str, int, int]]) -> list[dict[str, object]]:
    return [{"sku": sku, "qty": qty, "net_cents": net} for sku, qty, net in rows if qty > 0]


def quote(order: Order) -> dict[str, object]:
    """Every line as ordered: what the customer is charged if it all ships."""
    return {
        "code": order.order_id,
        "region": order.region,
        "lines": _lines(
            [
                (line.sku, line.quantity, line.unit_price_cents * line.quantity)
                for line in order.lines
            ]
        ),
    }


def commit(order: Order, collected_cents: int) -> dict[str, object]:
    """What left the building, and the tax the customer paid on it."""
    return {
        "code": order.order_id,
        "region": order.region,
        "lines": _lines(
            [
                (line.sku, line.shipped_quantity, line.unit_price_cents * line.shipped_quantity)
                for line in order.lines
            ]
        ),
        "collected_cents": collected_cents,
    }


def reverse(ret: Return) -> dict[str, object]:
    """The goods back, against the order's committed transaction."""
    return {
        "code": ret.return_id,
        "transaction": ret.order_id,
        "lines": _lines([(line.sku, line.quantity, line.refund_cents) for line in ret.lines]),
        "refunded_cents": sum(line.tax_cents for line in ret.lines),
    }


def line_taxes(body: Body) -> list[int]:
    """The tax of each line of the request, in the order they were sent."""
    return [int(line["tax_cents"]) for line in body["lines"]]


def total_tax(body: Body) -> int:
    return int(body["tax_cents"])
