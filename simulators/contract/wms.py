"""The WMS's contract: releasing orders to a DC's pickers, withdrawing them, announcing
returns, stock snapshots; and what the DCs tell the hub (picked, shipped, received,
returns received and inspected), each with the stock it left behind.

Stock reports carry the DC's own sequence number per position, which goes up with
every movement: a hub can tell a late report from a new one, and the channel feeds pass
it on so the checker can time how long a movement took to reach each channel.
"""

from __future__ import annotations

from simulators.contract.common import (
    ERROR,
    QUANTITY,
    SIM_TIME,
    bad_request,
    sim_time,
    unavailable,
)
from simulators.contract.schema import array, const, integer, obj, row, string
from simulators.contract.tables import Answer, Message, Operation, Source, System

__all__ = ["SOURCE", "SYSTEM"]

_DC = string("The DC (one of day.started's `topology.dcs`).")
_ITEM = string("The SKU.")
_ORDER_REF = string("The channel's order reference: the checker finds the release by it.")
_LINES = array(obj("One line.", {"item": _ITEM, "qty": QUANTITY}), "The lines.")
_LEG = {
    "leg": integer(
        "Which part of an order split over several DCs this is: absent (or 1) for an "
        "order released whole and for a split order's first part, 2, 3... for the parts "
        "released to other DCs. Each part is released, picked, shipped and withdrawn on "
        "its own.",
        minimum=1,
    )
}
STOCK_REPORT = obj(
    "A position's stock after a movement.",
    {
        "item": _ITEM,
        "onHand": integer("Units physically there."),
        "quarantined": integer("Of those, units held back (damaged returns).", minimum=0),
        "seq": integer("The position's movement sequence number.", minimum=0),
        "ts": SIM_TIME,
    },
    title="WmsStockReport",
)
_STOCK = array(STOCK_REPORT, "The positions the event moved, as they are now.")

_OPERATIONS = {
    "release_order": Operation(
        "Release an order to a DC for picking",
        "The order joins the DC's pick queue; `ORDER_PICKED` and `SHIPMENT_CONFIRMED` "
        "follow. A line the shelf cannot fill is short-picked. Releasing the same "
        "orderRef (and leg) again is refused with 409 and changes nothing, so a retry is "
        "safe. A `dc` that is not one of the WMS's DCs (a store, a drop-ship partner, an "
        "unknown or empty name) is refused with 400 at once and nothing is queued.",
        obj("A release.", {"orderRef": _ORDER_REF, "dc": _DC, "lines": _LINES}, _LEG),
        (
            Answer(
                202, "Queued for picking.", obj("Queued.", {"accepted": string("The orderRef.")})
            ),
            Answer(409, "Already released.", ERROR),
        ),
        {"orderRef": "W-0000001", "dc": "DC-NORTH", "lines": [{"item": "SKU-00001", "qty": 3}]},
    ),
    "cancel_release": Operation(
        "Withdraw a release not yet picked",
        "Only while it waits in the pick queue; cancelling again answers 200.",
        obj("A withdrawal.", {"orderRef": _ORDER_REF}, _LEG),
        (
            Answer(200, "Withdrawn.", obj("Withdrawn.", {"cancelled": string("The orderRef.")})),
            Answer(404, "No release with that orderRef.", ERROR),
            Answer(409, "Too late: being picked, picked or shipped.", ERROR),
        ),
        {"orderRef": "W-0000025"},
    ),
    "expect_return": Operation(
        "Announce a returned parcel",
        "The parcel arrives after its transit (`RETURN_RECEIVED`) and is inspected "
        "(`RETURN_INSPECTED`). Announcing the same rma again answers 202 and changes nothing. "
        "A `dc` that is neither a DC nor a drop-ship partner's location (a store, an unknown "
        "or empty name) is refused with 400 at once and nothing is expected.",
        obj(
            "A return to expect.",
            {
                "rma": string("The return's id (the web RMA or marketplace returnId)."),
                "orderRef": _ORDER_REF,
                "dc": _DC,
                "lines": _LINES,
            },
        ),
        (Answer(202, "Expected.", obj("Expected.", {"expected": string("The rma.")})),),
        {
            "rma": "RMA-W-0000001",
            "orderRef": "W-0000001",
            "dc": "DC-NORTH",
            "lines": [{"item": "SKU-00001", "qty": 3}],
        },
    ),
    "stock_snapshot": Operation(
        "Every position of a DC",
        "A bulk export for reconciliation: a table of rows.",
        obj("Which DC.", {"dc": _DC}),
        (
            Answer(
                200,
                "The DC's positions.",
                obj(
                    "The DC's stock as rows.",
                    {
                        "columns": array(
                            string(enum=("item", "onHand", "quarantined", "seq")),
                            "The rows' columns: item, onHand, quarantined, seq.",
                        ),
                        "rows": array(
                            row(
                                "[item, onHand, quarantined, seq]",
                                _ITEM,
                                integer(),
                                integer(minimum=0),
                                integer(minimum=0),
                            )
                        ),
                        "ts": sim_time("When the snapshot was taken."),
                    },
                    title="WmsStockSnapshot",
                ),
            ),
        ),
        {"dc": "DC-SOUTH"},
    ),
}

