"""Per-aggregate ordering: late events never move an order or a stock position back.

Each guarded test has a negative control with `ordering=False` that shows the regression
the guard prevents.
"""

from __future__ import annotations

from typing import Any

from hub_fakes import (
    DC,
    SKU,
    Harness,
    authorised,
    quiet_policy,
    web_order,
    wms_picked,
    wms_receipt,
    wms_shipment,
)

from hub.model.order import OrderStatus


def _released_order(h: Harness) -> None:
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("wms", "release_order", 200)
    assert h.order("W-1").status == OrderStatus.RELEASED


def _statuses(notices: list[dict[str, Any]]) -> list[str]:
    return [n["status"] for n in notices]


def test_late_pick_after_shipment_does_not_move_the_order_back() -> None:
    h = Harness()
    _released_order(h)
    h.deliver("wms", wms_shipment("W-1", "SH-1", [(SKU, 2, 0)], stock=[(SKU, 8, 1)]), message_id=11)
    assert h.order("W-1").status == OrderStatus.SHIPPED
    notices_before = h.transport.notices()

    h.deliver("wms", wms_picked("W-1", DC), message_id=10)  # overtaken on the wire

    order = h.order("W-1")
    assert order.status == OrderStatus.SHIPPED
    assert OrderStatus.PICKED not in [change.status for change in order.history]
    assert h.transport.notices() == notices_before, "no notice for a late, lower-rank event"
    # the storefront hears milestones only: the warehouse's release and pick are internal
    assert _statuses(h.transport.notices()) == ["accepted", "shipped"]
    versions = [n["version"] for n in h.transport.notices()]
    assert versions == sorted(versions)


def test_without_ordering_the_late_pick_regresses_the_order() -> None:
    h = Harness(quiet_policy(ordering=False))
    _released_order(h)
    h.deliver("wms", wms_shipment("W-1", "SH-1", [(SKU, 2, 0)], stock=[(SKU, 8, 1)]))

    h.deliver("wms", wms_picked("W-1", DC))

    order = h.order("W-1")
    assert order.status == OrderStatus.PICKED
    # a later change to an earlier status: the regression the checker looks for
    assert [c.status for c in order.history][-2:] == [OrderStatus.SHIPPED, OrderStatus.PICKED]
    assert _statuses(h.transport.notices())[-1] == "shipped"


def test_late_release_acknowledgement_after_pick_is_ignored() -> None:
    h = Harness()
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.deliver("wms", wms_picked("W-1", DC))  # the WMS was quicker than its own ack
    assert h.order("W-1").status == OrderStatus.PICKED

    h.answer_open("wms", "release_order", 200)

    assert h.order("W-1").status == OrderStatus.PICKED
    assert "released" not in _statuses(h.transport.notices())


def test_stale_stock_report_is_ignored() -> None:
    h = Harness()
    h.deliver("wms", wms_receipt("R-2", [(SKU, 10)], stock=[(SKU, 20, 5)]))
    position = h.hub.ctx.inventory.get(SKU, DC)
    assert (position.on_hand, position.source_seq) == (20, 5)

    h.deliver("wms", wms_receipt("R-1", [(SKU, 2)], stock=[(SKU, 12, 3)]))  # older news
    h.deliver("wms", wms_receipt("R-3", [(SKU, 1)], stock=[(SKU, 99, 5)]))  # same seq again

    assert (position.on_hand, position.source_seq) == (20, 5)
    assert h.hub.availability.stale_reports_ignored == 2
    assert h.ats() == 20

    h.deliver("wms", wms_receipt("R-4", [(SKU, 1)], stock=[(SKU, 21, 6)]))
    assert (position.on_hand, position.source_seq) == (21, 6)


def test_without_ordering_a_stale_stock_report_overwrites_newer_stock() -> None:
    h = Harness(quiet_policy(ordering=False))
    h.deliver("wms", wms_receipt("R-2", [(SKU, 10)], stock=[(SKU, 20, 5)]))
    h.deliver("wms", wms_receipt("R-1", [(SKU, 2)], stock=[(SKU, 12, 3)]))

    position = h.hub.ctx.inventory.get(SKU, DC)
    assert position.on_hand == 12
    assert h.hub.availability.stale_reports_ignored == 0


def test_stale_stock_on_a_late_shipment_does_not_overwrite_a_newer_count() -> None:
    """Stock riding on a business event is versioned too."""
    h = Harness()
    _released_order(h)
    h.deliver("wms", wms_receipt("R-9", [(SKU, 5)], stock=[(SKU, 13, 4)]))

    h.deliver("wms", wms_shipment("W-1", "SH-1", [(SKU, 2, 0)], stock=[(SKU, 8, 3)]))

    assert h.hub.ctx.inventory.get(SKU, DC).on_hand == 13
    assert h.order("W-1").status == OrderStatus.SHIPPED  # the event itself still counts
