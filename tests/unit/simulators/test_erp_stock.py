"""The ERP's stock export: compact in process, the contract's rows over HTTP, and the
hub's adapter reads the same ledger from either."""

from __future__ import annotations

import marshal

import pytest

from hub.adapters import erp
from simulators import erp_stock
from simulators.contract import validate_answer

LEDGER = {("SKU-1", "DC-N"): 3, ("SKU-2", "ST-1"): -2, ("SKU-2", "DC-N"): 400, ("SKU-3", "DC-N"): 0}
BY_LOCATION = {"DC-N": {"SKU-1": 3, "SKU-2": 400, "SKU-3": 0}, "ST-1": {"SKU-2": -2}}


def test_the_export_is_grouped_by_plant_in_the_ledgers_order() -> None:
    assert erp_stock.export(LEDGER) == {
        erp_stock.BY_PLANT: [
            ("DC-N", ("SKU-1", "SKU-2", "SKU-3"), (3, 400, 0)),
            ("ST-1", ("SKU-2",), (-2,)),
        ]
    }


def test_on_the_wire_it_is_the_contracts_rows() -> None:
    wire = erp_stock.as_wire(erp_stock.export(LEDGER))
    assert validate_answer("erp", "stock_snapshot", 200, wire) == []
    assert sorted((row["Material"], row["Plant"], row["Qty"]) for row in wire["Stock"]) == sorted(
        (sku, plant, qty) for (sku, plant), qty in LEDGER.items()
    )
    other = {"DocumentNo": "SO00000001"}
    assert erp_stock.as_wire(other) is other


def test_the_hub_reads_the_same_ledger_from_either_form_and_from_the_journal() -> None:
    compact = erp_stock.export(LEDGER)
    journalled = marshal.loads(marshal.dumps(compact))  # as the hub's log reads it back
    for body in (compact, erp_stock.as_wire(compact), journalled):
        read = erp.parse_snapshot(body)
        assert {plant: erp.plant_stock(runs) for plant, runs in read.items()} == BY_LOCATION


def test_a_position_listed_twice_keeps_its_last_figure_in_either_form() -> None:
    twice = {
        erp_stock.BY_PLANT: [
            ("DC-N", ("SKU-1", "SKU-2"), (3, 4)),
            ("ST-1", ("SKU-2",), (1,)),
            ("DC-N", ("SKU-1",), (7,)),
        ]
    }
    for body in (twice, erp_stock.as_wire(twice)):
        read = erp.parse_snapshot(body)
        assert erp.plant_stock(read["DC-N"]) == {"SKU-1": 7, "SKU-2": 4}
        assert list(erp.plant_stock(read["DC-N"])) == ["SKU-1", "SKU-2"]
        assert erp.plant_stock(read["ST-1"]) == {"SKU-2": 1}


def test_a_quantity_that_is_not_an_integer_is_unreadable_before_anything_is_judged() -> None:
    body = {erp_stock.BY_PLANT: [("DC-N", ("SKU-1", "SKU-2"), (3, "many"))]}
    with pytest.raises(ValueError):
        erp.parse_snapshot(body)


def test_a_plant_whose_skus_and_quantities_differ_in_length_is_unreadable() -> None:
    body = {erp_stock.BY_PLANT: [("DC-N", ("SKU-1", "SKU-2"), (3,))]}
    with pytest.raises(ValueError):
        erp.parse_snapshot(body)
