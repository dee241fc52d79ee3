"""The ERP leg: the books of orders and returns.

An order is booked in the ERP as a sales order, invoiced on delivery (with a sale
journal when money was taken) and cancelled there if the order is; a return is closed
with a credit memo that books the goods back into the ERP's stock and, when money went
back, reverses the sale. The leg runs alongside fulfilment rather than in front of it,
so an ERP outage delays the books but not the customer's parcel: an invoice simply
waits for its sales order. Every write goes through the ERP writer, which survives
timeouts without booking twice.

A problem with a document puts its order or return in the exception queue under the
"erp" facet; the document's success settles that facet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

from hub.adapters import erp
from hub.context import HubContext
from hub.model.erp_ledger import ErpStockLedger
from hub.model.ledger import (
    CASH,
    MARKETPLACE_RECEIVABLE,
    TRADE_RECEIVABLE,
    JournalLine,
    refund_posting,
    sale_posting,
)
from hub.model.order import Order, OrderStatus
from hub.model.payment import PaymentState
from hub.model.returns import Return
from hub.model.tax import TaxState
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, DeadLettered, Ok, Rejected
from hub.services.erp_writer import ErpWriter
from hub.services.tax_leg import TaxLeg

# enum members as globals (a read through the class costs 67 ns on Python 3.11,
# EnumType.__getattr__'s hook; a global 8): read for every order booked
_ON_ACCOUNT = PaymentState.ON_ACCOUNT
_CAPTURED = PaymentState.CAPTURED
_CANCELLED = OrderStatus.CANCELLED

#: payment states in which an invoice books the sale's money: charged, or owed on account
_MONEY_DUE = frozenset({_CAPTURED, _ON_ACCOUNT})


class ErpLeg:
    def __init__(self, ctx: HubContext, erp_writer: ErpWriter, tax_leg: TaxLeg) -> None:
        self._ctx = ctx
        self._writer = erp_writer
        self._tax = tax_leg
        # read once (the policy is fixed for the hub's life), not at every posting
        self._drop_tax = ctx.policy.has_defect("unbalanced_journal")
        tax_leg.committed.append(lambda order: self.post_delivery(order, with_money=True))
        tax_leg.reversed.append(self.post_credit_memo)
        #: told when a live order's sales order is booked, before a waiting invoice goes
        self.sales_order_booked: list[Callable[[Order], None]] = []
        #: told when a return's credit memo is booked: the return is closed in the books
        self.credit_memo_booked: list[Callable[[Return], None]] = []
        erp_writer.on("create_sales_order", self._on_sales_order_booked)
        erp_writer.on("cancel_sales_order", self._on_sales_order_cancelled)
        erp_writer.on("post_delivery_invoice", self._on_invoiced)
        erp_writer.on("post_credit_memo", self._on_credit_memo)

    @property
    def ledger(self) -> ErpStockLedger:
        """What the ERP's stock should still be behind by; legs tell it what they heard."""
        return self._writer.ledger

    # -- orders ------------------------------------------------------------------------

    def book_sales_order(self, order: Order) -> None:
        self._writer.submit(
            "create_sales_order",
            {
                **erp.create_sales_order(order),
                "ExternalRef": order.channel_order_id,
                "DocRef": order.order_id,
            },
            order.order_id,
        )

    def cancel_sales_order(self, order: Order) -> None:
        self._writer.submit(
            "cancel_sales_order",
            {**erp.cancel_sales_order(order.erp_order_no), "DocRef": f"CXL-{order.order_id}"},
            order.order_id,
        )

    def post_delivery(self, order: Order, with_money: bool) -> None:
        """Invoice what left the building, with the sale journal if money was taken;
        without a sales order yet, the invoice waits for it, and with a tax engine it
        waits for the delivered goods' tax to be committed there (the liability it
        books)."""
        if not order.erp_order_no:
            order.invoice_due = True
            return
        if with_money and self._tax.enabled and not self._tax.is_committed(order):
            self._tax.commit(order)
            return
        items = [(line.sku, line.shipped_quantity) for line in order.lines if line.shipped_quantity]
        journal = []
        if with_money:
            net = sum(line.unit_price_cents * line.shipped_quantity for line in order.lines)
            discount = sum(
                line.discount_per_unit_cents * line.shipped_quantity for line in order.lines
            )
            tax = order.captured_cents - net
            journal = sale_posting(
                net,
                tax,
                drop_tax=self._drop_tax,
                discount_cents=discount,
                liability_cents=order.tax_liability_cents if self._tax.enabled else tax,
                cash_account=_owed_by(order),
            )
        if order.legs:  # shipped in parts: each line leaves its own DC's books
            self._invoice_parts(order, journal)
            return
        self._writer.submit(
            "post_delivery_invoice",
            erp.post_delivery_invoice(
                order.erp_order_no, f"INV-{order.order_id}", order.location, items, journal
            ),
            order.order_id,
            stock=(order.location, [(sku, -quantity) for sku, quantity in items]),
        )

    def _invoice_parts(self, order: Order, journal: list[JournalLine]) -> None:
        """One invoice for a split order, its lines naming the DC each left from."""
        by_plant: dict[str, list[tuple[str, int]]] = {}
        plants: dict[str, str] = {}
        for line in order.lines:
            if line.shipped_quantity:
                plant = order.location_of(line)
                plants[line.sku] = plant
                by_plant.setdefault(plant, []).append((line.sku, -line.shipped_quantity))
        items = [(line.sku, line.shipped_quantity) for line in order.lines if line.shipped_quantity]
        postings = [(plant, moves) for plant, moves in by_plant.items()]
        self._writer.submit(
            "post_delivery_invoice",
            erp.post_delivery_invoice(
                order.erp_order_no,
                f"INV-{order.order_id}",
                order.location,
                items,
                journal,
                plants,
            ),
            order.order_id,
            stock=postings[0] if postings else None,
            more_stock=tuple(postings[1:]),
        )

    def _on_sales_order_booked(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        match result:
            case Ok(body=body):
                if not order.erp_order_no:
                    self._booked(order, erp.document_number(body))
            case Rejected(reason=reason):
                order.flag("erp", f"ERP rejected sales order: {reason}", self._ctx.clock.now())
            case DeadLettered(reason):
                order.flag("erp", f"ERP sales order dead-lettered: {reason}", self._ctx.clock.now())
            case _:
                assert_never(result)

    def _booked(self, order: Order, number: str) -> None:
        order.clear("erp")
        order.erp_order_no = number
        order.erp_booked_at = self._ctx.clock.now()
        if order.status == _CANCELLED:
            self.cancel_sales_order(order)
            return
        for listener in self.sales_order_booked:
            listener(order)
        if order.invoice_due:
            order.invoice_due = False
            # money was taken, or (a company's order) invoiced on account
            self.post_delivery(order, with_money=order.payment_state in _MONEY_DUE)

    def _on_sales_order_cancelled(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        match result:
            case Ok():
                order.clear("erp")
            case Rejected(reason=reason) | DeadLettered(reason=reason):
                order.flag("erp", f"ERP cancel failed: {reason}", self._ctx.clock.now())
            case _:
                assert_never(result)

    def _on_invoiced(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        match result:
            case Ok():
                order.clear("erp")
                order.invoiced = True
            case Rejected(reason=reason) | DeadLettered(reason=reason):
                order.flag("erp", f"ERP invoice failed: {reason}", self._ctx.clock.now())
            case _:
                assert_never(result)

    # -- returns -----------------------------------------------------------------------

    def post_credit_memo(self, ret: Return, with_money: bool = True) -> None:
        """The credit memo books the goods back into the ERP's stock and, when money
        went back, reverses the sale in the journal; with a tax engine, once the goods'
        tax is reversed there (the liability it takes off)."""
        if self._ctx.policy.has_defect("skip_credit_memo"):
            return
        net = sum(line.refund_cents for line in ret.lines)
        tax = sum(line.tax_cents for line in ret.lines)
        reversed_liability = self._reversed_liability(ret, tax) if with_money else tax
        if reversed_liability is None:
            return  # the credit memo waits for the engine's reversal
        self._writer.submit(
            "post_credit_memo",
            erp.post_credit_memo(
                f"CM-{ret.return_id}",
                ret.order_id,
                ret.location,
                [(line.sku, line.quantity) for line in ret.lines],
                (
                    refund_posting(
                        net, tax, reversed_liability, _owed_by(self._ctx.orders.get(ret.order_id))
                    )
                    if with_money
                    else []
                ),
            ),
            ret.return_id,
            stock=(ret.location, [(line.sku, line.quantity) for line in ret.lines]),
        )

    def _reversed_liability(self, ret: Return, tax_paid_back: int) -> int | None:
        """The tax liability a refunded return takes off: what the engine reversed
        (None: asked for, not answered yet) for the goods of an order the engine
        taxed; what was paid back for a store sale, whose tax the tills work out."""
        order = self._ctx.orders.get(ret.order_id)
        if order is None or order.tax_state == TaxState.NONE:
            return tax_paid_back
        if self._ctx.policy.has_defect("skip_tax_reversal"):
            return tax_paid_back  # the seeded defect: the engine never hears of it
        if ret.tax_reversed_cents < 0:
            self._tax.reverse(ret)
            return None
        return ret.tax_reversed_cents

    def _on_credit_memo(self, call: Call, result: CallResult) -> None:
        ret = self._ctx.returns[call.key]
        match result:
            case Ok(body=body):
                ret.clear("erp")
                ret.credit_memo_no = erp.document_number(body)
                for listener in self.credit_memo_booked:
                    listener(ret)
            case Rejected(reason=reason) | DeadLettered(reason=reason):
                ret.flag("erp", f"credit memo failed: {reason}", self._ctx.clock.now())
            case _:
                assert_never(result)


def _owed_by(order: Order | None) -> str:
    """The account a sale's money is in: the bank; the channel's receivable when the
    channel took the money and pays it over in its settlements; the trade receivable
    when a company was invoiced on account and pays later."""
    if order is None:
        return CASH
    if order.payment_state == _ON_ACCOUNT:
        return TRADE_RECEIVABLE
    return MARKETPLACE_RECEIVABLE if order.paid_by_channel else CASH
