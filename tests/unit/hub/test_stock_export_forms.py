"""The hub's adapters read the simulated backends' compact stock exports as the
contract's rows.

The in-process forms' keys are written twice: in the simulators that answer
(`simulators/stock_table.py`, `simulators/erp_stock.py`) and in the hub's adapters that
read them (`hub/adapters/stock.py`, `hub/adapters/erp.py`), which the layers keep from
importing each other. Renamed on one side only, the adapter would no longer see the
compact form and read the export as rows that are not there. Here each export, made by
its simulator, is read by the hub's adapter both as it is in process and as it leaves
the simulation (`as_wire`), and both reads must agree.
"""

from __future__ import annotations

from hub.adapters import erp, pos, wms
from simulators import erp_stock, stock_table

#: (sku, on hand, quarantined, seq) of one location, as `Stockroom.snapshot_table` gives
#: them, a tuple per column
TABLE = (("SKU-1", "SKU-2", "SKU-3"), (4, 0, 7), (0, 1, 0), (3, 9, 1))


def test_a_locations_export_reads_the_same_in_process_and_on_the_wire() -> None:
    for parse, columns in (
        (wms.parse_snapshot, ["item", "onHand", "quarantined", "seq"]),
        (pos.parse_snapshot, ["sku", "on_hand", "quarantined", "seq"]),
    ):
        in_process = stock_table.export(columns, TABLE, 12.0)
        assert stock_table.BY_COLUMN in in_process
        wire = stock_table.as_wire(in_process)
        assert stock_table.BY_COLUMN not in wire
        expected = [("SKU-1", 4, 0, 3), ("SKU-2", 0, 1, 9), ("SKU-3", 7, 0, 1)]
        assert list(parse("L-1", in_process)) == expected
        assert list(parse("L-1", wire)) == expected


def test_the_erps_export_reads_the_same_in_process_and_on_the_wire() -> None:
    ledger = {("SKU-1", "DC-N"): 5, ("SKU-2", "DC-N"): 0, ("SKU-1", "ST-01"): 2}
    in_process = erp_stock.export(ledger)
    assert erp_stock.BY_PLANT in in_process
    wire = erp_stock.as_wire(in_process)
    assert erp_stock.BY_PLANT not in wire
    for body in (in_process, wire):
        by_plant = erp.parse_snapshot(body)
        assert {plant: erp.plant_stock(runs) for plant, runs in by_plant.items()} == {
            "DC-N": {"SKU-1": 5, "SKU-2": 0},
            "ST-01": {"SKU-1": 2},
        }
