"""Company orders' terms for a hub that cannot be read (an external one): rebuilt from
the B2B portal's and the ERP's records. An order is invoiced on account once the ERP
invoiced its sales order (then, and at the company's own figure for what it received);
what was paid on it is what the remittances the ERP booked applied to it."""

from __future__ import annotations

from hub.adapters.read_model.company_records import OrderTermsRecord, order_terms
from hub.model.order import Order
from hub.model.payment import PaymentState
from scenarios.twin.run_result import RunResult


def _invoiced_at(result: RunResult, ref: str) -> float:
    """When the ERP invoiced the order's sales order (-1: it has not)."""
    erp = result.estate.erp
    for number in erp.sales_orders_by_external_ref.get(ref, []):
        document = erp.documents[number]
        if document.status == "invoiced":
            return document.changed_at
    return -1.0


def ground_terms(result: RunResult) -> list[OrderTermsRecord]:
    portal = result.estate.b2b
    if portal is None:
        return []
    paid: dict[str, int] = {}
    for bookings in result.estate.erp.customer_payments.values():
        for ref, cents in bookings[0].applied.items():
            paid[ref] = paid.get(ref, 0) + cents
    records = []
    for ref, placed in portal.orders.items():
        invoiced_at = _invoiced_at(result, ref)
        payable = portal.payables.get(ref)
        invoiced = invoiced_at >= 0 and payable is not None
        records.append(
            order_terms(
                ref,
                placed.company_id,
                placed.po_number,
                placed.net_days,
                invoiced_at if invoiced else -1.0,
                payable.amount_cents if payable is not None and invoiced else 0,
                paid.get(ref, 0),
            )
        )
    return records


def on_account(result: RunResult, order: Order) -> None:
    """Give a company's order rebuilt from the systems its account, PO and terms, and,
    once the ERP invoiced it, its invoice on account (no gateway holds its money)."""
    portal = result.estate.b2b
    placed = portal.orders.get(order.order_id) if portal is not None else None
    if portal is None or placed is None:
        return
    order.company_id, order.po_number, order.net_days = (
        placed.company_id,
        placed.po_number,
        placed.net_days,
    )
    payable = portal.payables.get(order.order_id)
    if payable is not None and _invoiced_at(result, order.order_id) >= 0:
        order.payment_state = PaymentState.ON_ACCOUNT
        order.captured_cents = payable.amount_cents
