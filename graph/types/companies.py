"""Company accounts (B2B) and the payment terms of their orders, after Shopify's B2B
conventions: a `Company` with its contract terms and what it owes, and an order's
`paymentTerms` (`paymentTermsType`, `dueInDays`, `dueAt`, `overdue`).

A company buys through the store's B2B side at its contract prices, with a purchase-order
number, on payment terms: the hub invoices what ships on account and applies the
company's remittances later (hub/services/receivables.py). Fields only; the schema that
serves them (graph/subgraphs/companies.py) adds the root fields.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry

from graph.types.enum_values import enum_value
from graph.types.money import Money
from graph.types.node import Node, NodeType, global_id
from graph.types.time import at, maybe_at
from hub.adapters.read_model.company_records import CompanyRecord, OrderTermsRecord

COMPANY_HELP = (
    "A company account of the B2B portal: who it is, its contract terms (payment terms, "
    "its discount off list and negotiated prices) and what it owes on its invoices."
)


@strawberry.enum(description="How an invoice's due date is set (Shopify's PaymentTermsType).")
class PaymentTermsType(Enum):
    NET = enum_value("NET", description="Due a number of days (`dueInDays`) after the invoice.")
    RECEIPT = enum_value("RECEIPT", description="Due on receipt of the invoice.")

    @classmethod
    def of_days(cls, days: int) -> PaymentTermsType:
        return cls.RECEIPT if days <= 0 else cls.NET


def _terms_name(days: int) -> str:
    return "Due on receipt" if days <= 0 else f"Net {days}"


@strawberry.type(description="A company's payment terms, as its orders get them.")
class PaymentTermsTemplate:
    name: str = strawberry.field(description='The terms\' name ("Net 30", "Due on receipt").')
    payment_terms_type: PaymentTermsType = strawberry.field(
        description="How an invoice's due date is set."
    )
    due_in_days: int | None = strawberry.field(
        description="Days from the invoice to its due date (null: due on receipt)."
    )

    @classmethod
    def of_days(cls, days: int) -> Self:
        kind = PaymentTermsType.of_days(days)
        return cls(
            name=_terms_name(days),
            payment_terms_type=kind,
            due_in_days=days if kind is PaymentTermsType.NET else None,
        )


@strawberry.type(description="A company order's payment terms, its invoice and its payment.")
class PaymentTerms:
    payment_terms_name: str = strawberry.field(
        description='The terms\' name ("Net 30", "Due on receipt").'
    )
    payment_terms_type: PaymentTermsType = strawberry.field(
        description="How the invoice's due date is set."
    )
    due_in_days: int | None = strawberry.field(
        description="Days from the invoice to its due date (null: due on receipt)."
    )
    invoiced_at: datetime | None = strawberry.field(
        description="When what shipped was invoiced on account (null: not yet)."
    )
    due_at: datetime | None = strawberry.field(
        description="When the invoice falls due (null: not invoiced yet)."
    )
    overdue: bool = strawberry.field(
        description="Money is still owed on it after its due date (as of the read model's now)."
    )
    invoiced: Money = strawberry.field(description="What was invoiced, tax included.")
    paid: Money = strawberry.field(
        description="What the company's remittances paid on it, as applied."
    )
    outstanding: Money = strawberry.field(description="What is still owed on it.")

    @classmethod
    def from_domain(cls, record: OrderTermsRecord, now: float) -> Self:
        kind = PaymentTermsType.of_days(record.net_days)
        return cls(
            payment_terms_name=_terms_name(record.net_days),
            payment_terms_type=kind,
            due_in_days=record.net_days if kind is PaymentTermsType.NET else None,
            invoiced_at=maybe_at(record.invoiced_at),
            due_at=maybe_at(record.due_at),
            overdue=record.overdue(now),
            invoiced=Money.of_cents(record.invoiced_cents),
            paid=Money.of_cents(record.paid_cents),
            outstanding=Money.of_cents(record.open_cents),
        )


@strawberry.type(description=COMPANY_HELP)
class Company(Node):
    legacy_resource_id: str = strawberry.field(
        description="The portal's own id of the company (CO-0001)."
    )
    name: str = strawberry.field(description="The company's name.")
    contact_email: str = strawberry.field(
        description="Where its accounts-payable contact takes invoices."
    )
    payment_terms: PaymentTermsTemplate = strawberry.field(
        description="The payment terms its orders get."
    )
    contract_discount_percent: float = strawberry.field(
        description="Its account-wide discount off list, in percent."
    )
    negotiated_price_count: int = strawberry.field(
        description="How many SKUs have a negotiated price below that discount."
    )
    orders_count: int = strawberry.field(description="The orders it placed.")
    total_invoiced: Money = strawberry.field(description="What it was invoiced on account.")
    total_paid: Money = strawberry.field(description="What its remittances paid, as applied.")
    open_receivable: Money = strawberry.field(description="What it still owes on its invoices.")
    overdue_receivable: Money = strawberry.field(description="Of that, what is past its due date.")
    updated_at: datetime = strawberry.field(description="When these figures were last projected.")

    @classmethod
    def from_domain(cls, record: CompanyRecord) -> Self:
        return cls(
            id=global_id(NodeType.COMPANY, record.id),
            legacy_resource_id=record.id,
            name=record.name,
            contact_email=record.contact_email,
            payment_terms=PaymentTermsTemplate.of_days(record.net_days),
            contract_discount_percent=record.discount_pct,
            negotiated_price_count=record.negotiated_prices,
            orders_count=record.orders_count,
            total_invoiced=Money.of_cents(record.invoiced_cents),
            total_paid=Money.of_cents(record.paid_cents),
            open_receivable=Money.of_cents(record.open_cents),
            overdue_receivable=Money.of_cents(record.overdue_cents),
            updated_at=at(record.updated_at),
        )
