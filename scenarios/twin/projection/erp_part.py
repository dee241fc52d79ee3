"""The ERP's part of an order's cross-system view (`cross_system.order_view`): its sales
orders under the channel's reference and its invoices under ours, as rows, read by key
for one order, or for every order of a view at once by one scan of the documents.

A batch run keeps its finished ERP documents and the ERP's indexes by reference in the
run's spill file (`simulators.records.RecordTable`, `simulators.compact.NumberIndex`),
where each look-up by key is a query, a decoding and a copy: some four an order (two
indexes, a sales order, an invoice), 14 µs (steady-day at 1, compiled: 32 ms for the
2,229 orders). A finished run's projection views every order, and so reads most
documents: one scan of them all (`by_scan`) decodes each once and makes the rows of
the orders it belongs to at once, and holds nothing but those rows, which the view
holds anyway (a scan that held the documents instead held 40 MiB more at
black-friday's 0.25). A live twin's projection views the few orders that changed, by
key, and an ERP whose documents are all in memory (no spill) is read by key as well."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from hub.adapters.read_model.records import SystemRecordRow
from hub.model.order import Order
from simulators.erp import Erp
from simulators.erp_books import ErpDocument

#: the reference the ERP books an order's invoice under, before the order's id (see
#: hub/adapters/erp.py)
INVOICE_REF: Final = "INV-"
#: a document scanned costs some 20,000 instructions, an order's ERP records read by key
#: some 170,000 (callgrind, compiled, steady-day at 0.25): a view of at least a quarter
#: as many orders as the ERP has documents reads them by scan (`held_for`)
SCAN_FROM_ORDERS_A_DOCUMENT: Final = 0.25


class ErpPart:
    """An order's records in the ERP, as its view shows them."""

    __slots__ = ("invoices", "numbers", "sales_orders", "status")

    def __init__(self) -> None:
        #: a row for each sales order booked under the order's channel reference
        self.sales_orders: list[SystemRecordRow] = []
        #: a row for each document booked under the order's invoice reference
        self.invoices: list[SystemRecordRow] = []
        #: the sales orders' numbers, in booking order
        self.numbers: list[str] = []
        #: the first sales order's status ("" when there is none)
        self.status = ""

    def add_sales_order(self, order_id: str, number: str, document: ErpDocument) -> None:
        if not self.numbers:
            self.status = document.status
        self.numbers.append(number)
        self.sales_orders.append(_row(order_id, number, document.status, "sales_order", document))

    def add_invoice(self, order_id: str, number: str, document: ErpDocument) -> None:
        self.invoices.append(_row(order_id, number, "booked", "invoice", document))


def _row(
    order_id: str, number: str, status: str, kind: str, document: ErpDocument
) -> SystemRecordRow:
    return (
        order_id,
        "erp",
        number,
        status,
        document.booked_at,
        {
            "document": kind,
            "plant": document.plant,
            "units": sum(qty for _, qty in document.items),
        },
        document.booked_at,
        max(document.booked_at, document.changed_at),
    )


def by_key(erp: Erp, order: Order) -> ErpPart:
    """`order`'s part, each document read once by key."""
    part = ErpPart()
    order_id = order.order_id
    for number in erp.sales_orders_by_external_ref.get(order.channel_order_id, []):
        part.add_sales_order(order_id, number, erp.documents[number])
    for number in erp.by_ref.get(INVOICE_REF + order_id, []):
        part.add_invoice(order_id, number, erp.documents[number])
    return part


def by_scan(erp: Erp, orders: Sequence[Order]) -> dict[str, ErpPart]:
    """Every one of `orders`' parts, by order id, from one scan of the ERP's documents
    in booking order. Each document goes to the orders the ERP's own indexes file it
    under (`Erp._create_sales_order`: a sales order under its external reference;
    `Erp._book`: every document under its reference), so each part is `by_key`'s, row
    for row (`tests/unit/scenarios/twin/test_erp_part.py`)."""
    parts: dict[str, ErpPart] = {}
    by_channel_ref: dict[str, list[str]] = {}
    for order in orders:
        parts[order.order_id] = ErpPart()
        ids = by_channel_ref.get(order.channel_order_id)
        if ids is None:
            by_channel_ref[order.channel_order_id] = [order.order_id]
        else:
            ids.append(order.order_id)
    for number, document in erp.documents.items():
        if document.kind == "sales_order":
            for order_id in by_channel_ref.get(document.external_ref, ()):
                parts[order_id].add_sales_order(order_id, number, document)
        if document.ref.startswith(INVOICE_REF):
            order_id = document.ref[len(INVOICE_REF) :]
            part = parts.get(order_id)
            if part is not None:
                part.add_invoice(order_id, number, document)
    return parts


def held_for(erp: Erp, orders: Sequence[Order]) -> dict[str, ErpPart] | None:
    """`by_scan` of `orders` when the ERP's documents live in the spill and the view
    reads enough of them; None when they are better read by key."""
    documents = erp.documents
    count = len(documents)
    if documents.in_memory() == count or len(orders) < SCAN_FROM_ORDERS_A_DOCUMENT * count:
        return None
    return by_scan(erp, orders)
