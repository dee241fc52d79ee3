"""Reconciliation against the locations' own stock counts.

A snapshot is the backstop for events lost longer than any window; it also makes every
older report still on the wire stale, so it must carry all the quantities those reports
would have (quarantine as well as on hand), or they are lost when they land.
"""

from __future__ import annotations

from hub_fakes import DC, SKU, Harness

SNAPSHOT = {
    "columns": ["item", "onHand", "quarantined", "seq"],
    "rows": [[SKU, 11, 1, 5]],
    "ts": 0.0,
}


def _inspection(seq: int) -> dict[str, object]:
    return {
        "msg": "RETURN_INSPECTED",
        "rma": f"RMA-{seq}",
        "dc": DC,
        "grade": "damaged",
        "stock": [{"item": SKU, "onHand": 11, "quarantined": 1, "seq": seq, "ts": 0.0}],
        "ts": 0.0,
    }


def test_snapshot_corrects_on_hand_and_quarantine() -> None:
    h = Harness()
    h.hub.reconciliation.start()
    assert h.answer_open("wms", "stock_snapshot", 200, SNAPSHOT) == 2  # both DCs asked
    position = h.hub.ctx.inventory.get(SKU, DC)
    assert (position.on_hand, position.quarantined, position.source_seq) == (11, 1, 5)
    assert h.ats() == 10 + 10  # 11 - 1 quarantined, at each DC


def test_overtaking_reports_still_on_the_wire_is_a_catch_up_not_drift() -> None:
    h = Harness()
    recon = h.hub.reconciliation
    recon.start()
    h.answer(h.transport.open("wms", "stock_snapshot")[0], 200, SNAPSHOT)  # DC1 only
    assert recon.caught_up == 1
    h.deliver("wms", _inspection(5))  # the report the snapshot overtook lands
    assert recon.drift_corrected == 0
    recon.start()
    assert recon.drift_corrected == 0


def test_reports_that_never_arrive_after_a_catch_up_are_drift() -> None:
    h = Harness()
    recon = h.hub.reconciliation
    recon.start()
    h.answer(h.transport.open("wms", "stock_snapshot")[0], 200, SNAPSHOT)
    recon.start()  # a whole interval later, seq 5 never came
    assert recon.drift_corrected == 1


def test_different_numbers_at_the_same_version_are_drift() -> None:
    h = Harness()
    position = h.hub.ctx.inventory.get(SKU, DC)
    position.source_seq = position.reported_seq = 5
    position.on_hand = 7  # the hub's own bookkeeping went wrong
    recon = h.hub.reconciliation
    recon.start()
    h.answer(h.transport.open("wms", "stock_snapshot")[0], 200, SNAPSHOT)
    assert recon.drift_corrected == 1
    assert recon.caught_up == 0
    assert position.on_hand == 11


def test_a_report_older_than_the_snapshot_cannot_undo_it() -> None:
    h = Harness()
    h.hub.reconciliation.start()
    h.answer_open("wms", "stock_snapshot", 200, SNAPSHOT)
    h.deliver("wms", _inspection(4))
    position = h.hub.ctx.inventory.get(SKU, DC)
    assert (position.on_hand, position.quarantined) == (11, 1)


def test_snapshot_older_than_the_hubs_news_is_ignored() -> None:
    h = Harness()
    position = h.hub.ctx.inventory.get(SKU, DC)
    position.source_seq = 9
    h.hub.reconciliation.start()
    h.answer_open("wms", "stock_snapshot", 200, SNAPSHOT)
    assert (position.on_hand, position.quarantined) == (10, 0)


def test_a_snapshot_by_column_corrects_the_same_as_its_rows() -> None:
    """In process a location answers by column (simulators/stock_table.py)."""
    h = Harness()
    h.hub.reconciliation.start()
    by_column = {
        "columns": SNAPSHOT["columns"],
        "rowsByColumn": ((SKU,), (11,), (1,), (5,)),
        "ts": 0.0,
    }
    assert h.answer_open("wms", "stock_snapshot", 200, by_column) == 2
    position = h.hub.ctx.inventory.get(SKU, DC)
    assert (position.on_hand, position.quarantined, position.source_seq) == (11, 1, 5)
    assert h.ats() == 10 + 10


def test_an_unreadable_snapshot_is_dead_lettered_not_a_crash() -> None:
    h = Harness()
    h.hub.reconciliation.start()
    bad = {"columns": ["item", "qty"], "rows": [[SKU, 3]], "ts": 0.0}
    h.answer(h.transport.open("wms", "stock_snapshot")[0], 200, bad)
    letters = h.hub.ctx.dead_letters.entries()
    assert len(letters) == 1
    assert "expected columns" in letters[0].reason
    assert h.hub.ctx.inventory.get(SKU, DC).on_hand == 10


def test_a_snapshot_with_a_figure_unreadable_changes_no_position() -> None:
    h = Harness()
    h.hub.reconciliation.start()
    bad = {
        "columns": SNAPSHOT["columns"],
        "rowsByColumn": (("SKU-OTHER", SKU), (7, "many"), (0, 1), (9, 5)),
        "ts": 0.0,
    }
    h.answer(h.transport.open("wms", "stock_snapshot")[0], 200, bad)
    assert len(h.hub.ctx.dead_letters.entries()) == 1
    assert h.hub.ctx.inventory.find("SKU-OTHER", DC) is None
    assert h.hub.ctx.inventory.get(SKU, DC).on_hand == 10
