"""A location's stock export: by column in process, the contract's rows over HTTP, and
the hub's adapters read the same positions from either."""

from __future__ import annotations

import marshal

import pytest

from hub.adapters import MalformedPayload, pos, wms
from simulators import stock_table, wire_form
from simulators.contract import validate_answer
from simulators.stockroom import Stockroom

DC_COLUMNS = ["item", "onHand", "quarantined", "seq"]
TILL_COLUMNS = ["sku", "on_hand", "quarantined", "seq"]
#: (sku, on hand, quarantined, seq) as the hub reads them, in the location's order
ROWS = [("SKU-1", 3, 0, 7), ("SKU-2", 400, 2, 300), ("SKU-3", -1, 0, 0)]


def _room() -> Stockroom:
    room = Stockroom(on_hand={("SKU-1", "DC-N"): 3, ("SKU-2", "DC-N"): 398, ("SKU-9", "ST-1"): 5})
    room.move(("SKU-2", "DC-N"), 2, 2)
    room.move(("SKU-3", "DC-N"), -1)
    return room


def test_a_location_s_export_is_its_positions_by_column() -> None:
    body = stock_table.export(DC_COLUMNS, _room().snapshot_table("DC-N"), 1.5)
    assert body == {
        "columns": DC_COLUMNS,
        stock_table.BY_COLUMN: (("SKU-1", "SKU-2", "SKU-3"), (3, 400, -1), (0, 2, 0), (0, 1, 1)),
        "ts": 1.5,
    }


@pytest.mark.parametrize(("system", "columns"), [("wms", DC_COLUMNS), ("pos", TILL_COLUMNS)])
def test_on_the_wire_it_is_the_contract_s_rows(system: str, columns: list[str]) -> None:
    body = stock_table.export(columns, tuple(zip(*ROWS, strict=True)), 2.0)
    wire = wire_form.as_wire(body)
    assert validate_answer(system, "stock_snapshot", 200, wire) == []
    assert wire == {"columns": columns, "rows": [list(row) for row in ROWS], "ts": 2.0}
    assert wire_form.as_wire(stock_table.export(columns, ((), (), (), ()), 2.0))["rows"] == []
    other = {"DocumentNo": "SO00000001"}
    assert wire_form.as_wire(other) is other


def test_the_hub_reads_the_same_rows_from_either_form_and_from_the_journal() -> None:
    for parse, columns in ((wms.parse_snapshot, DC_COLUMNS), (pos.parse_snapshot, TILL_COLUMNS)):
        compact = stock_table.export(columns, tuple(zip(*ROWS, strict=True)), 2.0)
        journalled = marshal.loads(marshal.dumps(compact))  # as the hub's log reads it back
        for body in (compact, stock_table.as_wire(compact), journalled):
            assert list(parse("DC-N", body)) == ROWS


def test_the_columns_may_come_in_any_order() -> None:
    table = tuple(zip(*ROWS, strict=True))
    body = stock_table.export(DC_COLUMNS[::-1], table[::-1], 2.0)
    assert list(wms.parse_snapshot("DC-N", body)) == ROWS
    assert list(wms.parse_snapshot("DC-N", stock_table.as_wire(body))) == ROWS


def test_an_unreadable_export_raises_before_any_row_is_read() -> None:
    bad_figure = stock_table.export(
        DC_COLUMNS, (("SKU-1", "SKU-2"), (3, "many"), (0, 0), (1, 2)), 0
    )
    with pytest.raises(ValueError):
        wms.parse_snapshot("DC-N", bad_figure)
    unequal = stock_table.export(DC_COLUMNS, (("SKU-1", "SKU-2"), (3,), (0, 0), (1, 2)), 0)
    with pytest.raises(MalformedPayload):
        wms.parse_snapshot("DC-N", unequal)
    short = stock_table.export(DC_COLUMNS, (("SKU-1",), (3,), (0,)), 0)
    with pytest.raises(MalformedPayload):
        wms.parse_snapshot("DC-N", short)
