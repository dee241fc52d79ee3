"""Company accounts and their orders' terms for the read model, from the B2B portal's
accounts (master data: the system of record for who a company is) and the built-in
hub's orders: the invoice it posted on account (an order invoiced when it shipped) and
what the remittances it applied paid on it."""

from __future__ import annotations

from hub.adapters.read_model.company_records import CompanyAccount, OrderTermsRecord, order_terms
from hub.core import Hub
from hub.model.payment import PaymentState
from simulators.b2b import B2bPortal


def company_accounts(portal: B2bPortal) -> list[CompanyAccount]:
    return [
        CompanyAccount(
            c.company_id,
            c.name,
            c.contact_email,
            round(c.discount_pct, 2),
            len(c.contract_prices),
            portal.config.net_days,
        )
        for c in portal.companies.values()
    ]


def hub_terms(hub: Hub) -> list[OrderTermsRecord]:
    """Each company order's terms as the hub holds them."""
    applied = hub.receivables.applied
    records = []
    for order in hub.ctx.orders.values():
        if not order.company_id:
            continue
        invoiced = order.invoiced and order.payment_state == PaymentState.ON_ACCOUNT
        records.append(
            order_terms(
                order.order_id,
                order.company_id,
                order.po_number,
                order.net_days,
                order.shipped_at if invoiced else -1.0,
                order.captured_cents if invoiced else 0,
                applied.get(order.order_id, 0),
            )
        )
    return records
