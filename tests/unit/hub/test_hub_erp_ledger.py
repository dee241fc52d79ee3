"""Reconciliation against the ERP's stock ledger.

The ERP is always behind the shelves, by the postings still on their way. The hub must
tell that lag from a hole: judge a position only when every movement is accounted for
and no posting is crossing the snapshot, call a real difference drift, and, with
`erp_reconcile = "adjust"`, book it as an inventory difference.
"""

from __future__ import annotations

from typing import Any

from hub_fakes import DC, OTHER_DC, SKU, Harness, quiet_policy

from hub.messages import StockReport
from hub.policy import RetryPolicy
from hub.services.erp_ledger_check import ErpLedgerCheck


def _receipt(number: str, qty: int, on_hand: int, seq: int) -> dict[str, Any]:
    return {
        "msg": "RECEIPT",
        "dc": DC,
        "receiptNo": number,
        "lines": [{"item": SKU, "qty": qty}],
        "stock": [{"item": SKU, "onHand": on_hand, "quarantined": 0, "seq": seq, "ts": 0.0}],
        "ts": 0.0,
    }


def _ledger(qty: int) -> dict[str, Any]:
    return {"Stock": [{"Material": SKU, "Plant": DC, "Qty": qty}]}


def _check(h: Harness) -> ErpLedgerCheck:
    return h.hub.reconciliation.erp_ledger


def _start(h: Harness) -> None:
    """A reconciliation run whose location snapshots come back empty-handed, so only
    the ERP's ledger is compared."""
    h.hub.reconciliation.start()
    h.answer_open("wms", "stock_snapshot", 404, {"error": "not now"})
    h.answer_open("pos", "stock_snapshot", 404, {"error": "not now"})


def _reconcile(h: Harness, erp_qty: int) -> None:
    _start(h)
    assert h.answer_open("erp", "stock_snapshot", 200, _ledger(erp_qty)) == 1


def _adjustments(h: Harness) -> list[dict[str, Any]]:
    return [
        r.body
        for r in h.transport.sent("erp", "post_goods_movement")
        if r.body["Reason"] == "inventory_difference"
    ]


def test_a_ledger_behind_by_exactly_the_open_posting_is_not_drift() -> None:
    h = Harness()
    h.deliver("wms", _receipt("R1", 5, 15, 1))
    _reconcile(h, 10)  # the goods movement is still on its way: cannot judge
    assert (_check(h).drift, _check(h).positions_judged) == (0, 0)
    h.answer_open("erp", "post_goods_movement", 201, {"DocumentNo": "MD1"})
    _reconcile(h, 15)
    assert (_check(h).drift, _check(h).positions_judged) == (0, 1)
    assert _adjustments(h) == []


def test_a_movement_not_yet_posted_is_allowed_for() -> None:
    """Store sales wait for the quarter-hour summary; a shipment waits for its
    invoice: the ERP is behind by what the hub knows it still has to post."""
    h = Harness()
    sold = StockReport(SKU, DC, 7, 1, 0.0)  # three units left the shelf (seq 1)
    h.hub.availability.apply_reports([sold])
    h.hub.erp_writer.ledger.heard([sold], [(SKU, DC, -3)])  # heard, not yet posted
    _reconcile(h, 10)  # the ERP still has them: 10 - 3 unbooked = 7, as counted
    assert (_check(h).drift, _check(h).positions_judged) == (0, 1)
    _reconcile(h, 13)  # but three more than that is a hole
    assert _check(h).drift == 1


def test_a_difference_is_drift_and_is_booked_as_an_inventory_difference() -> None:
    h = Harness()
    _reconcile(h, 8)
    check = _check(h)
    assert (check.drift, check.adjusted_units) == (1, 2)
    (adjustment,) = _adjustments(h)
    assert adjustment["Plant"] == DC
    assert adjustment["Items"] == [{"Material": SKU, "QtyDelta": 2}]
    assert check.findings == [f"{SKU}@{DC}: ERP 8, +0 unbooked, location counts 10"]
    # while the adjustment is on its way the position is not judged again
    _reconcile(h, 8)
    assert check.drift == 1
    h.answer_open("erp", "post_goods_movement", 201, {"DocumentNo": "MD9"})
    _reconcile(h, 10)
    assert (check.drift, len(_adjustments(h))) == (1, 1)


