"""The hub with a drop-ship partner: a partner SKU's line goes to the partner as a part
of its own (the rest to a DC), a PO not acknowledged within the window is flagged and
sent again until it is, the partner's shipment notice settles its part, and its stock
feed moves availability."""

from __future__ import annotations

from hub_fakes import DC, SKU, Harness, authorised, booked, quiet_policy, web_order, wms_shipment

from hub.context import Topology
from hub.services.dropship import ACK_TIMER

PARTNER, SYSTEM, PSKU = "DS-ACME", "partner:acme", "SKU-P"
TOPOLOGY = Topology(
    (DC, PARTNER),
    (),
    {DC: "north", PARTNER: "south"},
    partners={PARTNER: SYSTEM},
    partner_skus={PSKU: PARTNER},
    partner_ack_window_s={PARTNER: 1800.0},
)


def _released(defects: tuple[str, ...] = ()) -> Harness:
    h = Harness(
        quiet_policy(defects=frozenset(defects)),
        stock={(SKU, DC): 10, (PSKU, PARTNER): 5},
        topology=TOPOLOGY,
    )
    h.deliver("web", web_order("W-1", [(SKU, 1), (PSKU, 2)]))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    return h


def test_the_partner_line_goes_to_the_partner_as_a_part_of_its_own() -> None:
    h = _released()
    order = h.order("W-1")
    assert [(leg.leg_no, leg.location) for leg in order.legs] == [(1, DC), (2, PARTNER)]
    (po,) = h.transport.sent(SYSTEM, "release_order")
    assert po.body == {
        "orderRef": "W-1",
        "dc": PARTNER,
        "lines": [{"item": PSKU, "qty": 2}],
        "leg": 2,
    }
    assert [r.body["dc"] for r in h.transport.sent("wms", "release_order")] == [DC]
    assert h.hub.availability.ats_ship(PSKU) == 3  # the partner's stock, 2 reserved


def test_an_unacknowledged_po_is_flagged_and_sent_again_until_acknowledged() -> None:
    h = _released()
    h.answer_open(SYSTEM, "release_order", 202, {"accepted": "W-1"})
    h.fire_next(ACK_TIMER)
    flagged = {"partner": f"{SYSTEM} has not acknowledged the PO"}
    assert h.order("W-1").exceptions == flagged
    assert len(h.transport.sent(SYSTEM, "release_order")) == 2
    h.answer_open(SYSTEM, "release_order", 409, {"error": "already received"})
    assert h.order("W-1").exceptions == flagged  # taken again, still not acknowledged
    h.deliver(
        "dropship",
        {"msg": "PO_ACKNOWLEDGED", "orderRef": "W-1", "dc": PARTNER, "leg": 2, "ts": 1.0},
    )
    assert not h.order("W-1").exceptions
    h.advance(7200)
    assert len(h.transport.sent(SYSTEM, "release_order")) == 2  # acknowledged: no more
    notice = wms_shipment("W-1", "DS-ACME-0000001", [(PSKU, 2, 0)], [(PSKU, 3, 1)], dc=PARTNER)
    h.deliver("dropship", {**notice, "leg": 2})
    order = h.order("W-1")
    assert order.leg(2) is not None and order.leg(2).shipment_id == "DS-ACME-0000001"  # type: ignore[union-attr]
    assert next(line for line in order.lines if line.sku == PSKU).shipped_quantity == 2


def test_without_the_window_a_lost_po_is_never_sent_again() -> None:
    h = _released(("ignore_partner_ack_window",))
    h.answer_open(SYSTEM, "release_order", 202, {"accepted": "W-1"})
    h.advance(86400)
    assert len(h.transport.sent(SYSTEM, "release_order")) == 1


def test_the_ship_partner_lines_from_dc_defect_sends_them_to_a_dc() -> None:
    h = _released(("ship_partner_lines_from_dc",))
    assert h.transport.sent(SYSTEM, "release_order") == []


def test_the_stock_feed_moves_the_partners_availability() -> None:
    h = _released()
    feed = {
        "msg": "STOCK_FEED",
        "dc": PARTNER,
        "stock": [{"item": PSKU, "onHand": 40, "seq": 7, "ts": 5.0}],
        "ts": 5.0,
    }
    h.deliver("dropship", feed)
    assert h.hub.availability.ats_ship(PSKU) == 38  # 40 on hand, 2 still reserved
