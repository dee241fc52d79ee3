"""A third-party marketplace: it pushes orders that must be acknowledged within its
window, relays customer cancellations and returns, and lists our stock from our feed."""

from __future__ import annotations

from collections.abc import Callable

from hub.adapters.errors import MalformedPayload
from hub.messages import (
    InboundEvent,
    LineIn,
    OrderCancellationRequested,
    OrderReceived,
    PayoutLineIn,
    ReturnRequested,
    SettlementReported,
)
from hub.model.order import Channel
from hub.ports import Body

SOURCE = "marketplace"
SYSTEM = "marketplace"
#: what a settling marketplace's orders say when it took the buyer's money itself
COLLECTED_BY_MARKETPLACE = "MARKETPLACE"


def parser(system: str) -> Callable[[Body], InboundEvent]:
    """The parser of one marketplace's messages: each of several speaks the same
    dialect, and its orders and payouts carry which one it is (built with it, not
    copied with `dataclasses.replace` after: a few microseconds a marketplace order)."""

    def parse_from(payload: Body) -> InboundEvent:
        return parse(payload, system)

    return parse_from


def parse(payload: Body, system: str = "") -> InboundEvent:
    """A message of a marketplace; `system`: which one, named in its orders and payouts
    ("": unnamed, an order names none and a payout the default marketplace)."""
    kind = payload.get("event")
    if kind == "ORDER_PLACED":
        return OrderReceived(
            Channel.MARKETPLACE,
            payload["mpOrderId"],
            payload["buyerId"],
            float(payload["createdAt"]),
            tuple(
                [
                    LineIn(
                        item["offerSku"],
                        int(item["quantity"]),
                        int(item["priceCents"]),
                        int(item["taxCents"]),
                        int(item.get("listPriceCents", 0)),
                        str(item.get("promotion") or ""),
                    )
                    for item in payload["items"]
                ]
            ),
            region=str(payload.get("shipToRegion") or ""),
            paid_by_channel=payload.get("paymentCollectedBy") == COLLECTED_BY_MARKETPLACE,
            marketplace=system,
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
    if kind == "SETTLEMENT_POSTED":
        return SettlementReported(
            str(payload["settlementId"]),
            float(payload["paidAt"]),
            int(payload["depositCents"]),
            tuple(
                PayoutLineIn(
                    str(line["lineId"]),
                    str(line["type"]),
                    str(line["mpOrderId"]),
                    str(line.get("returnId") or ""),
                    int(line["amountCents"]),
                )
                for line in payload["lines"]
            ),
            system or SYSTEM,
        )
    raise MalformedPayload(f"marketplace: unknown event {kind!r}")


def acknowledge(order_id: str) -> tuple[str, dict[str, object]]:
    return "acknowledge", {"mpOrderId": order_id}


def status_notice(order_id: str, status: str, version: int, at: float) -> dict[str, object]:
    return {"mpOrderId": order_id, "state": status.upper(), "version": version, "at": at}


def confirm_shipment(order_id: str, amount_cents: int) -> tuple[str, dict[str, object]]:
    """Ask a settling marketplace to charge the buyer for what shipped."""
    return "confirm_shipment", {"mpOrderId": order_id, "amountCents": amount_cents}


def refund_return(
    order_id: str, return_id: str, amount_cents: int
) -> tuple[str, dict[str, object]]:
    """Ask a settling marketplace to refund the buyer for a return (once per return)."""
    return "refund_return", {
        "mpOrderId": order_id,
        "returnId": return_id,
        "amountCents": amount_cents,
    }
