"""The pricing source's messages to the hub: the price master (a PIM, or the ERP's
price list) says which prices hold, per SKU and channel, from a moment on.

Each message is one change of the source's, numbered: a higher `version` supersedes a
lower one for every price it names, so a message overtaken on the wire must not be
applied over a later one. The hub pushes the prices to the channels and the stores
(`prices` topics of `simulators.contract.channels`).
"""

from __future__ import annotations

from simulators.basket_promotions import ONLINE
from simulators.contract.common import sim_time
from simulators.contract.schema import array, boolean, const, integer, number, obj, string
from simulators.contract.tables import Message, Source
from simulators.price_channels import PriceChannel

__all__ = ["PRICE_ROW", "SOURCE"]

PRICE_ROW = obj(
    "A price for one SKU in one channel.",
    {
        "sku": string("The SKU."),
        "channel": string(
            "Where it is charged: the storefront (ship-to-home and click-and-collect), the "
            "marketplace's offers, or the stores' tills.",
            enum=tuple(str(channel) for channel in PriceChannel),
        ),
        "price_cents": integer("The price to charge, before tax, cents.", minimum=1),
        "list_price_cents": integer("The list price it was cut from, cents.", minimum=1),
        "promotion": string("The promotion that sets it (empty: the list price)."),
    },
)

BASKET_ROW = obj(
    "A basket promotion starting (`live`) or ending in one online channel: `percent_off` "
    "off every line of a basket worth `min_basket_cents` or more at that channel's prices.",
    {
        "name": string("The basket promotion."),
        "channel": string(
            "The online channel it runs in.",
            enum=tuple(str(channel) for channel in ONLINE),
        ),
        "min_basket_cents": integer("The threshold, cents.", minimum=1),
        "percent_off": number("Percent off every line.", minimum=0, maximum=100),
        "live": boolean("True at its start, false at its end."),
    },
)

SOURCE = Source(
    "pricing",
    "Pricing source",
    "Price changes and promotions from the retailer's price master. Every message "
    "carries `type` and the source's change number `version`.",
    "type",
    {
        "price.changed": Message(
            "Prices changed",
            obj(
                "The prices that hold from `effective_at` on: only those that changed, "
                "in every channel they changed in.",
                {
                    "type": const("price.changed"),
                    "version": integer(
                        "The source's change number, rising: a higher one supersedes a "
                        "lower one for every price it names.",
                        minimum=1,
                    ),
                    "effective_at": sim_time("When the prices took effect at the source."),
                    "prices": array(PRICE_ROW, "The prices that changed."),
                },
                {"baskets": array(BASKET_ROW, "Basket promotions that started or ended.")},
                title="PricesChanged",
            ),
            "",
            {
                "type": "price.changed",
                "version": 1,
                "effective_at": 0.0,
                "prices": [
                    {
                        "sku": "SKU-00001",
                        "channel": "web",
                        "price_cents": 2999,
                        "list_price_cents": 4999,
                        "promotion": "DOORBUSTER",
                    }
                ],
            },
        )
    },
)
