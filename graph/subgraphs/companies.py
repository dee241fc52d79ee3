"""`Company`, served by the orders subgraph: `companies`, `company`.

Companies belong with orders: a company is who placed its orders and what it owes on
them, and an order names its purchasing company, so both resolve in the same subgraph
with no federation hop.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from graph.context import GraphInfo
from graph.resolvers import companies as resolve
from graph.subgraphs.roots import RootTypes, connection_of
from graph.types.companies import Company
from graph.types.node import LookupId, Node
from graph.types.pagination import After, Before, Connection, First, Last, PageArgs
from graph.types.sorting import COMPANIES_SORT_HELP, REVERSE_HELP, CompanySortKeys

_LIST_HELP = (
    "The B2B portal's company accounts with what each owes, by name unless `sortKey` says "
    "otherwise; `first`/`after` page forward, `last`/`before` back. Empty without a portal."
)


@strawberry.type
class Query:
    @strawberry.field(description=_LIST_HELP, graphql_type=connection_of(Company))
    async def companies(
        self,
        info: GraphInfo,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        sort_key: Annotated[
            CompanySortKeys | None, strawberry.argument(description=COMPANIES_SORT_HELP)
        ] = None,
        reverse: Annotated[bool, strawberry.argument(description=REVERSE_HELP)] = False,
    ) -> Connection[Any]:
        return await resolve.companies_page(
            info, sort_key, reverse, PageArgs(first, after, last, before)
        )

    @strawberry.field(description="One company by id (null if there is no such company).")
    async def company(self, info: GraphInfo, id: LookupId) -> Company | None:
        return await resolve.load_company(info, id)


ROOTS = RootTypes(query=Query)


async def find(info: GraphInfo, raw: str) -> Node | None:
    return await resolve.load_company(info, raw)
