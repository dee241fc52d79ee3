"""The retailer's own storefront (web and click-and-collect orders, returns)."""

from __future__ import annotations

from hub.adapters.errors import MalformedPayload
from hub.messages import (
    InboundEvent,
    LineIn,
    OrderCancellationRequested,
    OrderReceived,
    ReturnRequested,
)
from hub.model.order import Channel
from hub.ports import Body

SOURCE = "web"


def parse(payload: Body) -> InboundEvent:
    kind = payload.get("type")
    if kind == "order.created":
        pickup = payload.get("pickup_store") or ""
        return OrderReceived(
            Channel.CLICK_COLLECT if pickup else Channel.WEB,
            payload["order_ref"],
            payload["customer_ref"],
            float(payload["placed_at"]),
            tuple(
                LineIn(
                    line["sku"],
                    int(line["qty"]),
                    int(line["unit_price_cents"]),
                    int(line["tax_cents"]),
                    int(line.get("list_price_cents", 0)),
                    str(line.get("promotion") or ""),
                )
                for line in payload["lines"]
            ),
            pickup,
            str(payload.get("ship_to_region") or ""),
        )
    if kind == "order.cancel_requested":
        return OrderCancellationRequested(Channel.WEB, payload["order_ref"], float(payload["at"]))
    if kind == "return.requested":
        return ReturnRequested(
            Channel.WEB,
            payload["rma"],
            payload["order_ref"],
            tuple(LineIn(line["sku"], int(line["qty"])) for line in payload["lines"]),
            float(payload["at"]),
        )
    raise MalformedPayload(f"web: unknown message type {kind!r}")


def status_notice(order_id: str, status: str, version: int, at: float) -> dict[str, object]:
    return {"order_ref": order_id, "status": status, "version": version, "at": at}
