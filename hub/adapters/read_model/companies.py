"""Company accounts (B2B) in the read model: their records, how a company's orders add
up to what it owes, and the reads the companies list, a company and an order's payment
terms make.

A company buys on payment terms (hub/model/order.py's `net_days`): each order it placed
has its terms (its PO number, its invoice on account and when it falls due, what was
paid on it), and the company's row sums them, so a list shows what each owes, and how
much of it is overdue, without reading its orders.

Two kinds of hub are shown alike, as with payouts: the built-in hub's terms are its own
(the invoice it posted, the remittances it applied); an external hub's are rebuilt from
the portal's and the ERP's records (scenarios/live/ground_companies.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.adapters.read_model import company_tables
from hub.adapters.read_model.keyset import Page, Window
from hub.adapters.read_model.payouts import PayoutQueries, PayoutStore
from hub.adapters.read_model.sorting import CompanySort, Sort

_companies = company_tables.companies
_terms = company_tables.order_terms

#: the order the companies list has when the client asks for none: by name
DEFAULT_COMPANIES = Sort(CompanySort.NAME)
DAY_S = 86400.0


@dataclass(frozen=True, slots=True)
class CompanyAccount:
    """A company's master data, as the B2B portal keeps it."""

    id: str
    name: str
    contact_email: str
    discount_pct: float
    negotiated_prices: int
    net_days: int


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


class CompanyStore(PayoutStore):
    """The companies' writes: accounts and order terms, each row replaced."""

    engine: AsyncEngine

    async def write_companies(
        self, companies: Sequence[CompanyRecord], terms: Sequence[OrderTermsRecord]
    ) -> None:
        if not companies and not terms:
            return
        async with self.engine.begin() as conn:
            await self._replace(conn, _companies, "id", [c.id for c in companies], companies)
            await self._replace(conn, _terms, "order_id", [t.order_id for t in terms], terms)


class CompanyQueries(PayoutQueries):
    """The companies' reads; a database written before companies were projected has no
    such tables and reads as holding none."""

    def _no_companies(self) -> bool:
        return bool(self.gaps) and self.gaps.narrowed(_companies) is None

    async def companies_page(
        self, window: Window, sort: Sort = DEFAULT_COMPANIES
    ) -> Page[CompanyRecord]:
        if self._no_companies():
            return Page([], [], 0, False, False)
        return await self._page(_companies, [], sort, window, CompanyRecord)

    async def companies_by_id(self, ids: Sequence[str]) -> dict[str, CompanyRecord]:
        if self._no_companies():
            return {}
        return await self._by_id(_companies, "id", ids, CompanyRecord)

    async def order_terms_by_order(self, ids: Sequence[str]) -> dict[str, OrderTermsRecord]:
        """The terms of the orders of `ids` that are a company's (others have none)."""
        if self._no_companies():
            return {}
        return await self._by_id(_terms, "order_id", ids, OrderTermsRecord)
