"""The read model's tables of company accounts (the B2B portal's) and the payment terms
of their orders.

Kept apart from tables.py (at its size limit) on the same `metadata`, so the schema is
created, probed for gaps and cleared with the rest. Both tables are ones a later version
added: an older read model gains them empty (no companies), as it gained `payouts`.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, Table

from hub.adapters.read_model.tables import CodePointText, metadata

#: a company account with its contract terms and what it owes, summed from its orders
companies = Table(
    "companies",
    metadata,
    Column("id", CodePointText, primary_key=True),
    Column("name", CodePointText, nullable=False),
    Column("contact_email", CodePointText, nullable=False),
    # its account-wide discount off list, and how many SKUs have a negotiated price
    Column("discount_pct", Float, nullable=False),
    Column("negotiated_prices", Integer, nullable=False),
    Column("net_days", Integer, nullable=False),
    Column("orders_count", Integer, nullable=False),
    Column("invoiced_cents", Integer, nullable=False),
    Column("paid_cents", Integer, nullable=False),
    Column("open_cents", Integer, nullable=False),
    Column("overdue_cents", Integer, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_companies_name", "name", "id"),
)

#: a company's order's terms: its account, its PO number, its invoice and payment
order_terms = Table(
    "order_terms",
    metadata,
    Column("order_id", CodePointText, primary_key=True),
    Column("company_id", CodePointText, nullable=False),
    Column("po_number", CodePointText, nullable=False),
    Column("net_days", Integer, nullable=False),
    # when it was invoiced on account and falls due (-1: not invoiced yet)
    Column("invoiced_at", Float, nullable=False),
    Column("due_at", Float, nullable=False),
    Column("invoiced_cents", Integer, nullable=False),
    Column("paid_cents", Integer, nullable=False),
    Index("ix_order_terms_company", "company_id"),
)
