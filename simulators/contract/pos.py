"""The stores' point-of-sale contract: click-and-collect requests, withdrawing them,
stock snapshots; and what the tills tell the hub (sales, returns over the counter,
pickups ready and collected, deliveries), each with the stock it left behind.

A store that loses its connection keeps trading: it answers no call (the caller's
timeout decides) and uploads what it would have sent when it is back, late and in no
particular order. Stock reports carry the store's sequence number per position, as the
WMS's do.
"""

from __future__ import annotations

from simulators.contract.common import (
    ERROR,
    QUANTITY,
    SIM_TIME,
    bad_request,
    sim_time,
)
from simulators.contract.schema import array, const, integer, obj, row, string
from simulators.contract.tables import Answer, Message, Operation, Source, System

__all__ = ["SOURCE", "SYSTEM"]

_STORE = string("The store (one of day.started's `topology.stores`).")
_SKU = string("The SKU.")
_ORDER_REF = string("The click-and-collect order's reference (the web `order_ref`).")
_LINES = array(obj("One line.", {"sku": _SKU, "qty": QUANTITY}), "The lines.")
_CENTS = integer(minimum=0)
STOCK_REPORT = obj(
    "A position's stock after a movement.",
    {
        "sku": _SKU,
        "on_hand": integer("Units physically there."),
        "quarantined": integer("Of those, units held back (damaged returns).", minimum=0),
        "seq": integer("The position's movement sequence number.", minimum=0),
        "ts": SIM_TIME,
    },
    title="PosStockReport",
)
_STOCK = array(STOCK_REPORT, "The positions the event moved, as they are now.")

_OPERATIONS = {
    "pickup_request": Operation(
        "Ask a store to pick a click-and-collect order",
        "The store picks it into its held area (`pickup_ready`, with what was short) and "
        "the customer collects it later (`pickup_collected`). Asking again for the same "
        "order_ref is refused with 409 and changes nothing, so a retry is safe.",
        obj("A pickup request.", {"order_ref": _ORDER_REF, "store": _STORE, "lines": _LINES}),
        (
            Answer(
                202, "Queued for picking.", obj("Queued.", {"accepted": string("The order_ref.")})
            ),
            Answer(409, "Already requested.", ERROR),
        ),
        {"order_ref": "CC-0000005", "store": "ST-0002", "lines": [{"sku": "SKU-00001", "qty": 1}]},
    ),
    "cancel_release": Operation(
        "Withdraw a click-and-collect order not yet collected",
        "Picked goods go back to the shelf; cancelling again answers 200.",
        obj(
            "A withdrawal.",
            {"orderRef": string("The click-and-collect order's reference (`order_ref`).")},
        ),
        (
            Answer(
                200,
                "Withdrawn.",
                obj("Withdrawn.", {"cancelled": string("The order's reference.")}),
            ),
            Answer(404, "No pickup with that reference.", ERROR),
            Answer(409, "Already collected.", ERROR),
        ),
        {"orderRef": "CC-0000083"},
    ),
    "stock_snapshot": Operation(
        "Every position of a store",
        "A bulk export for reconciliation: a table of rows.",
        obj("Which store.", {"store": _STORE}),
        (
            Answer(
                200,
                "The store's positions.",
                obj(
                    "The store's stock as rows.",
                    {
                        "columns": array(
                            string(enum=("sku", "on_hand", "quarantined", "seq")),
                            "The rows' columns: sku, on_hand, quarantined, seq.",
                        ),
                        "rows": array(
                            row(
                                "[sku, on_hand, quarantined, seq]",
                                _SKU,
                                integer(),
                                integer(minimum=0),
                                integer(minimum=0),
                            )
                        ),
                        "ts": sim_time("When the snapshot was taken."),
                    },
                    title="PosStockSnapshot",
                ),
            ),
        ),
        {"store": "ST-0002"},
    ),
}

SYSTEM = System(
    "pos",
    "Store POS",
    "The stores' tills and back office. A store that is offline (a `pos:REGION` "
    "`offline` fault) never answers: its calls are lost and the caller's timeout decides.",
    _OPERATIONS,
    (bad_request("store"),),
)

_SALE_LINE = obj(
    "One line sold.",
    {
        "sku": _SKU,
        "qty": QUANTITY,
        "price_cents": integer("Unit price before tax, cents.", minimum=0),
        "tax_cents": integer("Tax for the whole line, cents.", minimum=0),
    },
    {
        "list_price_cents": integer(
            "The list price `price_cents` was cut from, when the till's price was not "
            "the list price.",
            minimum=0,
        ),
        "promotion": string("The promotion behind the price (empty: a list-price change)."),
    },
)
_RETURN_LINE = obj(
    "One line returned.",
    {
        "sku": _SKU,
        "qty": QUANTITY,
        "refund_cents": integer("Refund before tax for the whole line, cents.", minimum=0),
        "tax_cents": integer("Tax refunded for the whole line, cents.", minimum=0),
    },
)


