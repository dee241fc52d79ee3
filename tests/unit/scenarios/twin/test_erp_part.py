"""The ERP's part of every order's cross-system view made by one scan of its documents
(scenarios/twin/projection/erp_part.py): row for row the part read by key, so every
order's view is the one read by key; read by key for a view of a few orders."""

from __future__ import annotations

import pytest

from hub.model.order import Order
from scenarios.spec.loader import load_scenario
from scenarios.twin.projection import erp_part
from scenarios.twin.projection.cross_system import GatewayIndex, order_view
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run
from simulators.erp_books import ErpDocument
from simulators.records import RecordTable


@pytest.fixture(scope="module")
def finished() -> RunResult:
    return run(load_scenario("steady-day", ["scenario.scale=0.02"]))


def _orders(result: RunResult) -> list[Order]:
    return list(result.estate.hub.ctx.orders.values())


def test_each_part_by_scan_is_the_part_by_key(finished: RunResult) -> None:
    erp = finished.estate.erp
    assert erp.documents.in_memory() < len(erp.documents)  # a batch run spills them
    orders = _orders(finished)
    scanned = erp_part.by_scan(erp, orders)
    assert list(scanned) == [order.order_id for order in orders]
    for order in orders:
        keyed = erp_part.by_key(erp, order)
        part = scanned[order.order_id]
        assert part.sales_orders == keyed.sales_orders
        assert part.invoices == keyed.invoices
        assert part.numbers == keyed.numbers
        assert part.status == keyed.status
    assert any(p.sales_orders and p.invoices for p in scanned.values())


def test_two_orders_under_one_channel_reference_both_get_its_sales_orders(
    finished: RunResult,
) -> None:
    erp = finished.estate.erp
    order = next(o for o in _orders(finished) if erp_part.by_key(erp, o).numbers)
    scanned = erp_part.by_scan(erp, [order, order])  # the same order viewed twice
    assert scanned[order.order_id].numbers == erp_part.by_key(erp, order).numbers * 2


def test_every_orders_view_is_the_one_read_by_key(finished: RunResult) -> None:
    orders = _orders(finished)
    erp = finished.estate.erp
    # a quarter as many orders as documents or more: read by scan (steady-day at 1
    # views 2,229 orders of 5,915 documents); a few by key
    assert 4 * 10 < len(erp.documents) <= 4 * len(orders)
    assert erp_part.held_for(erp, orders[:10]) is None
    parts = erp_part.held_for(erp, orders)
    assert parts is not None
    index = GatewayIndex()
    index.refresh(finished)
    views = [order_view(finished, order, index, parts[order.order_id]) for order in orders]
    assert views == [order_view(finished, order, index) for order in orders]
    assert any(row[1] == "erp" for rows, _ in views for row in rows)


def test_documents_all_in_memory_are_read_by_key(finished: RunResult) -> None:
    in_memory: RecordTable[ErpDocument] = RecordTable()
    in_memory.add("SO1", ErpDocument("SO1", "sales_order", "", 0.0, "DC1", (), "W1"))
    erp = finished.estate.erp
    spilled = erp.documents
    try:
        erp.documents = in_memory  # no spill: nothing to gain by a scan
        assert erp_part.held_for(erp, _orders(finished)) is None
    finally:
        erp.documents = spilled
    assert erp_part.held_for(erp, _orders(finished)) is not None
