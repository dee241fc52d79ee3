"""A location's stock export (a DC's WMS, a till, a drop-ship partner): compact in
process, the contract's table of rows on the wire.

Reconciliation asks every location for its stock at once (224 locations, about 150,000
positions at full scale), and their answers are in flight together until the hub has
read each. As the contract writes one, a list of `[sku, on hand, quarantined, seq]` per
position (a list object and its item array, 96 bytes a position), that was about
14 MiB held at every reconciliation, the moment peak-weekend's peak falls in. In
process a location answers with the same positions by column (`BY_COLUMN`): one tuple
per column, in the order `columns` names them, of the stockroom's own objects, 32 bytes
a position, plain data the hub's journal writes as it is. Where an answer leaves the
simulation over HTTP (the twin's face to an external hub,
scenarios/twin/external/gate.py) `as_wire` writes it as the contract's rows, so an
external hub reads what the contract says; the hub's adapter reads either
(hub/adapters/stock.py `snapshot_rows`).
"""

from __future__ import annotations

from typing import Any

#: the in-process answer's key: the table's columns, a tuple each, in `columns`' order
BY_COLUMN = "rowsByColumn"
#: the contract's key: a list of rows, each a list in `columns`' order
ROWS = "rows"


def export(columns: list[str], table: tuple[tuple[Any, ...], ...], ts: float) -> dict[str, Any]:
    """A location's export: its columns' names, their values (`Stockroom.snapshot_table`)
    and when it was taken."""
    return {"columns": columns, BY_COLUMN: table, "ts": ts}


def as_wire(body: dict[str, Any]) -> dict[str, Any]:
    """An answer as the contract writes it: a location's export as rows; any other
    answer as it is."""
    table = body.get(BY_COLUMN)
    if table is None:
        return body
    wire: dict[str, Any] = {}
    for key, value in body.items():
        if key == BY_COLUMN:
            wire[ROWS] = [list(row) for row in zip(*table, strict=True)]
        else:
            wire[key] = value
    return wire
