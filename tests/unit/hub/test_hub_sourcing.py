"""Region-aware sourcing and split shipments (hub/model/sourcing.py, hub.sourcing).

The rule ranks the DCs (fullest, or nearest that can fill the whole order); with split
on, an order no DC can fill alone is divided line by line. A split order is released
part by part, each part settled by its own shipment (a redelivered one changes
nothing), and charged and invoiced once, when the last part is settled, each invoice
line naming the DC it left from. A cancellation asks every part back; a part too late
to stop ships alone, and the part given back is neither shipped nor charged.
"""

from __future__ import annotations

from typing import Any

from hub_fakes import (
    DC,
    OTHER_DC,
    Harness,
    authorised,
    booked,
    quiet_policy,
    web_cancel,
    web_order,
    wms_picked,
    wms_shipment,
)

from hub.adapters.read_model.projection import fulfillments
from hub.model.order import OrderStatus
from hub.model.sourcing import Part, plan
from hub.policy import SourcingPolicy

A, B = "SKU-A", "SKU-B"
DCS = ("DC-N", "DC-S", "DC-E")
#: DC-N is the customer's own region, DC-S a neighbour, DC-E far
DISTANCE = {"DC-N": 0, "DC-S": 1, "DC-E": 2}


def _plan(
    rule: SourcingPolicy,
    wanted: list[tuple[str, int]],
    stock: dict[Any, int],
    distance: dict[str, int] = DISTANCE,
) -> list[Part]:
    return plan(rule, wanted, DCS, lambda sku, dc: stock.get((sku, dc), 0), distance.__getitem__)


def test_fullest_ignores_the_customer_and_nearest_takes_the_nearest_that_fills_it() -> None:
    stock = {(A, "DC-N"): 2, (A, "DC-S"): 1, (A, "DC-E"): 9}
    east = {"DC-E": 0, "DC-S": 1, "DC-N": 2}  # a customer in the east
    assert _plan(SourcingPolicy(), [(A, 2)], stock, east) == [Part("DC-N", (0,))]
    assert _plan(SourcingPolicy("nearest"), [(A, 2)], stock, east) == [Part("DC-E", (0,))]
    # none fills it whole: the fullest, short there, unless it may split
    assert _plan(SourcingPolicy("nearest"), [(A, 20)], stock) == [Part("DC-E", (0,))]


def test_split_divides_lines_among_the_dcs_that_can_fill_them_nearest_first() -> None:
    stock = {(A, "DC-N"): 2, (B, "DC-S"): 1, (B, "DC-E"): 5}
    wanted = [(A, 2), (B, 1)]
    assert _plan(SourcingPolicy("nearest"), wanted, stock) == [Part("DC-N", (0, 1))]
    assert _plan(SourcingPolicy("nearest", split=True), wanted, stock) == [
        Part("DC-N", (0,)),
        Part("DC-S", (1,)),
    ]
    # a DC that fills it whole takes it whole, split or not
    stock[(B, "DC-N")] = 1
    assert _plan(SourcingPolicy("nearest", split=True), wanted, stock) == [Part("DC-N", (0, 1))]


def _split_order(**policy: Any) -> Harness:
    h = Harness(
        quiet_policy(sourcing=SourcingPolicy("nearest", split=True), **policy),
        stock={(A, DC): 5, (B, OTHER_DC): 5},
    )
    h.deliver("web", {**web_order("W-1", [(A, 2), (B, 1)]), "ship_to_region": "north"})
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    return h


