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


def snapshot_rows(
    body: Body,
    columns: tuple[str, str, str, str],
) -> list[tuple[str, int, int, int]]:
    """(sku, on_hand, quarantined, seq) rows of a bulk stock export, whatever order the
    source puts its named columns in."""
    header = list(body["columns"])
    try:
        at = [header.index(name) for name in columns]
    except ValueError:
        raise MalformedPayload(
            f"stock snapshot: expected columns {list(columns)}, got {header}"
        ) from None
    sku, on_hand, quarantined, seq = at
    return [
        (str(row[sku]), int(row[on_hand]), int(row[quarantined]), int(row[seq]))
        for row in body["rows"]
    ]
