"""Stock reports as WMS and POS send them, in their own field names."""

from __future__ import annotations

from collections.abc import Iterable

from hub.messages import StockReport
from hub.ports import Body


def wms_stock(location: str, rows: Iterable[Body]) -> tuple[StockReport, ...]:
    return tuple(
        StockReport(row["item"], location, int(row["onHand"]), int(row["seq"]), float(row["ts"]),
                    int(row.get("quarantined", 0)))
        for row in rows
    )


def pos_stock(store: str, rows: Iterable[Body]) -> tuple[StockReport, ...]:
    return tuple(
        StockReport(row["sku"], store, int(row["on_hand"]), int(row["seq"]), float(row["ts"]),
                    int(row.get("quarantined", 0)))
        for row in rows
    )
