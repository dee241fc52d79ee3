"""A settling marketplace's payouts and money projected from the systems' records alone
(scenarios/live/ground_payouts.py), as `serve --hub` shows a hub it cannot read.

marketplace-settlement at a tenth (about a second) ends with every payout booked by
the built-in hub, so the desk's and the ERP's records must tell the hub's story: each
payout booked under the same ERP document with the same deposit and claims, each line
applied as the hub applied it, and each marketplace order collected by the
marketplace, with what it charged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_ground_projection import in_read_model, projected_out_of_reach

from hub.adapters.read_model import PayoutFilter, PayoutLineFilter, ReadModel, Window
from hub.adapters.read_model.sorting import PayoutLineSort, PayoutSort, Sort
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run


def test_a_settled_days_payouts_from_the_systems_are_the_hubs(tmp_path: Path) -> None:
    result = run(load_scenario("marketplace-settlement", ("scenario.scale=0.1",)))
    hub = result.estate.hub
    payouts = dict(hub.settlement.payouts)
    collected = {
        order_id: (order.payment_state.value, order.captured_cents)
        for order_id, order in hub.ctx.orders.items()
        if order.paid_by_channel
    }
    assert payouts and collected

    async def read(read_model: ReadModel) -> tuple[Any, ...]:
        await projected_out_of_reach(result, read_model)
        page = await read_model.payouts_page(PayoutFilter(), Window(100), Sort(PayoutSort.ID))
        lines = {
            payout.id: await read_model.payout_lines_page(
                payout.id, PayoutLineFilter(), Window(100_000), Sort(PayoutLineSort.REPORT_ORDER)
            )
            for payout in page.items
        }
        orders = await read_model.orders_by_id(list(collected))
        return page, lines, orders

    page, lines, orders = in_read_model(tmp_path, read)
    assert [p.id for p in page.items] == sorted(payouts)
    for record in page.items:
        own = payouts[record.id]
        assert (record.state, record.erp_document_no) == ("booked", own.erp_document_no)
        assert (record.deposit_cents, record.claims_cents) == (own.deposit_cents, own.claims_cents)
        assert record.unmatched_count == 0
        shown = [(line.line_id, line.applied_cents, line.state) for line in lines[record.id].items]
        assert shown == [(line.line.line_id, line.applied_cents, "booked") for line in own.lines]
    for order_id, (state, captured) in collected.items():
        order = orders[order_id]
        assert order.payment_collector == "marketplace"
        assert (order.payment_state, order.captured_cents) == (state, captured), order_id