def test_report_mode_counts_the_hole_and_leaves_the_books_alone() -> None:
    h = Harness(quiet_policy(erp_reconcile="report"))
    _reconcile(h, 7)
    assert _check(h).drift == 1
    assert _adjustments(h) == []


def test_off_asks_the_erp_nothing() -> None:
    h = Harness(quiet_policy(erp_reconcile="off"))
    _start(h)
    assert h.transport.sent("erp", "stock_snapshot") == []
    assert not h.hub.reconciliation.running


def test_a_report_ahead_of_an_unheard_movement_is_not_judged() -> None:
    """Reordered: the receipt with seq 2 lands before the one with seq 1. The shelf
    figure includes a movement the hub has not accounted for yet."""
    h = Harness()
    h.deliver("wms", _receipt("R2", 4, 19, 2))
    h.answer_open("erp", "post_goods_movement", 201, {"DocumentNo": "MD2"})
    _reconcile(h, 14)
    assert (_check(h).drift, _check(h).positions_judged) == (0, 0)
    h.deliver("wms", _receipt("R1", 5, 15, 1))  # the late one: stale for stock, not books
    h.answer_open("erp", "post_goods_movement", 201, {"DocumentNo": "MD1"})
    _reconcile(h, 19)
    assert (_check(h).drift, _check(h).positions_judged) == (0, 1)


def test_a_posting_settled_while_the_snapshot_was_out_is_not_judged() -> None:
    """The ERP may have taken its snapshot before or after booking it."""
    h = Harness()
    h.deliver("wms", _receipt("R1", 5, 15, 1))
    _start(h)
    h.answer_open("erp", "post_goods_movement", 201, {"DocumentNo": "MD1"})
    h.answer_open("erp", "stock_snapshot", 200, _ledger(10))  # taken before the booking
    assert (_check(h).drift, _check(h).positions_judged) == (0, 0)


def test_a_refused_posting_leaves_a_hole_reconciliation_fills() -> None:
    h = Harness()
    h.deliver("wms", _receipt("R1", 5, 15, 1))
    h.answer_open("erp", "post_goods_movement", 400, {"error": "bad request"})
    _reconcile(h, 10)
    assert _check(h).drift == 1
    (adjustment,) = _adjustments(h)
    assert adjustment["Items"] == [{"Material": SKU, "QtyDelta": 5}]


def test_a_dead_lettered_posting_may_still_be_booked_so_it_is_not_judged() -> None:
    h = Harness(quiet_policy(erp_buffer=False, retry=RetryPolicy(max_attempts=1)))
    h.deliver("wms", _receipt("R1", 5, 15, 1))
    h.answer_open("erp", "post_goods_movement", 503, {"error": "ERP unavailable"})
    assert len(h.hub.ctx.dead_letters) == 1
    _reconcile(h, 10)
    assert (_check(h).drift, _check(h).positions_judged) == (0, 0)
    # replayed and booked at last: the ledger is whole again
    assert h.hub.replay_dead_letters() == 1
    h.answer_open("erp", "post_goods_movement", 201, {"DocumentNo": "MD1"})
    _reconcile(h, 15)
    assert (_check(h).drift, _check(h).positions_judged) == (0, 1)


def test_findings_run_in_sku_then_location_order_and_each_plant_is_adjusted_in_sku_order() -> None:
    """The ledger is judged location by location; what it reports must not show it."""
    later = "SKU-B"
    h = Harness(stock={(later, DC): 10, (SKU, OTHER_DC): 10, (SKU, DC): 10})
    _start(h)
    ledger = {
        "Stock": [
            {"Material": sku, "Plant": plant, "Qty": 8}
            for sku, plant in ((later, DC), (SKU, OTHER_DC), (SKU, DC))
        ]
    }
    h.answer_open("erp", "stock_snapshot", 200, ledger)
    assert _check(h).findings == [
        f"{SKU}@{DC}: ERP 8, +0 unbooked, location counts 10",
        f"{SKU}@{OTHER_DC}: ERP 8, +0 unbooked, location counts 10",
        f"{later}@{DC}: ERP 8, +0 unbooked, location counts 10",
    ]
    assert [(a["Plant"], [i["Material"] for i in a["Items"]]) for a in _adjustments(h)] == [
        (DC, [SKU, later]),
        (OTHER_DC, [SKU]),
    ]