SOURCE = Source(
    "pos",
    "Store POS",
    "What the stores did. Every message carries `kind`, `store` and `ts`. A store "
    "offline uploads its backlog when it reconnects, shuffled over "
    "`backends.pos.reconnect_upload_spread`.",
    "kind",
    {
        "sale": Message(
            "A walk-in sale at a till",
            obj(
                "Sold and paid for at the till (a till sells only what the shelf has).",
                {
                    "kind": const("sale"),
                    "store": _STORE,
                    "txn": string("The till transaction's id."),
                    "ts": SIM_TIME,
                    "lines": array(_SALE_LINE, "What was sold."),
                    "stock": _STOCK,
                },
                title="PosSale",
            ),
            "txn",
            {
                "kind": "sale",
                "store": "ST-0001",
                "txn": "ST-0001-T00000001",
                "ts": 104.1,
                "lines": [{"sku": "SKU-00004", "qty": 1, "price_cents": 17899, "tax_cents": 3579}],
                "stock": [
                    {"sku": "SKU-00004", "on_hand": 80, "quarantined": 0, "seq": 1, "ts": 104.1}
                ],
            },
        ),
        "return": Message(
            "Goods returned over the counter",
            obj(
                "A store sale refunded at the till (`refunded_at_till_cents` > 0), or an "
                "online order returned in store for the hub to refund to the card. `txn` "
                "is the return's id (a refund's reference, a credit memo's `CM-{txn}`).",
                {
                    "kind": const("return"),
                    "store": _STORE,
                    "txn": string("The return's id."),
                    "order_ref": string("The order returned: a channel order ref or a till txn."),
                    "channel": string(
                        "Where the order was sold.",
                        enum=("store", "web", "click_collect", "marketplace"),
                    ),
                    "grade": string("The goods' condition.", enum=("resellable", "damaged")),
                    "lines": array(_RETURN_LINE, "What came back."),
                    "refunded_at_till_cents": integer(
                        "Cash the till paid back (0: the hub refunds the card).", minimum=0
                    ),
                    "stock": _STOCK,
                    "ts": SIM_TIME,
                },
                title="PosReturn",
            ),
            "txn",
            {
                "kind": "return",
                "store": "ST-0002",
                "txn": "RT-ST-0002-T00000013",
                "order_ref": "ST-0002-T00000009",
                "channel": "store",
                "grade": "resellable",
                "lines": [{"sku": "SKU-00001", "qty": 2, "refund_cents": 9998, "tax_cents": 1999}],
                "refunded_at_till_cents": 11997,
                "stock": [
                    {"sku": "SKU-00001", "on_hand": 359, "quarantined": 0, "seq": 3, "ts": 14335.8}
                ],
                "ts": 14335.8,
            },
        ),
        "pickup_ready": Message(
            "A click-and-collect order is ready",
            obj(
                "Picked into the held area; `short` lists what the shelf could not fill.",
                {
                    "kind": const("pickup_ready"),
                    "store": _STORE,
                    "order_ref": _ORDER_REF,
                    "short": array(obj("A short line.", {"sku": _SKU, "qty": QUANTITY})),
                    "ts": SIM_TIME,
                },
                title="PosPickupReady",
            ),
            "order_ref",
            {
                "kind": "pickup_ready",
                "store": "ST-0002",
                "order_ref": "CC-0000005",
                "short": [],
                "ts": 26615.8,
            },
        ),
        "pickup_collected": Message(
            "The customer collected a click-and-collect order",
            obj(
                "Handed over: the goods leave the store.",
                {
                    "kind": const("pickup_collected"),
                    "store": _STORE,
                    "order_ref": _ORDER_REF,
                    "lines": _LINES,
                    "stock": _STOCK,
                    "ts": SIM_TIME,
                },
                title="PosPickupCollected",
            ),
            "order_ref",
            {
                "kind": "pickup_collected",
                "store": "ST-0002",
                "order_ref": "CC-0000006",
                "lines": [{"sku": "SKU-00004", "qty": 1}],
                "stock": [
                    {"sku": "SKU-00004", "on_hand": 77, "quarantined": 0, "seq": 6, "ts": 34861.9}
                ],
                "ts": 34861.9,
            },
        ),
        "receipt": Message(
            "A delivery to a store was booked in",
            obj(
                "Goods received at a store.",
                {
                    "kind": const("receipt"),
                    "store": _STORE,
                    "receipt": string("The delivery note's number."),
                    "lines": _LINES,
                    "stock": _STOCK,
                    "ts": SIM_TIME,
                },
                title="PosReceipt",
            ),
            "receipt",
            {
                "kind": "receipt",
                "store": "ST-0001",
                "receipt": "DN0000001",
                "lines": [{"sku": "SKU-00001", "qty": 69}],
                "stock": [
                    {"sku": "SKU-00001", "on_hand": 347, "quarantined": 0, "seq": 63, "ts": 43200}
                ],
                "ts": 43200.0,
            },
        ),
    },
)
