"""The B2B portal's part of the contract: a company's order on account carries its
account, its PO number and its payment terms (optional fields of the storefront's
`order.created`), its payment advice arrives as `remittance.sent` on the storefront's
source, and the hub books each remittance with the ERP's `post_customer_payment`.

Why the portal (the store's company side) sends remittances and not a bank: the facts
a hub needs (who paid, how much, on which invoices) are the company's payment advice;
a bank statement feed would carry the same facts over another source, for no new truth.
"""

from __future__ import annotations

from simulators.contract.common import sim_time
from simulators.contract.erp_parts import JOURNAL, doc_ref, write_answers
from simulators.contract.schema import Schema, array, const, integer, obj, string
from simulators.contract.tables import Message, Operation

_ORDER_REF = string("The company's order (the portal's `B2B-...` order reference).")
_PO = string("The buyer's purchase-order number: unique per account.")

#: the optional fields of `order.created` a company's order carries
ORDER_ON_ACCOUNT: dict[str, Schema] = {
    "company_ref": string(
        "The company account that placed it: the order is B2B, on payment terms, and "
        "its prices are the account's contract prices (no card is charged: invoice it "
        "on account when it ships, against `1220-trade-receivables`)."
    ),
    "po_number": _PO,
    "payment_terms": obj(
        "The order's payment terms.",
        {
            "type": const("NET"),
            "due_in_days": integer("Days from the invoice to its due date.", minimum=0),
        },
        title="WebPaymentTerms",
    ),
}

REMITTANCE_SENT = Message(
    "A company paid invoices on account",
    obj(
        "A company's payment advice from its payment run: the money it sent and what "
        "it pays on each order's invoice. A line may pay less than the invoice (the "
        "rest stays open); the same remittance may be sent twice (apply it once); it "
        "may name an invoice you have not posted yet (apply it once you have). Book it "
        "with the ERP's `post_customer_payment`.",
        {
            "type": const("remittance.sent"),
            "remittance_id": string("The remittance's id, unique across accounts."),
            "company_ref": string("The paying company."),
            "sent_at": sim_time("When the payment run sent it."),
            "amount_cents": integer("The money sent: the sum of the lines, cents.", minimum=0),
            "lines": array(
                obj(
                    "What it pays on one order's invoice.",
                    {
                        "order_ref": _ORDER_REF,
                        "po_number": _PO,
                        "amount_cents": integer("Paid on it, cents.", minimum=0),
                    },
                ),
                "The invoices paid.",
                min_items=1,
            ),
        },
        title="WebRemittanceSent",
    ),
    "remittance_id",
    {
        "type": "remittance.sent",
        "remittance_id": "RMT-0001-00001",
        "company_ref": "CO-0001",
        "sent_at": 129600.0,
        "amount_cents": 584472,
        "lines": [
            {"order_ref": "B2B-0001-00001", "po_number": "PO-0001-00001", "amount_cents": 584472}
        ],
    },
)

POST_CUSTOMER_PAYMENT = Operation(
    "Book a company's remittance against its invoices",
    "The deposit to the bank, and each line applied to the open balance of the order's "
    "invoice. The checker holds each booked remittance to what the company paid on each "
    "order, counts a remittance booked twice, and holds `1220-trade-receivables` to what "
    "the companies still owe for the orders invoiced; remittances sent and not booked "
    "are unapplied.",
    obj(
        "A remittance applied.",
        {
            "DocRef": doc_ref("It must be `RCPT-{remittance_id}`."),
            "RemittanceId": string("The remittance's `remittance_id`."),
            "Customer": string("The paying company (`company_ref`)."),
            "DepositCents": integer("What the company sent, cents.", minimum=0),
            "Lines": array(
                obj(
                    "One line, applied.",
                    {
                        "OrderRef": _ORDER_REF,
                        "PoNumber": _PO,
                        "PaidCents": integer("What the line paid, cents.", minimum=0),
                        "AppliedCents": integer(
                            "What was applied to the invoice's open balance, cents.", minimum=0
                        ),
                    },
                    title="ErpRemittanceLine",
                ),
                "Every line of the remittance.",
            ),
            "Journal": JOURNAL,
        },
    ),
    write_answers(),
    {
        "DocRef": "RCPT-RMT-0001-00001",
        "RemittanceId": "RMT-0001-00001",
        "Customer": "CO-0001",
        "DepositCents": 584472,
        "Lines": [
            {
                "OrderRef": "B2B-0001-00001",
                "PoNumber": "PO-0001-00001",
                "PaidCents": 584472,
                "AppliedCents": 584472,
            }
        ],
        "Journal": [
            {"account": "1000-cash", "dr": 584472, "cr": 0},
            {"account": "1220-trade-receivables", "dr": 0, "cr": 584472},
        ],
    },
)
