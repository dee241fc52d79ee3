"""Companies: the list, and one company by id."""

from __future__ import annotations

from graph.context import GraphInfo
from graph.types.companies import Company
from graph.types.node import NodeType, raw_id
from graph.types.pagination import Connection, PageArgs, connection, window
from graph.types.sorting import CompanySortKeys, company_sort


async def load_company(info: GraphInfo, company_id: str) -> Company | None:
    """The company of a global id or a raw (portal) id."""
    record = await info.context.loaders.company.load(raw_id(company_id, NodeType.COMPANY, "id"))
    return None if record is None else Company.from_domain(record)


async def companies_page(
    info: GraphInfo, sort_key: CompanySortKeys | None, reverse: bool, args: PageArgs
) -> Connection[Company]:
    sort = company_sort(sort_key, reverse)
    page = await info.context.read_model.companies_page(window("companies", sort, args), sort)
    return connection("companies", sort, page, Company.from_domain)
