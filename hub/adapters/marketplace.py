"""A third-party marketplace: it pushes orders that must be acknowledged within its
window, relays customer cancellations and returns, and lists our stock from our feed."""

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

SOURCE = "marketplace"


def parse(payload: Body) -> InboundEvent:
    kind = payload.get("event")
    if kind == "ORDER_PLACED":
        return OrderReceived(
            Channel.MARKETPLACE,
            payload["mpOrderId"],
            payload["buyerId"],
            float(payload["createdAt"]),
            tuple(
                LineIn(
                    item["offerSku"],
                    int(item["quantity"]),
                    int(item["priceCents"]),
                    int(item["taxCents"]),
                    int(item.get("listPriceCents", 0)),
                    str(item.get("promotion") or ""),
                )
                for item in payload["items"]
            ),
            region=str(payload.get("shipToRegion") or ""),
        )
    if kind == "ORDER_CANCELLED":
        return OrderCancellationRequested(
            Channel.MARKETPLACE, payload["mpOrderId"], float(payload["cancelledAt"])
        )
    if kind == "RETURN_OPENED":
        return ReturnRequested(
            Channel.MARKETPLACE,
            payload["returnId"],
            payload["mpOrderId"],
            tuple(LineIn(item["offerSku"], int(item["quantity"])) for item in payload["items"]),
            float(payload["openedAt"]),
        )
    raise MalformedPayload(f"marketplace: unknown event {kind!r}")


def acknowledge(order_id: str) -> tuple[str, dict[str, object]]:
    return "acknowledge", {"mpOrderId": order_id}


def status_notice(order_id: str, status: str, version: int, at: float) -> dict[str, object]:
    return {"mpOrderId": order_id, "state": status.upper(), "version": version, "at": at}
