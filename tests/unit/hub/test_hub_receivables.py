"""A company's order on account: no card meets it, its shipment is invoiced against the
trade receivable, and the company's remittance is applied to its invoice once: a
remittance naming an invoice not posted yet waits for it, a short one leaves the rest
open, the same one received twice is applied once."""

from __future__ import annotations

from typing import Any

from hub_fakes import DC, SKU, Harness, booked, quiet_policy, web_order, wms_shipment

from hub.model.ledger import CASH, TRADE_RECEIVABLE
from hub.model.payment import PaymentState
from hub.model.receivables import RemittanceStatus
from hub.services.receivables import MATCH_RETRY_S, MATCH_TIMER

#: five units shipped at 1000 net, and the line's 200 of tax (hub_fakes' lines)
INVOICE_CENTS = 5 * 1000 + 200


def b2b_order(ref: str = "B2B-0001-00001", qty: int = 5) -> dict[str, Any]:
    order = web_order(ref, [(SKU, qty)], customer="CO-0001")
    order.update(
        company_ref="CO-0001",
        po_number="PO-0001-00001",
        payment_terms={"type": "NET", "due_in_days": 30},
    )
    return order


def remittance(rid: str, paid: int, ref: str = "B2B-0001-00001") -> dict[str, Any]:
    return {
        "type": "remittance.sent",
        "remittance_id": rid,
        "company_ref": "CO-0001",
        "sent_at": 0.0,
        "amount_cents": paid,
        "lines": [{"order_ref": ref, "po_number": "PO-0001-00001", "amount_cents": paid}],
    }


def shipped(h: Harness, ref: str = "B2B-0001-00001", qty: int = 5) -> None:
    h.deliver("web", b2b_order(ref, qty))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("wms", "release_order", 200)
    h.deliver("wms", wms_shipment(ref, "SH-1", [(SKU, qty, 0)], stock=[(SKU, 5, 1)], dc=DC))


def journal_of(h: Harness, operation: str) -> dict[str, tuple[int, int]]:
    [request] = h.transport.open("erp", operation)
    return {line["account"]: (line["dr"], line["cr"]) for line in request.body["Journal"]}


def test_a_company_order_is_invoiced_on_account_without_the_gateway() -> None:
    h = Harness()
    shipped(h)
    order = h.order("B2B-0001-00001")
    assert order.channel == "b2b" and order.po_number == "PO-0001-00001"
    assert order.payment_state == PaymentState.ON_ACCOUNT
    assert h.transport.sent("payment") == []
    journal = journal_of(h, "post_delivery_invoice")
    assert journal[TRADE_RECEIVABLE] == (INVOICE_CENTS, 0)
    assert CASH not in journal


def test_the_seeded_defect_charges_the_company_card() -> None:
    h = Harness(policy=quiet_policy(defects=frozenset({"capture_b2b_on_card"})))
    h.deliver("web", b2b_order())
    assert len(h.transport.sent("payment", "authorize")) == 1


def test_a_remittance_waits_for_its_invoice_and_a_short_one_leaves_the_rest_open() -> None:
    h = Harness()
    h.deliver("web", remittance("RMT-1", 4000))  # paid before the goods came
    assert h.hub.receivables.remittances["RMT-1"].status == RemittanceStatus.MATCHING
    assert h.transport.sent("erp", "post_customer_payment") == []
    shipped(h)
    h.answer_open("erp", "post_delivery_invoice", 201, booked("INV-1"))
    h.advance(MATCH_RETRY_S)
    journal = journal_of(h, "post_customer_payment")
    assert journal == {CASH: (4000, 0), TRADE_RECEIVABLE: (0, 4000)}
    order = h.order("B2B-0001-00001")
    assert h.hub.receivables.open_cents(order) == INVOICE_CENTS - 4000
    assert h.scheduler.pending_of(MATCH_TIMER) == []


def test_the_same_remittance_twice_is_applied_once_and_an_overpayment_is_unapplied() -> None:
    h = Harness()
    shipped(h)
    h.answer_open("erp", "post_delivery_invoice", 201, booked("INV-1"))
    h.deliver("web", remittance("RMT-1", 6000))
    h.deliver("web", remittance("RMT-1", 6000))
    [request] = h.transport.sent("erp", "post_customer_payment")
    assert request.body["DocRef"] == "RCPT-RMT-1"
    assert request.body["Lines"][0]["AppliedCents"] == INVOICE_CENTS
    lines = {line["account"]: (line["dr"], line["cr"]) for line in request.body["Journal"]}
    assert lines["2300-unapplied-cash"] == (0, 6000 - INVOICE_CENTS)
    assert h.hub.ctx.counters["duplicate_remittances_seen"] == 1


def test_an_invoice_that_waited_for_its_sales_order_still_books_the_receivable() -> None:
    """Shipped while the ERP had not booked the sales order: the invoice waits, and
    when it goes it carries the sale on account (the library's b2b-net-terms found it
    going out without its journal)."""
    h = Harness()
    h.deliver("web", b2b_order())
    h.answer_open("wms", "release_order", 200)
    h.deliver("wms", wms_shipment("B2B-0001-00001", "SH-1", [(SKU, 5, 0)], stock=[(SKU, 5, 1)]))
    assert h.transport.sent("erp", "post_delivery_invoice") == []
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    assert journal_of(h, "post_delivery_invoice")[TRADE_RECEIVABLE] == (INVOICE_CENTS, 0)
