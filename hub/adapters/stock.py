"""Stock reports as WMS and POS send them, in their own field names.

Here and in the other adapters, rows become a tuple by way of a list (`tuple([...])`),
not a generator: every message passes through, and a generator costs a resumed frame
per row. The rows are named tuples built by `row(Class, (fields...))`, which is
`tuple.__new__`: what the class's generated `__new__` calls, without the Python frame
that call costs (less than half the time per row, every field given in order).
"""

from __future__ import annotations

from collections.abc import Iterable

from hub.adapters.errors import MalformedPayload
from hub.messages import StockReport
from hub.ports import Body

#: a named tuple from all of its fields, in order (see the module)
row = tuple.__new__


def wms_stock(location: str, rows: Iterable[Body]) -> tuple[StockReport, ...]:
    return tuple(
        [
            row(
                StockReport,
                (
                    r["item"],
                    location,
                    int(r["onHand"]),
                    int(r["seq"]),
                    float(r["ts"]),
                    int(r.get("quarantined", 0)),
                ),
            )
            for r in rows
        ]
    )


def pos_stock(store: str, rows: Iterable[Body]) -> tuple[StockReport, ...]:
    return tuple(
        [
            row(
                StockReport,
                (
                    r["sku"],
                    store,
                    int(r["on_hand"]),
                    int(r["seq"]),
                    float(r["ts"]),
                    int(r.get("quarantined", 0)),
                ),
            )
            for r in rows
        ]
    )


#: the in-process form of a location's export (simulators/stock_table.py): the table's
#: columns, a tuple each, in the order `columns` names them
_BY_COLUMN = "rowsByColumn"


def snapshot_rows(
    body: Body,
    columns: tuple[str, str, str, str],
) -> Iterable[tuple[str, int, int, int]]:
    """(sku, on_hand, quarantined, seq) rows of a bulk stock export, whatever order the
    source puts its named columns in.

    The export comes as the contract's rows (over HTTP) or, from a simulated location
    in process, by column (a tuple per column, 32 bytes a position where a row is about
    100: every location's export is in flight at once when reconciliation asks): read
    as it is, one location at a time, without a tuple per row held. Either is checked
    whole here (columns of unequal lengths, a figure that is no integer) so an
    unreadable export raises before any position is judged."""
    header = list(body["columns"])
    try:
        at = [header.index(name) for name in columns]
    except ValueError:
        raise MalformedPayload(
            f"stock snapshot: expected columns {list(columns)}, got {header}"
        ) from None
    sku, on_hand, quarantined, seq = at
    table = body.get(_BY_COLUMN)
    if table is not None:
        if len(table) != len(header) or len({len(column) for column in table}) > 1:
            raise MalformedPayload("stock snapshot: columns of unequal lengths")
        return zip(
            map(str, table[sku]),
            list(map(int, table[on_hand])),
            list(map(int, table[quarantined])),
            list(map(int, table[seq])),
            strict=True,
        )
    return [
        (str(row[sku]), int(row[on_hand]), int(row[quarantined]), int(row[seq]))
        for row in body["rows"]
    ]
