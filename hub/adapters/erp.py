"""The ERP's API: sales orders, deliveries and invoices, goods movements, store-sales
postings, credit memos, a journal, and stock snapshots for reconciliation.

Every document carries our reference (`ExternalRef` or `DocRef`) so that, after a
timeout, the hub can ask whether its first attempt took effect before trying again: a
plain ERP creates a second document when called twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from hub.messages import ImportResult, InboundEvent
from hub.model.ledger import JournalLine
from hub.model.order import Order
from hub.ports import Body

SYSTEM = "erp"
SOURCE = "erp"
#: the simulated ERP's in-process stock export (`parse_snapshot`)
_BY_PLANT = "StockByPlant"


def parse(payload: Body) -> InboundEvent:
    """The legacy interface's only message: the result of one document's import."""
    if payload.get("type") != "import_result":
        raise ValueError(f"erp: unknown message type {payload.get('type')!r}")
    status = int(payload["Status"])
    body = {k: v for k, v in payload.items() if k not in ("type", "Status")}
    return ImportResult(str(payload["DocRef"]), status, body)


def _journal(lines: Iterable[JournalLine]) -> list[dict[str, object]]:
    return [line.as_wire() for line in lines]


def create_sales_order(order: Order) -> dict[str, object]:
    return {
        "ExternalRef": order.order_id,
        "SoldTo": order.customer_id,
        "Channel": order.channel,
        "Plant": order.location,
        "Items": [
            {
                "Material": line.sku,
                "Qty": line.quantity - line.short_quantity,
                "NetCents": line.unit_price_cents,
                "TaxCents": line.tax_cents,
            }
            for line in order.lines
            if line.quantity > line.short_quantity
        ],
    }


def cancel_sales_order(so_number: str) -> dict[str, object]:
    return {"SalesOrder": so_number}


def post_delivery_invoice(
    so_number: str,
    doc_ref: str,
    plant: str,
    items: Iterable[tuple[str, int]],
    journal: Iterable[JournalLine],
    plants: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """`plants`: the DC each SKU left from, where it is not `plant` (an order shipped in
    parts from several DCs)."""
    lines: list[dict[str, object]] = []
    for sku, qty in items:
        line: dict[str, object] = {"Material": sku, "Qty": qty}
        own = (plants or {}).get(sku, plant)
        if own != plant:
            line["Plant"] = own
        lines.append(line)
    return {
        "SalesOrder": so_number,
        "DocRef": doc_ref,
        "Plant": plant,
        "Items": lines,
        "Journal": _journal(journal),
    }


def post_goods_movement(
    doc_ref: str, plant: str, items: Iterable[tuple[str, int]], reason: str
) -> dict[str, object]:
    return {
        "DocRef": doc_ref,
        "Plant": plant,
        "Reason": reason,
        "Items": [{"Material": sku, "QtyDelta": qty} for sku, qty in items],
    }


def post_store_sales(
    doc_ref: str, store: str, items: Iterable[tuple[str, int]], journal: Iterable[JournalLine]
) -> dict[str, object]:
    return {
        "DocRef": doc_ref,
        "Plant": store,
        "Items": [{"Material": sku, "Qty": qty} for sku, qty in items],
        "Journal": _journal(journal),
    }


def post_credit_memo(
    doc_ref: str,
    order_ref: str,
    plant: str,
    items: Iterable[tuple[str, int]],
    journal: Iterable[JournalLine],
) -> dict[str, object]:
    return {
        "DocRef": doc_ref,
        "OrderRef": order_ref,
        "Plant": plant,
        "Items": [{"Material": sku, "QtyReturned": qty} for sku, qty in items],
        "Journal": _journal(journal),
    }


def post_settlement(
    settlement_id: str,
    deposit_cents: int,
    lines: Iterable[tuple[str, str, str, int, int]],
    journal: Iterable[JournalLine],
) -> dict[str, object]:
    """A channel's payout applied line by line: (line id, type, order reference,
    amount reported, amount applied at our own figures)."""
    return {
        "DocRef": f"PAY-{settlement_id}",
        "SettlementId": settlement_id,
        "DepositCents": deposit_cents,
        "Lines": [
            {
                "LineId": line_id,
                "Type": kind,
                "Ref": ref,
                "ReportedCents": reported,
                "AppliedCents": applied,
            }
            for line_id, kind, ref, reported, applied in lines
        ],
        "Journal": _journal(journal),
    }


def post_customer_payment(
    remittance_id: str,
    company_id: str,
    deposit_cents: int,
    lines: Iterable[tuple[str, str, int, int]],
    journal: Iterable[JournalLine],
) -> dict[str, object]:
    """A company's remittance applied to its invoices: (order reference, PO number,
    amount paid, amount applied to the invoice's open balance)."""
    return {
        "DocRef": f"RCPT-{remittance_id}",
        "RemittanceId": remittance_id,
        "Customer": company_id,
        "DepositCents": deposit_cents,
        "Lines": [
            {"OrderRef": ref, "PoNumber": po, "PaidCents": paid, "AppliedCents": applied}
            for ref, po, paid, applied in lines
        ],
        "Journal": _journal(journal),
    }


