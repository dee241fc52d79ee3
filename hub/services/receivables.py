"""Receivables: companies' payments applied to the invoices they were sent on account.

An order on payment terms is invoiced on account when it ships (hub/services/
payment_leg.py): the sale is booked against the trade receivable. The company pays in
its own time, with a remittance naming the orders it pays. The hub applies each line to
that order's open balance (hub/model/receivables.py) and books the remittance in the
ERP (`post_customer_payment`): the money to the bank, the receivable cleared by what
was applied. A remittance that names an invoice not posted yet (the company paid on its
goods' arrival, before the ERP answered the invoice) waits and is tried again every
`MATCH_RETRY_S`; a short payment leaves the rest open; the same remittance sent twice
is applied once.
"""

from __future__ import annotations

from typing import assert_never

from hub.adapters import erp
from hub.context import HubContext
from hub.messages import RemittanceReceived
from hub.model.ledger import customer_payment_posting
from hub.model.order import Order
from hub.model.payment import PaymentState
from hub.model.receivables import Remittance, RemittanceLine, RemittanceStatus
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, DeadLettered, Ok, Rejected
from hub.services.erp_writer import ErpWriter

#: the timer that tries a remittance's invoices again
MATCH_TIMER = "remittance_match"
#: how long a remittance naming an invoice not posted yet waits before trying again
MATCH_RETRY_S = 300.0


class Receivables:
    def __init__(self, ctx: HubContext, erp_writer: ErpWriter) -> None:
        self._ctx = ctx
        self._writer = erp_writer
        #: remittance id -> the remittance, as received and applied
        self.remittances: dict[str, Remittance] = {}
        #: order id -> what remittances have applied to its invoice so far
        self.applied: dict[str, int] = {}
        erp_writer.on("post_customer_payment", self._on_posted)

    def on_remittance(self, event: RemittanceReceived) -> None:
        if event.remittance_id in self.remittances:
            self._ctx.count("duplicate_remittances_seen")
            return
        remittance = Remittance(
            event.remittance_id,
            event.company_id,
            self._ctx.clock.now(),
            event.amount_cents,
            [RemittanceLine(line) for line in event.lines],
        )
        self.remittances[event.remittance_id] = remittance
        self._ctx.count("remittances_received")
        self._apply(remittance)

    def on_match_due(self, remittance_id: str) -> None:
        remittance = self.remittances.get(remittance_id)
        if remittance is not None and remittance.status == RemittanceStatus.MATCHING:
            self._apply(remittance)

    def open_cents(self, order: Order) -> int:
        """What the company still owes on the order's invoice."""
        return order.captured_cents - self.applied.get(order.order_id, 0)

    def _invoice(self, order_id: str) -> Order | None:
        """The order whose invoice a line pays, once that invoice is posted on account."""
        order = self._ctx.orders.get(order_id)
        if order is None or not order.invoiced or order.payment_state != PaymentState.ON_ACCOUNT:
            return None
        return order

    def _apply(self, remittance: Remittance) -> None:
        invoices = [self._invoice(line.line.order_id) for line in remittance.lines]
        if any(order is None for order in invoices):
            self._ctx.count("remittances_waiting_for_invoices")
            self._ctx.scheduler.call_later(MATCH_RETRY_S, (MATCH_TIMER, remittance.remittance_id))
            return
        for line, order in zip(remittance.lines, invoices, strict=True):
            assert order is not None
            applied = max(0, min(line.line.amount_cents, self.open_cents(order)))
            line.applied_cents = applied
            self.applied[order.order_id] = self.applied.get(order.order_id, 0) + applied
        self._post(remittance)

    def _post(self, remittance: Remittance) -> None:
        remittance.status = RemittanceStatus.POSTING
        journal = customer_payment_posting(remittance.amount_cents, remittance.applied_cents)
        lines = [
            (
                line.line.order_id,
                line.line.po_number,
                line.line.amount_cents,
                line.applied_cents or 0,
            )
            for line in remittance.lines
        ]
        self._writer.submit(
            "post_customer_payment",
            erp.post_customer_payment(
                remittance.remittance_id,
                remittance.company_id,
                remittance.amount_cents,
                lines,
                journal,
            ),
            remittance.remittance_id,
        )

    def _on_posted(self, call: Call, result: CallResult) -> None:
        remittance = self.remittances[call.key]
        match result:
            case Ok(body=body):
                remittance.status = RemittanceStatus.BOOKED
                remittance.booked_at = self._ctx.clock.now()
                remittance.erp_document_no = erp.document_number(body)
            case Rejected() | DeadLettered():
                remittance.status = RemittanceStatus.FAILED
            case _:
                assert_never(result)
