"""The stores' point-of-sale systems: walk-in sales, click-and-collect, counter returns."""

from __future__ import annotations

from collections.abc import Iterable

from hub.adapters.errors import MalformedPayload
from hub.adapters.stock import pos_stock, row, snapshot_rows
from hub.messages import (
    InboundEvent,
    LineIn,
    PickupCollected,
    PickupReady,
    ReturnReceived,
    StockReceived,
    StoreSaleRecorded,
)
from hub.model.order import OrderLine
from hub.ports import Body

SOURCE = "pos"


def _lines(rows: Iterable[Body]) -> tuple[LineIn, ...]:
    return tuple(
        [
            row(
                LineIn,
                (
                    r["sku"],
                    int(r["qty"]),
                    int(r.get("price_cents", 0)),
                    int(r.get("tax_cents", 0)),
                    int(r.get("list_price_cents", 0)),
                    str(r.get("promotion") or ""),
                ),
            )
            for r in rows
        ]
    )


def parse(payload: Body) -> InboundEvent:
    kind = payload.get("kind")
    store = payload.get("store", "")
    if kind == "sale":
        return StoreSaleRecorded(
            store,
            payload["txn"],
            _lines(payload["lines"]),
            pos_stock(store, payload["stock"]),
            float(payload["ts"]),
        )
    if kind == "pickup_ready":
        return PickupReady(
            payload["order_ref"], store, _lines(payload["short"]), float(payload["ts"])
        )
    if kind == "pickup_collected":
        return PickupCollected(
            payload["order_ref"],
            store,
            _lines(payload["lines"]),
            pos_stock(store, payload["stock"]),
            float(payload["ts"]),
        )
    if kind == "return":
        return ReturnReceived(
            payload["txn"],
            payload["order_ref"],
            store,
            tuple(
                LineIn(row["sku"], int(row["qty"]), int(row["refund_cents"]), int(row["tax_cents"]))
                for row in payload["lines"]
            ),
            float(payload["ts"]),
            grade=payload["grade"],
            stock=pos_stock(store, payload["stock"]),
            refunded_at_till_cents=int(payload.get("refunded_at_till_cents", 0)),
            channel=payload.get("channel", "store"),
        )
    if kind == "receipt":
        return StockReceived(
            store,
            payload["receipt"],
            _lines(payload["lines"]),
            pos_stock(store, payload["stock"]),
            float(payload["ts"]),
        )
    raise MalformedPayload(f"pos: unknown kind {kind!r}")


def pickup_request(order_id: str, store: str, lines: Iterable[OrderLine]) -> dict[str, object]:
    return {
        "order_ref": order_id,
        "store": store,
        "lines": [
            {"sku": line.sku, "qty": line.open_quantity} for line in lines if line.open_quantity > 0
        ],
    }


def parse_snapshot(store: str, body: Body) -> Iterable[tuple[str, int, int, int]]:
    """(sku, on_hand, quarantined, seq) rows of a stock snapshot."""
    return snapshot_rows(body, ("sku", "on_hand", "quarantined", "seq"))
