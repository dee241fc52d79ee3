"""Company accounts (B2B) as the read model's rows, and how a company's orders add up
to what it owes (companies.py writes and reads them through SQLAlchemy, run_file.py
writes a finished run's through sqlite3).

A company buys on payment terms (hub/model/order.py's `net_days`): each order it placed
has its terms (its PO number, its invoice on account and when it falls due, what was
paid on it), and the company's row sums them, so a list shows what each owes, and how
much of it is overdue, without reading its orders.

Built through `hub.frozen.direct_init`, as the other records are (records.py says why).
"""

from __future__ import annotations

from collections.abc import Iterable

from hub.adapters.read_model.record_class import frozen_row

DAY_S = 86400.0


@frozen_row
class CompanyAccount:
    """A company's master data, as the B2B portal keeps it."""

    id: str
    name: str
    contact_email: str
    discount_pct: float
    negotiated_prices: int
    net_days: int


@frozen_row
class OrderTermsRecord:
    order_id: str
    company_id: str
    po_number: str
    net_days: int
    invoiced_at: float
    due_at: float
    invoiced_cents: int
    paid_cents: int

    @property
    def open_cents(self) -> int:
        return max(0, self.invoiced_cents - self.paid_cents)

    def overdue(self, now: float) -> bool:
        """Money still owed after its due date."""
        return self.open_cents > 0 and 0 <= self.due_at < now


def order_terms(
    order_id: str,
    company_id: str,
    po_number: str,
    net_days: int,
    invoiced_at: float,
    invoiced_cents: int,
    paid_cents: int,
) -> OrderTermsRecord:
    """An order's terms; invoiced at `invoiced_at` (-1: not yet), due `net_days` later."""
    due_at = invoiced_at + net_days * DAY_S if invoiced_at >= 0 else -1.0
    return OrderTermsRecord(
        order_id,
        company_id,
        po_number,
        net_days,
        invoiced_at,
        due_at,
        invoiced_cents,
        paid_cents,
    )


@frozen_row
class CompanyRecord:
    id: str
    name: str
    contact_email: str
    discount_pct: float
    negotiated_prices: int
    net_days: int
    orders_count: int
    invoiced_cents: int
    paid_cents: int
    open_cents: int
    overdue_cents: int
    updated_at: float


def company_records(
    accounts: Iterable[CompanyAccount], terms: Iterable[OrderTermsRecord], now: float
) -> list[CompanyRecord]:
    """Each account with its orders' terms summed."""
    by_company: dict[str, list[OrderTermsRecord]] = {}
    for record in terms:
        by_company.setdefault(record.company_id, []).append(record)
    records = []
    for account in accounts:
        mine = by_company.get(account.id, [])
        records.append(
            CompanyRecord(
                account.id,
                account.name,
                account.contact_email,
                account.discount_pct,
                account.negotiated_prices,
                account.net_days,
                len(mine),
                sum(t.invoiced_cents for t in mine),
                sum(t.paid_cents for t in mine),
                sum(t.open_cents for t in mine),
                sum(t.open_cents for t in mine if t.overdue(now)),
                now,
            )
        )
    return records
