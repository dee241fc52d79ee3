"""What the hub publishes to the sales channels: stock feeds, order status notices,
return status notices and price pushes, `POST /channels/{channel}/{topic}` (the stores'
tills, channel `pos`, take price pushes only).

Channels sell against their own view of stock, only as fresh as the hub's last feed, so
the feed is where oversell is won or lost. Each feed row carries the source's sequence
number of the last movement its value includes (a WMS or POS stock report's `seq`): the
channel records when it learned of each movement, and the checker measures sync lag
from the source's own clock to that moment. Status notices carry the order's version so
a channel (and the checker) can put them back in the hub's order whatever the network
did: a later version with an earlier status is a regression and fails the run.
"""

from __future__ import annotations

from simulators.contract.common import sim_time
from simulators.contract.schema import Schema, array, boolean, integer, number, obj, row, string
from simulators.contract.tables import Channel, Topic

__all__ = ["CHANNELS", "ORDER_STATUSES", "RETURN_STATUSES"]

#: an order's statuses in the order of their rank: a notice may never go back in it
ORDER_STATUSES = (
    "received",
    "accepted",
    "released",
    "picked",
    "ready_for_pickup",
    "shipped",
    "collected",
    "cancelled",
)
#: a return's statuses, in the same sense
RETURN_STATUSES = (
    "requested",
    "authorised",
    "received",
    "inspected",
    "refunded",
    "closed",
    "rejected",
)

_SENT_AT = sim_time(
    "When the hub sent this push: a channel ignores a row older than the value it holds."
)
_SEQ = integer(
    "The source's sequence number of the last movement the value includes (-1: none yet).",
    minimum=-1,
)
_SKU = string("The SKU.")
_ATS = integer("Available to sell (below 0, an oversold position: the channel sells none).")
_SHIP_ROW = row(
    "[sku, ats, [[dc, seq], ...]]: ship-to-home availability over every DC, with what "
    "each DC's part of it includes.",
    _SKU,
    _ATS,
    array(row("[dc, seq]", string("The DC."), _SEQ)),
)
_ITEMS = array(_SHIP_ROW, "Ship-to-home rows: only the SKUs that changed since the last push.")
_VERSION = integer(
    "The order's version at the hub, rising with each change: notices are ordered by it.",
    minimum=0,
)
_AT = sim_time("When the hub sent it.")


def _inventory(description: str, fields: dict[str, Schema], title: str) -> Schema:
    return obj(description, {**fields, "sent_at": _SENT_AT}, title=title)


def _return_status(title: str) -> Schema:
    return obj(
        "A return moved on (the marketplace needs it to close its case).",
        {
            "rma": string("The return's id (RMA, marketplace returnId or till return txn)."),
            "status": string("Its status now.", enum=RETURN_STATUSES),
            "at": _AT,
        },
        title=title,
    )


_RETURN_EXAMPLE = {"rma": "RMA-W-0000001", "status": "refunded", "at": 41000.2}


def _prices(title: str) -> Topic:
    return Topic(
        "Price push",
        "The prices this channel charges from now on, for the SKUs that changed: each "
        "with the pricing source's change number that set it, so the channel keeps a "
        "price only against a newer one. A channel charges what it last heard; the "
        "checker holds every sale against the source's price at that moment.",
        obj(
            "A push of prices.",
            {
                "prices": array(
                    obj(
                        "One SKU's price.",
                        {
                            "sku": _SKU,
                            "price_cents": integer("The price to charge, cents.", minimum=1),
                            "list_price_cents": integer(
                                "The list price it was cut from, cents.", minimum=1
                            ),
                            "promotion": string("The promotion behind it (empty: none)."),
                            "version": integer(
                                "The pricing source's change number that set it.", minimum=1
                            ),
                        },
                    ),
                    "The prices that changed.",
                ),
                "sent_at": _SENT_AT,
            },
            {
                "baskets": array(
                    obj(
                        "A basket promotion that started or ended: the channel applies "
                        "the deepest live one a basket qualifies for to every line.",
                        {
                            "name": string("The basket promotion."),
                            "min_basket_cents": integer(
                                "The basket's worth, at the channel's prices, from which "
                                "it applies, cents.",
                                minimum=1,
                            ),
                            "percent_off": number(
                                "Percent off every line.", minimum=0, maximum=100
                            ),
                            "live": boolean("True from its start, false from its end."),
                            "version": integer(
                                "The pricing source's change number that set it.", minimum=1
                            ),
                        },
                    ),
                    "Basket promotions that changed (online channels only; absent when none did).",
                )
            },
            title=title,
        ),
        {
            "prices": [
                {
                    "sku": "SKU-00001",
                    "price_cents": 2999,
                    "list_price_cents": 4999,
                    "promotion": "DOORBUSTER",
                    "version": 1,
                }
            ],
            "sent_at": 2.0,
        },
    )