def test_a_split_order_ships_in_parts_and_is_charged_and_invoiced_once() -> None:
    h = _split_order()
    releases = h.transport.open("wms", "release_order")
    assert [r.body for r in releases] == [
        {"orderRef": "W-1", "dc": DC, "lines": [{"item": A, "qty": 2}]},
        {"orderRef": "W-1", "dc": OTHER_DC, "lines": [{"item": B, "qty": 1}], "leg": 2},
    ]
    h.answer_open("wms", "release_order", 202)
    assert h.order("W-1").status == OrderStatus.RELEASED
    first = wms_shipment("W-1", "SHP1", [(A, 2, 0)], dc=DC)
    h.deliver("wms", first)
    h.deliver("wms", first)  # redelivered: the same part's shipment again
    assert h.order("W-1").status == OrderStatus.RELEASED
    assert h.transport.sent("payment", "capture") == []
    second = wms_shipment("W-1", "SHP2", [(B, 1, 0)], dc=OTHER_DC, ts=60.0)
    h.deliver("wms", {**second, "leg": 2})
    order = h.order("W-1")
    assert order.status == OrderStatus.SHIPPED and order.shipment_id == "SHP2"
    assert [line.shipped_quantity for line in order.lines] == [2, 1]
    assert h.answer_open("payment", "capture", 200, {"id": "cap_1"}) == 1
    invoices = h.transport.sent("erp", "post_delivery_invoice")
    assert len(invoices) == 1
    assert invoices[0].body["Items"] == [
        {"Material": A, "Qty": 2},
        {"Material": B, "Qty": 1, "Plant": OTHER_DC},
    ]
    assert h.hub.ctx.inventory.get(B, OTHER_DC).reserved == 0


def test_a_cancelled_split_order_gives_back_every_part_and_ships_one_too_late_to_stop() -> None:
    h = _split_order()
    h.answer_open("wms", "release_order", 202)
    h.deliver("web", web_cancel("W-1"))
    asks = h.transport.open("wms", "cancel_release")
    assert [r.body for r in asks] == [{"orderRef": "W-1"}, {"orderRef": "W-1", "leg": 2}]
    h.answer(asks[0], 409, {"error": "order is picked"})
    h.answer(asks[1], 200, {"cancelled": "W-1"})
    order = h.order("W-1")
    assert order.lines[1].short_quantity == 1  # given back: not shipped, not charged
    assert h.hub.ctx.inventory.get(B, OTHER_DC).reserved == 0
    h.deliver("wms", wms_picked("W-1", DC))
    h.deliver("wms", wms_shipment("W-1", "SHP1", [(A, 2, 0)], dc=DC))
    assert order.status == OrderStatus.SHIPPED
    assert order.fulfilled_cents() == 2 * 1000 + 2 * 200 // 2


def test_a_split_order_cancelled_before_picking_is_cancelled_once_every_part_is_back() -> None:
    h = _split_order()
    h.answer_open("wms", "release_order", 202)
    h.deliver("web", web_cancel("W-1"))
    asks = h.transport.open("wms", "cancel_release")
    h.answer(asks[0], 200, {"cancelled": "W-1"})
    assert h.order("W-1").status == OrderStatus.RELEASED
    h.answer(asks[1], 200, {"cancelled": "W-1"})
    assert h.order("W-1").status == OrderStatus.CANCELLED
    assert len(h.transport.sent("payment", "void")) == 1


def test_the_seeded_defect_releases_the_first_part_only() -> None:
    h = _split_order(defects=frozenset({"forget_second_leg"}))
    assert [r.body["dc"] for r in h.transport.open("wms", "release_order")] == [DC]


def test_the_read_model_shows_one_fulfillment_per_part_from_its_own_dc() -> None:
    h = _split_order()
    h.answer_open("wms", "release_order", 202)
    h.deliver("wms", wms_shipment("W-1", "SHP1", [(A, 2, 0)], dc=DC))
    shown = fulfillments(h.order("W-1"))
    assert [(f.fulfillment_id, f.location) for f in shown] == [("SHP1", DC)]
    h.deliver("wms", {**wms_shipment("W-1", "SHP2", [(B, 1, 0)], dc=OTHER_DC), "leg": 2})
    shown = fulfillments(h.order("W-1"))
    assert [(f.fulfillment_id, f.location, f.lines) for f in shown] == [
        ("SHP1", DC, [{"line_no": 1, "sku": A, "quantity": 2}]),
        ("SHP2", OTHER_DC, [{"line_no": 2, "sku": B, "quantity": 1}]),
    ]
