"""The ERP's contract: its API (sales orders, invoices, goods movements, store-sales
postings, credit memos, document lookup, stock ledger) and the one message its legacy
interface sends back.

The references a hub puts on its writes are how the checker finds them in the ERP's
books, so their conventions are part of the contract, said on each field: one sales
order per channel order (`ExternalRef`), one document per `DocRef`, a refunded return's
credit memo under `CM-{return id}`, a write-off under the reason `inventory_difference`.
"""

from __future__ import annotations

from simulators.contract.b2b import POST_CUSTOMER_PAYMENT
from simulators.contract.common import (
    ERROR,
    QUANTITY,
    bad_request,
    throttled,
    unavailable,
)
from simulators.contract.erp_parts import (
    ACCOUNTS,
    DOCUMENT,
    JOURNAL,
    MATERIAL,
    PLANT,
    WRITE_NOTE,
    doc_ref,
    items,
    write_answers,
)
from simulators.contract.schema import array, const, integer, obj, string
from simulators.contract.settlement import POST_SETTLEMENT
from simulators.contract.tables import Answer, Message, Operation, Source, System

__all__ = ["ACCOUNTS", "SOURCE", "SYSTEM"]

_NO_SALES_ORDER = Answer(404, "No sales order has that number.", ERROR)


_OPERATIONS = {
    "find_document": Operation(
        "Find the first document booked under a DocRef",
        "How a hub learns whether a write whose answer never came took effect. In "
        "`legacy_batch` mode it says 404 until the import run has booked the write.",
        obj("A lookup.", {"DocRef": string("The reference the write carried.")}),
        (
            Answer(200, "Found: the first document booked under it.", DOCUMENT),
            Answer(404, "Nothing was booked under that DocRef.", ERROR),
        ),
        {"DocRef": "INV-W-0000017"},
    ),
    "stock_snapshot": Operation(
        "The ERP's stock ledger",
        "Units per SKU and location as the ERP has booked them: what reconciliation "
        "compares with the locations' own counts.",
        obj("No parameters.", {}),
        (
            Answer(
                200,
                "Every position of the ledger.",
                obj(
                    "The stock ledger.",
                    {
                        "Stock": array(
                            obj(
                                "One position.",
                                {
                                    "Material": MATERIAL,
                                    "Plant": PLANT,
                                    "Qty": integer("Units booked."),
                                },
                            )
                        )
                    },
                    title="ErpStockLedger",
                ),
            ),
        ),
        {},
    ),
    "cancel_sales_order": Operation(
        "Cancel a sales order not yet invoiced",
        "The order was cancelled before it left the building." + WRITE_NOTE,
        obj(
            "A cancellation.",
            {
                "SalesOrder": string("The sales order's DocumentNo."),
                "DocRef": doc_ref("The built-in hub uses `CXL-{order ref}`."),
            },
        ),
        write_answers(
            _NO_SALES_ORDER,
            Answer(409, "The sales order is already invoiced.", ERROR),
            booked=200,
        ),
        {"SalesOrder": "SO00000031", "DocRef": "CXL-W-0000025"},
    ),
    "create_sales_order": Operation(
        "Book a channel order as a sales order",
        "One sales order per channel order: the checker counts a second one under the same "
        "ExternalRef as a duplicate, and an accepted order with none as lost." + WRITE_NOTE,
        obj(
            "A sales order.",
            {
                "ExternalRef": string(
                    "The channel's order reference (web `order_ref`, marketplace `mpOrderId`).",
                    min_length=1,
                ),
                "DocRef": doc_ref("The built-in hub uses the order's reference."),
                "SoldTo": string("The customer's reference."),
                "Channel": string(
                    "The channel the order came from (`b2b`: a company's order on account).",
                    enum=("web", "click_collect", "marketplace", "b2b"),
                ),
                "Plant": PLANT,
                "Items": items(
                    "Qty",
                    QUANTITY,
                    {
                        "NetCents": integer("Unit price before tax, cents.", minimum=0),
                        "TaxCents": integer("Tax for the whole line, cents.", minimum=0),
                    },
                ),
            },
        ),
        write_answers(),
        {
            "ExternalRef": "W-0000001",
            "DocRef": "W-0000001",
            "SoldTo": "C-000386",
            "Channel": "web",
            "Plant": "DC-NORTH",
            "Items": [{"Material": "SKU-00001", "Qty": 3, "NetCents": 4999, "TaxCents": 2999}],
        },
    ),
    "post_credit_memo": Operation(
        "Book goods returned, and the refund's reversal",
        "Stock comes back to the plant and, with money refunded, revenue and tax are "
        "reversed. The checker wants one per refunded return." + WRITE_NOTE,
        obj(
            "A credit memo.",
            {
                "DocRef": doc_ref(
                    "It must be `CM-{return id}` (the RMA, marketplace returnId or till "
                    "return txn): the checker finds a refunded return's credit memo by it."
                ),
                "OrderRef": string("The order returned (a channel order ref or a till txn)."),
                "Plant": PLANT,
                "Items": items("QtyReturned", QUANTITY),
                "Journal": JOURNAL,
            },
        ),
        write_answers(),
        {
            "DocRef": "CM-RMA-W-0000001",
            "OrderRef": "W-0000001",
            "Plant": "DC-NORTH",
            "Items": [{"Material": "SKU-00001", "QtyReturned": 3}],
            "Journal": [
                {"account": "4100-sales-returns", "dr": 14997, "cr": 0},
                {"account": "2200-tax-payable", "dr": 2999, "cr": 0},
                {"account": "1000-cash", "dr": 0, "cr": 17996},
            ],
        },
    ),
    "post_settlement": POST_SETTLEMENT,
    "post_customer_payment": POST_CUSTOMER_PAYMENT,
    "post_delivery_invoice": Operation(
        "Invoice what left the building against its sales order",
        "Stock leaves the plant's ledger (a line's own Plant, when it has one) and the "
        "sale's money is posted (empty Journal when nothing was charged)." + WRITE_NOTE,
        obj(
            "A delivery with its invoice.",
            {
                "SalesOrder": string("The sales order's DocumentNo."),
                "DocRef": doc_ref("The built-in hub uses `INV-{order ref}`."),
                "Plant": PLANT,
                "Items": items(
                    "Qty",
                    QUANTITY,
                    optional={
                        "Plant": string(
                            "Where this line left from, when not the document's Plant "
                            "(an order shipped in parts from several DCs)."
                        )
                    },
                ),
                "Journal": JOURNAL,
            },
        ),
        write_answers(_NO_SALES_ORDER),
        {
            "SalesOrder": "SO00000001",
            "DocRef": "INV-W-0000001",
            "Plant": "DC-NORTH",
            "Items": [{"Material": "SKU-00001", "Qty": 3}],
            "Journal": [
                {"account": "1000-cash", "dr": 17996, "cr": 0},
                {"account": "4000-revenue", "dr": 0, "cr": 14997},
                {"account": "2200-tax-payable", "dr": 0, "cr": 2999},
            ],
        },
    ),
    "post_goods_movement": Operation(
        "Book stock in or out of a plant",
        "A supplier receipt at a DC or a delivery to a store, or an adjustment. A "
        "movement with reason `inventory_difference` is a write-off: the checker counts "
        "its positions as ERP ledger drift." + WRITE_NOTE,
        obj(
            "A goods movement.",
            {
                "DocRef": doc_ref(
                    "The built-in hub uses the WMS receiptNo or the store's receipt, "
                    "and `ADJ-...` for adjustments."
                ),
                "Plant": PLANT,
                "Reason": string(
                    "`receipt` for goods received, `inventory_difference` for a write-off.",
                    enum=("receipt", "inventory_difference"),
                ),
                "Items": items("QtyDelta", integer("Units in (positive) or out (negative).")),
            },
        ),
        write_answers(),
        {
            "DocRef": "GR0000001",
            "Plant": "DC-NORTH",
            "Reason": "receipt",
            "Items": [{"Material": "SKU-00007", "QtyDelta": 7}],
        },
    ),
    "post_store_sales": Operation(
        "Book a store's takings for a period",
        "Stores' sales are posted as periodic summaries per store: stock out of the store "
        "and the takings' money." + WRITE_NOTE,
        obj(
            "A store-sales summary.",
            {
                "DocRef": doc_ref("The built-in hub uses `SS-{store}-{period}`."),
                "Plant": string("The store."),
                "Items": items("Qty", QUANTITY),
                "Journal": JOURNAL,
            },
        ),
        write_answers(),
        {
            "DocRef": "SS-ST-0001-00001",
            "Plant": "ST-0001",
            "Items": [{"Material": "SKU-00004", "Qty": 1}],
            "Journal": [
                {"account": "1000-cash", "dr": 21478, "cr": 0},
                {"account": "4000-revenue", "dr": 0, "cr": 17899},
                {"account": "2200-tax-payable", "dr": 0, "cr": 3579},
            ],
        },
    ),
}