_INVENTORY_NOTE = (
    "At the end of the day each channel's view must equal the hub's available-to-sell "
    "for every SKU (a SKU never pushed shows 0), so a push after the last change matters."
)

WEB = Channel(
    "web",
    "Web storefront",
    "The retailer's own shop: ship-to-home and per-store (click-and-collect) views.",
    {
        "inventory": Topic(
            "Availability feed",
            "Rows for what changed. " + _INVENTORY_NOTE,
            _inventory(
                "A push of availability.",
                {
                    "items": _ITEMS,
                    "store_items": array(
                        row("[sku, store, ats, seq]", _SKU, string("The store."), _ATS, _SEQ),
                        "Per-store rows for click-and-collect: only what changed.",
                    ),
                },
                "WebInventoryFeed",
            ),
            {
                "items": [["SKU-00001", 264, [["DC-NORTH", 1], ["DC-SOUTH", 0]]]],
                "store_items": [["SKU-00001", "ST-0002", 12, 3]],
                "sent_at": 9405.0,
            },
        ),
        "order_status": Topic(
            "Order status notice",
            "The milestones a shop shows its customer (the built-in hub sends accepted, "
            "ready_for_pickup, shipped, collected, cancelled).",
            obj(
                "An order's status changed.",
                {
                    "order_ref": string("The storefront's order reference."),
                    "status": string("Its status now.", enum=ORDER_STATUSES),
                    "version": _VERSION,
                    "at": _AT,
                },
                title="WebOrderStatus",
            ),
            {"order_ref": "W-0000001", "status": "accepted", "version": 1, "at": 8761.9},
        ),
        "return_status": Topic(
            "Return status notice",
            "Returns opened on the web or brought to a store.",
            _return_status("WebReturnStatus"),
            _RETURN_EXAMPLE,
        ),
        "prices": _prices("WebPricePush"),
    },
)

MARKETPLACE = Channel(
    "marketplace",
    "Marketplace",
    "The marketplace lists our ship-to-home stock and takes the seller's order updates.",
    {
        "inventory": Topic(
            "Availability feed",
            "Ship-to-home rows for what changed. " + _INVENTORY_NOTE,
            _inventory("A push of availability.", {"items": _ITEMS}, "MarketplaceInventoryFeed"),
            {"items": [["SKU-00001", 264, [["DC-NORTH", 1], ["DC-SOUTH", 0]]]], "sent_at": 9405.0},
        ),
        "order_status": Topic(
            "Order state notice",
            "A marketplace takes the shipment and the cancellation from a seller (the "
            "built-in hub sends SHIPPED and CANCELLED); states are upper-case.",
            obj(
                "An order's state changed.",
                {
                    "mpOrderId": string("The marketplace's order id."),
                    "state": string(
                        "Its state now.", enum=tuple(s.upper() for s in ORDER_STATUSES)
                    ),
                    "version": _VERSION,
                    "at": _AT,
                },
                title="MarketplaceOrderState",
            ),
            {"mpOrderId": "MP-0000001", "state": "SHIPPED", "version": 4, "at": 11154.3},
        ),
        "return_status": Topic(
            "Return status notice",
            "Lets the marketplace close the customer's return case.",
            _return_status("MarketplaceReturnStatus"),
            {"rma": "MPR-MP-0000002", "status": "authorised", "at": 38203.3},
        ),
        "prices": _prices("MarketplacePricePush"),
    },
)

STORES = Channel(
    "pos",
    "Store tills",
    "Every store prices from its own book: a push reaches the stores that are "
    "connected, and a store offline takes the pushes it missed when it reconnects.",
    {"prices": _prices("StorePricePush")},
)

CHANNELS = {channel.name: channel for channel in (WEB, MARKETPLACE, STORES)}
