"""The ERP's stock export: compact in process, the contract's table of rows on the wire.

Reconciliation asks the ERP for its whole stock ledger, every position of the estate
(about 150,000 at full scale), while the locations' exports are in flight beside it.
As the contract writes it, a dict of three keys per position (`Material`, `Plant`,
`Qty`: 184 bytes each by `sys.getsizeof`), the export was about 26 MiB held from the
ERP's answer until the hub had read it. In process the ERP answers with the same
positions grouped by plant (`BY_PLANT`): each plant's SKUs and their quantities as two
tuples of the ledger's own objects, 16 bytes a position, plain data the hub's journal
writes as it is. Where an answer leaves the simulation over HTTP (the twin's face to an
external hub, scenarios/twin/external/gate.py) `as_wire` writes it as the contract's
rows, so an external hub reads what the contract says; the hub's adapter reads either
(hub/adapters/erp.py `parse_snapshot`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: the in-process answer's key: a list of (plant, SKUs, quantities), the SKUs and their
#: quantities in the same order
BY_PLANT = "StockByPlant"
#: the contract's key: a list of {"Material", "Plant", "Qty"} rows
ROWS = "Stock"


def export(stock: Mapping[tuple[str, str], int]) -> dict[str, Any]:
    """The ledger's positions by plant, each plant's in the ledger's own order."""
    skus_at: dict[str, list[str]] = {}
    qtys_at: dict[str, list[int]] = {}
    for (sku, plant), qty in stock.items():
        skus = skus_at.get(plant)
        if skus is None:
            skus = skus_at[plant] = []
            qtys_at[plant] = []
        skus.append(sku)
        qtys_at[plant].append(qty)
    return {
        BY_PLANT: [(plant, tuple(skus), tuple(qtys_at[plant])) for plant, skus in skus_at.items()]
    }


def as_wire(body: dict[str, Any]) -> dict[str, Any]:
    """An answer as the contract writes it: the stock export as rows, plant by plant;
    any other answer as it is."""
    by_plant = body.get(BY_PLANT)
    if by_plant is None:
        return body
    return {
        ROWS: [
            {"Material": sku, "Plant": plant, "Qty": qty}
            for plant, skus, qtys in by_plant
            for sku, qty in zip(skus, qtys, strict=True)
        ]
    }