SYSTEM = System(
    "wms",
    "WMS",
    "The distribution centres' warehouse system. It refuses nothing for load (pickers "
    "queue), but it can be down.",
    _OPERATIONS,
    (bad_request("WMS"), unavailable("WMS")),
)

_SHIPPED_LINE = obj(
    "What happened to one ordered line.",
    {"item": _ITEM, "shipped": QUANTITY, "short": QUANTITY},
)

SOURCE = Source(
    "wms",
    "WMS",
    "What the DCs did, as it happens. Every message carries `msg` (its kind) and `ts`.",
    "msg",
    {
        "ORDER_PICKED": Message(
            "An order was picked",
            obj(
                "Picked (what was short shows on the shipment).",
                {"msg": const("ORDER_PICKED"), "orderRef": _ORDER_REF, "dc": _DC, "ts": SIM_TIME},
                _LEG,
                title="WmsOrderPicked",
            ),
            "orderRef",
            {"msg": "ORDER_PICKED", "orderRef": "W-0000001", "dc": "DC-NORTH", "ts": 8902.6},
        ),
        "SHIPMENT_CONFIRMED": Message(
            "An order left the DC",
            obj(
                "Shipped: per line what went and what was short, and the stock left behind. "
                "A release with nothing on the shelf is confirmed with every line short.",
                {
                    "msg": const("SHIPMENT_CONFIRMED"),
                    "orderRef": _ORDER_REF,
                    "shipmentNo": string("The shipment's number."),
                    "dc": _DC,
                    "lines": array(_SHIPPED_LINE, "Every line of the release."),
                    "stock": _STOCK,
                    "ts": SIM_TIME,
                },
                _LEG,
                title="WmsShipmentConfirmed",
            ),
            "orderRef",
            {
                "msg": "SHIPMENT_CONFIRMED",
                "orderRef": "W-0000001",
                "shipmentNo": "SHP00000001",
                "dc": "DC-NORTH",
                "lines": [{"item": "SKU-00001", "shipped": 3, "short": 0}],
                "stock": [
                    {"item": "SKU-00001", "onHand": 85, "quarantined": 0, "seq": 1, "ts": 9403.1}
                ],
                "ts": 9403.1,
            },
        ),
        "RECEIPT": Message(
            "A supplier delivery was booked in",
            obj(
                "Goods received at a DC.",
                {
                    "msg": const("RECEIPT"),
                    "receiptNo": string("The goods receipt's number."),
                    "dc": _DC,
                    "lines": _LINES,
                    "stock": _STOCK,
                    "ts": SIM_TIME,
                },
                title="WmsReceipt",
            ),
            "receiptNo",
            {
                "msg": "RECEIPT",
                "receiptNo": "GR0000001",
                "dc": "DC-NORTH",
                "lines": [{"item": "SKU-00007", "qty": 7}],
                "stock": [
                    {"item": "SKU-00007", "onHand": 11, "quarantined": 0, "seq": 6, "ts": 43200.0}
                ],
                "ts": 43200.0,
            },
        ),
        "RETURN_RECEIVED": Message(
            "A returned parcel arrived",
            obj(
                "The parcel is at the DC; inspection follows.",
                {
                    "msg": const("RETURN_RECEIVED"),
                    "rma": string("The return's id."),
                    "orderRef": _ORDER_REF,
                    "dc": _DC,
                    "lines": _LINES,
                    "ts": SIM_TIME,
                },
                title="WmsReturnReceived",
            ),
            "rma",
            {
                "msg": "RETURN_RECEIVED",
                "rma": "RMA-W-0000001",
                "orderRef": "W-0000001",
                "dc": "DC-NORTH",
                "lines": [{"item": "SKU-00001", "qty": 3}],
                "ts": 35053.2,
            },
        ),
        "RETURN_INSPECTED": Message(
            "A returned parcel was inspected",
            obj(
                "Back in stock: resellable goods are sellable, damaged ones quarantined.",
                {
                    "msg": const("RETURN_INSPECTED"),
                    "rma": string("The return's id."),
                    "dc": _DC,
                    "grade": string("The goods' condition.", enum=("resellable", "damaged")),
                    "stock": _STOCK,
                    "ts": SIM_TIME,
                },
                title="WmsReturnInspected",
            ),
            "rma",
            {
                "msg": "RETURN_INSPECTED",
                "rma": "RMA-W-0000001",
                "dc": "DC-NORTH",
                "grade": "damaged",
                "stock": [
                    {"item": "SKU-00001", "onHand": 74, "quarantined": 3, "seq": 14, "ts": 40999.3}
                ],
                "ts": 40999.3,
            },
        ),
    },
)