def find_document(doc_ref: str) -> dict[str, object]:
    return {"DocRef": doc_ref}


def document_number(body: Body) -> str:
    return str(body["DocumentNo"])


def stock_snapshot() -> dict[str, object]:
    return {}


#: a location's positions in the ERP's stock export: runs of (SKUs, their quantities),
#: in the order the export gives them (`plant_stock` reads them as on hand by SKU)
PlantStock = list[tuple[Sequence[str], Sequence[int]]]


def parse_snapshot(body: Body) -> dict[str, PlantStock]:
    """The ERP's stock ledger by location, checked whole here and read one location at
    a time (`plant_stock`).

    The ledger holds every position of the estate (about 150,000 at full scale), and
    reconciliation reads it while the locations' exports are in flight beside it: a
    dict entry for each position at once (on hand by SKU by location, as this read it
    before) was 3.1 MiB more at that moment at full scale, a (sku, location) tuple each
    more again; a location's dict is made only while that location is judged. The
    export comes as the contract's rows (over HTTP) or, from the simulated ERP in
    process, grouped by plant (simulators/erp_stock.py: each plant's SKUs and their
    quantities, 16 bytes a position where a row is about 200), which is kept as it is.
    A position listed twice keeps its last figure. An unreadable export (unequal
    lengths, a quantity that is not an integer) raises here, before anything is judged."""
    stock: dict[str, PlantStock] = {}
    by_plant = body.get(_BY_PLANT)
    if by_plant is not None:
        for plant, skus, qtys in by_plant:
            if len(skus) != len(qtys):
                raise ValueError(f"{plant}: {len(skus)} SKUs and {len(qtys)} quantities")
            for qty in qtys:
                int(qty)  # what `plant_stock` makes of it, unreadable raising now
            runs = stock.get(plant)
            if runs is None:
                runs = stock[plant] = []
            runs.append((skus, qtys))
        return stock
    skus_at: dict[str, list[str]] = {}
    qtys_at: dict[str, list[int]] = {}
    for row in body["Stock"]:
        sku, plant, qty = row["Material"], row["Plant"], int(row["Qty"])
        skus = skus_at.get(plant)
        if skus is None:
            skus = skus_at[plant] = []
            qtys_at[plant] = []
        skus.append(sku)
        qtys_at[plant].append(qty)
    return {plant: [(skus, qtys_at[plant])] for plant, skus in skus_at.items()}


def plant_stock(runs: PlantStock) -> dict[str, int]:
    """A location's on hand by SKU, from its runs in the export (`parse_snapshot`)."""
    at: dict[str, int] = {}
    for skus, qtys in runs:
        at.update(zip(skus, map(int, qtys), strict=True))
    return at
