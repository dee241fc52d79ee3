"""The marketplace's contract: its metered seller API (acknowledging orders; confirming
shipments and refunding returns when it collects the buyers' money) and what it pushes
to the hub in its own dialect (`event`, `mpOrderId`, camelCase), settlement reports
included.

It holds the seller to an acknowledgement window: an order not acknowledged within
`resend_after` is pushed again, as a new message with a new message id and the same
`mpOrderId` (up to six pushes), and one not acknowledged within `ack_window` counts
against the seller. So the same order can arrive many times, by resend and by the
network's duplicates; only the `mpOrderId` says it is the same.
"""

from __future__ import annotations

from simulators.contract.common import ERROR, QUANTITY, sim_time, throttled, unavailable
from simulators.contract.schema import array, const, integer, obj, string
from simulators.contract.settlement import CONFIRM_SHIPMENT, REFUND_RETURN, SETTLEMENT_POSTED
from simulators.contract.tables import Answer, Message, Operation, Source, System

__all__ = ["SOURCE", "SYSTEM"]

_ORDER_ID = string("The marketplace's order id.")
_OFFER_SKU = string("The SKU (the marketplace lists our SKUs as its offers).")

SYSTEM = System(
    "marketplace",
    "Marketplace seller API",
    "The marketplace's API for sellers, metered by a token bucket "
    "(`backends.marketplace.rate_limit_per_s`).",
    {
        "acknowledge": Operation(
            "Acknowledge an order",
            "Stops the resends and, within `ack_window`, keeps the seller rating. "
            "Acknowledging again answers 200 and keeps the first time.",
            obj("An acknowledgement.", {"mpOrderId": _ORDER_ID}),
            (
                Answer(
                    200,
                    "Acknowledged.",
                    obj("Acknowledged.", {"acknowledged": _ORDER_ID}, title="MarketplaceAck"),
                ),
                Answer(404, "No order has that id (`unknown order`).", ERROR),
            ),
            {"mpOrderId": "MP-0000001"},
        ),
        "confirm_shipment": CONFIRM_SHIPMENT,
        "refund_return": REFUND_RETURN,
    },
    (
        throttled("The seller API's rate limit: nothing was done."),
        unavailable("marketplace API"),
    ),
)

SOURCE = Source(
    "marketplace",
    "Marketplace",
    "Orders, cancellations and returns of the marketplace's customers. Every message "
    "carries `event` (its kind) and `mpOrderId`.",
    "event",
    {
        "ORDER_PLACED": Message(
            "A customer placed an order (or the marketplace pushes it again)",
            obj(
                "An order to acknowledge with `acknowledge`, and to fulfil.",
                {
                    "event": const("ORDER_PLACED"),
                    "mpOrderId": _ORDER_ID,
                    "buyerId": string("The customer."),
                    "createdAt": sim_time("When the customer placed it."),
                    "items": array(
                        obj(
                            "One line.",
                            {
                                "offerSku": _OFFER_SKU,
                                "quantity": QUANTITY,
                                "priceCents": integer("Unit price before tax, cents.", minimum=0),
                                "taxCents": integer("Tax for the whole line, cents.", minimum=0),
                            },
                            {
                                "listPriceCents": integer(
                                    "The list price `priceCents` was cut from, when the offer "
                                    "was on sale.",
                                    minimum=0,
                                ),
                                "promotion": string("The promotion behind the sale price."),
                            },
                        ),
                        "The lines.",
                    ),
                },
                {
                    "shipToRegion": string(
                        "The buyer's region, where the parcel goes: a tax engine's jurisdiction."
                    ),
                    "paymentCollectedBy": string(
                        "`MARKETPLACE` when the marketplace took the buyer's money itself: "
                        "confirm the shipment with `confirm_shipment` instead of capturing at "
                        "the gateway, refund with `refund_return`, and book the sale as owed "
                        "by the marketplace until a settlement pays it.",
                        enum=("MARKETPLACE",),
                    ),
                },
                title="MarketplaceOrderPlaced",
            ),
            "mpOrderId",
            {
                "event": "ORDER_PLACED",
                "mpOrderId": "MP-0000001",
                "buyerId": "C-000057",
                "createdAt": 10011.9,
                "items": [
                    {"offerSku": "SKU-00003", "quantity": 1, "priceCents": 5199, "taxCents": 1039}
                ],
            },
        ),
        "ORDER_CANCELLED": Message(
            "A customer asked to cancel an order",
            obj(
                "A cancellation request: it succeeds only if the goods have not left.",
                {
                    "event": const("ORDER_CANCELLED"),
                    "mpOrderId": _ORDER_ID,
                    "cancelledAt": sim_time("When the customer asked."),
                },
                title="MarketplaceOrderCancelled",
            ),
            "mpOrderId",
            {"event": "ORDER_CANCELLED", "mpOrderId": "MP-0000057", "cancelledAt": 81003.0},
        ),
        "RETURN_OPENED": Message(
            "A customer opened a return",
            obj(
                "Goods on their way back (to a DC). An order can have several returns: the "
                "first is `MPR-{mpOrderId}`, the next `MPR-{mpOrderId}-2`, ...",
                {
                    "event": const("RETURN_OPENED"),
                    "returnId": string("The return's id."),
                    "mpOrderId": _ORDER_ID,
                    "openedAt": sim_time("When the customer opened it."),
                    "items": array(
                        obj("One line.", {"offerSku": _OFFER_SKU, "quantity": QUANTITY}),
                        "What is coming back.",
                    ),
                },
                title="MarketplaceReturnOpened",
            ),
            "returnId",
            {
                "event": "RETURN_OPENED",
                "returnId": "MPR-MP-0000002",
                "mpOrderId": "MP-0000002",
                "openedAt": 38203.3,
                "items": [{"offerSku": "SKU-00007", "quantity": 2}],
            },
        ),
        "SETTLEMENT_POSTED": SETTLEMENT_POSTED,
    },
)
