"""The pricing source (a PIM, or the ERP's price list): price changes in, and the price
pushes the hub sends each channel out."""

from __future__ import annotations

from collections.abc import Iterable

from hub.adapters.errors import MalformedPayload
from hub.messages import BasketIn, InboundEvent, PriceIn, PricesChanged
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
        tuple(
            BasketIn(
                str(row["name"]),
                str(row["channel"]),
                int(row["min_basket_cents"]),
                float(row["percent_off"]),
                bool(row["live"]),
            )
            for row in payload.get("baskets", ())
        ),
    )


def price_push(
    rows: Iterable[tuple[PriceIn, int]],
    sent_at: float,
    baskets: Iterable[tuple[BasketIn, int]] = (),
) -> Body:
    """The body of a price push to a channel or the stores: each price with the
    source's change number that set it, so a push overtaken on the wire cannot roll a
    price back; and the basket promotions that started or ended, when any did."""
    body: dict[str, object] = {
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
    basket_rows = [
        {
            "name": basket.name,
            "min_basket_cents": basket.min_basket_cents,
            "percent_off": basket.percent_off,
            "live": basket.live,
            "version": version,
        }
        for basket, version in baskets
    ]
    if basket_rows:  # only what a basket promotion adds: a push without one is as before
        body["baskets"] = basket_rows
    return body
