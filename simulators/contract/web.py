"""The web storefront's messages to the hub, in the retailer's house dialect (`type`,
snake_case): orders for delivery or click-and-collect, cancellation requests, returns.

The storefront is a channel, not a backend: it has no API for the hub to call, only the
topics the hub publishes to it (`simulators.contract.channels`).
"""

from __future__ import annotations

from simulators.contract.b2b import ORDER_ON_ACCOUNT, REMITTANCE_SENT
from simulators.contract.common import QUANTITY, sim_time
from simulators.contract.schema import array, const, integer, nullable, obj, string
from simulators.contract.tables import Message, Source

__all__ = ["SOURCE"]

_ORDER_REF = string("The storefront's order reference (`W-...`, or `CC-...` for collection).")
_SKU = string("The SKU.")

SOURCE = Source(
    "web",
    "Web storefront",
    "Orders, cancellation requests and returns of the web shop's customers, and its "
    "company side (the B2B portal): orders on account and remittances. Every message "
    "carries `type` (its kind); all but a remittance carry `order_ref`.",
    "type",
    {
        "order.created": Message(
            "A customer placed an order",
            obj(
                "An order for delivery from a DC, or for collection at `pickup_store`.",
                {
                    "type": const("order.created"),
                    "order_ref": _ORDER_REF,
                    "customer_ref": string("The customer."),
                    "placed_at": sim_time("When the customer placed it."),
                    "pickup_store": nullable(
                        string("The store to collect from; null for delivery.")
                    ),
                    "lines": array(
                        obj(
                            "One line.",
                            {
                                "sku": _SKU,
                                "qty": QUANTITY,
                                "unit_price_cents": integer(
                                    "Unit price before tax, cents.", minimum=0
                                ),
                                "tax_cents": integer("Tax for the whole line, cents.", minimum=0),
                            },
                            {
                                "list_price_cents": integer(
                                    "The list price `unit_price_cents` was cut from, when the "
                                    "storefront's price was not the list price.",
                                    minimum=0,
                                ),
                                "promotion": string(
                                    "The promotion behind the price (empty: a list-price change)."
                                ),
                            },
                        ),
                        "The lines.",
                    ),
                },
                {
                    "ship_to_region": string(
                        "The customer's region, where a delivery goes: a tax engine's "
                        "jurisdiction (a pickup is taxed at its store's region)."
                    ),
                    **ORDER_ON_ACCOUNT,
                },
                title="WebOrderCreated",
            ),
            "order_ref",
            {
                "type": "order.created",
                "order_ref": "W-0000001",
                "customer_ref": "C-000386",
                "placed_at": 8761.8,
                "pickup_store": None,
                "lines": [
                    {"sku": "SKU-00001", "qty": 3, "unit_price_cents": 4999, "tax_cents": 2999}
                ],
            },
        ),
        "order.cancel_requested": Message(
            "A customer asked to cancel an order",
            obj(
                "A cancellation request: it succeeds only if the goods have not left.",
                {
                    "type": const("order.cancel_requested"),
                    "order_ref": _ORDER_REF,
                    "at": sim_time("When the customer asked."),
                },
                title="WebOrderCancelRequested",
            ),
            "order_ref",
            {"type": "order.cancel_requested", "order_ref": "W-0000015", "at": 31418.9},
        ),
        "remittance.sent": REMITTANCE_SENT,
        "return.requested": Message(
            "A customer asked to send goods back",
            obj(
                "A return by parcel to a DC (returns in store come from the POS). An order "
                "can have several: the first is `RMA-{order_ref}`, the next "
                "`RMA-{order_ref}-2`, ...",
                {
                    "type": const("return.requested"),
                    "rma": string("The return's id."),
                    "order_ref": _ORDER_REF,
                    "at": sim_time("When the customer asked."),
                    "lines": array(
                        obj("One line.", {"sku": _SKU, "qty": QUANTITY}), "What is coming back."
                    ),
                },
                title="WebReturnRequested",
            ),
            "rma",
            {
                "type": "return.requested",
                "rma": "RMA-W-0000001",
                "order_ref": "W-0000001",
                "at": 25622.4,
                "lines": [{"sku": "SKU-00001", "qty": 3}],
            },
        ),
    },
)
