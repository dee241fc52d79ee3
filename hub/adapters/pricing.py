"""The pricing source (a PIM, or the ERP's price list): price changes in, and the price
pushes the hub sends each channel out."""

from __future__ import annotations

from collections.abc import Iterable

from hub.adapters.errors import MalformedPayload
from hub.messages import InboundEvent, PriceIn, PricesChanged
from hub.ports import Body

SOURCE = "pricing"


def parse(payload: Body) -> InboundEvent:
    kind = payload.get("type")
    if kind != "price.changed":
        raise MalformedPayload(f"pricing: unknown message type {kind!r}")
    return PricesChanged(
        int(payload["version"]),
        float(payload["effective_at"]),
        tuple(
            PriceIn(
                row["sku"],
                row["channel"],
                int(row["price_cents"]),
                int(row["list_price_cents"]),
                str(row.get("promotion") or ""),
            )
            for row in payload["prices"]
        ),
    )


def price_push(rows: Iterable[tuple[PriceIn, int]], sent_at: float) -> Body:
    """The body of a price push to a channel or the stores: each price with the
    source's change number that set it, so a push overtaken on the wire cannot roll a
    price back."""
    return {
        "prices": [
            {
                "sku": price.sku,
                "price_cents": price.price_cents,
                "list_price_cents": price.list_price_cents,
                "promotion": price.promotion,
                "version": version,
            }
            for price, version in rows
        ],
        "sent_at": sent_at,
    }
