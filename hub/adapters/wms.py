"""The warehouse management system of the distribution centres."""

from __future__ import annotations

from collections.abc import Iterable

from hub.adapters.errors import MalformedPayload
from hub.adapters.stock import snapshot_rows, wms_stock
from hub.messages import (
    InboundEvent,
    LineIn,
    OrderPicked,
    ReturnInspected,
    ReturnReceived,
    ShipmentConfirmed,
    StockReceived,
)
from hub.model.order import OrderLine
from hub.ports import Body

SOURCE = "wms"


def parse(payload: Body) -> InboundEvent:
    kind = payload.get("msg")
    if kind == "ORDER_PICKED":
        return OrderPicked(
            payload["orderRef"],
            payload["dc"],
            float(payload["ts"]),
            int(payload.get("leg", 1)),
        )
    if kind == "SHIPMENT_CONFIRMED":
        lines = payload["lines"]
        return ShipmentConfirmed(
            payload["orderRef"],
            payload["shipmentNo"],
            payload["dc"],
            tuple(
                [LineIn(line["item"], int(line["shipped"])) for line in lines if line["shipped"]]
            ),
            tuple([LineIn(line["item"], int(line["short"])) for line in lines if line["short"]]),
            wms_stock(payload["dc"], payload["stock"]),
            float(payload["ts"]),
            int(payload.get("leg", 1)),
        )
    if kind == "RECEIPT":
        return StockReceived(
            payload["dc"],
            payload["receiptNo"],
            tuple(LineIn(line["item"], int(line["qty"])) for line in payload["lines"]),
            wms_stock(payload["dc"], payload["stock"]),
            float(payload["ts"]),
        )
    if kind == "RETURN_RECEIVED":
        return ReturnReceived(
            payload["rma"],
            payload["orderRef"],
            payload["dc"],
            tuple(LineIn(line["item"], int(line["qty"])) for line in payload["lines"]),
            float(payload["ts"]),
        )
    if kind == "RETURN_INSPECTED":
        return ReturnInspected(
            payload["rma"],
            payload["dc"],
            payload["grade"],
            wms_stock(payload["dc"], payload["stock"]),
            float(payload["ts"]),
        )
    raise MalformedPayload(f"wms: unknown message {kind!r}")


def release_order(
    order_id: str, dc: str, lines: Iterable[OrderLine], leg: int = 1
) -> dict[str, object]:
    """The release of an order (`leg` 1), or of one part of a split order."""
    body: dict[str, object] = {
        "orderRef": order_id,
        "dc": dc,
        "lines": [
            {"item": line.sku, "qty": line.open_quantity}
            for line in lines
            if line.open_quantity > 0
        ],
    }
    if leg > 1:
        body["leg"] = leg
    return body


def cancel_release(order_id: str, leg: int = 1) -> dict[str, object]:
    body: dict[str, object] = {"orderRef": order_id}
    if leg > 1:
        body["leg"] = leg
    return body


def expect_return(
    return_id: str, order_id: str, dc: str, lines: Iterable[tuple[str, int]]
) -> dict[str, object]:
    return {
        "rma": return_id,
        "orderRef": order_id,
        "dc": dc,
        "lines": [{"item": sku, "qty": qty} for sku, qty in lines],
    }


def parse_snapshot(dc: str, body: Body) -> Iterable[tuple[str, int, int, int]]:
    """(sku, on_hand, quarantined, seq) rows of a stock snapshot."""
    return snapshot_rows(body, ("item", "onHand", "quarantined", "seq"))