SYSTEM = System(
    "erp",
    "ERP",
    "The financial system of record and the stock ledger. A worker pool with a queue "
    "(a throughput limit), an API rate limit, outages, and answers lost after the work "
    "was done (`backends.erp.lost_response_rate`). Not idempotent unless the scenario "
    "sets `backends.erp.idempotent_refs`: then a write whose DocRef was booked before "
    "answers 200 with the first document and books nothing. In `legacy_batch` mode "
    "(`backends.erp.mode`, and before a scenario's cutover) writes are answered 202 at "
    "once and booked at the next import run, whose outcome comes back as an "
    "`import_result` message; lookups are answered as usual.",
    _OPERATIONS,
    (
        bad_request("ERP"),
        throttled(
            "The API's rate limit (`retry_after_s`: one token's refill time) or a full "
            "work queue (`ERP busy`, `retry_after_s` 5). Nothing was done."
        ),
        unavailable("ERP"),
    ),
)

SOURCE = Source(
    "erp",
    "ERP (legacy interface)",
    "Only in `legacy_batch` mode: after each import run, one message per write in the "
    "file, with the status and body the API would have answered.",
    "type",
    {
        "import_result": Message(
            "The outcome of one write at an import run",
            obj(
                "The outcome of one write of the file: `Status` and the answer's body.",
                {
                    "type": const("import_result"),
                    "DocRef": string("The DocRef of the write."),
                    "Status": integer(
                        "The status the write would have been answered with (201, 200, "
                        "404, 409, or 400 for an unreadable write)."
                    ),
                },
                {
                    "DocumentNo": string("The document booked (or found), on success."),
                    "error": string("Why not, on a refusal."),
                },
                title="ErpImportResult",
            ),
            "DocRef",
            {
                "type": "import_result",
                "DocRef": "W-0000001",
                "Status": 201,
                "DocumentNo": "SO00000001",
            },
        ),
    },
)
