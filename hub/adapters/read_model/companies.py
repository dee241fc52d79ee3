"""Company accounts (B2B) in the read model: their writes and the reads the companies
list, a company and an order's payment terms make (their rows, and how a company's
orders add up to what it owes, are company_records.py's).

A company buys on payment terms (hub/model/order.py's `net_days`): each order it placed
has its terms (its PO number, its invoice on account and when it falls due, what was
paid on it), and the company's row sums them, so a list shows what each owes, and how
much of it is overdue, without reading its orders.

Two kinds of hub are shown alike, as with payouts: the built-in hub's terms are its own
(the invoice it posted, the remittances it applied); an external hub's are rebuilt from
the portal's and the ERP's records (scenarios/live/ground_companies.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.adapters.read_model import company_tables
from hub.adapters.read_model.company_records import CompanyRecord, OrderTermsRecord
from hub.adapters.read_model.keyset import Page, Window
from hub.adapters.read_model.payouts import PayoutQueries, PayoutStore
from hub.adapters.read_model.sorting import CompanySort, Sort

_companies = company_tables.companies
_terms = company_tables.order_terms

#: the order the companies list has when the client asks for none: by name
DEFAULT_COMPANIES = Sort(CompanySort.NAME)


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
