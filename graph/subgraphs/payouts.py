"""`Payout` and `PayoutLine`, served by the orders subgraph: `payouts`, `payout`.

Payouts belong with orders: every line is an order's money (its charge, its commission,
its refund, its chargeback) and links to the `Order`, which the orders subgraph owns,
so a line's order resolves in the same subgraph with no federation hop; the
operations subgraph is the integration's health, not its money. The types are built for
an order type they are given, as the orders subgraph's root fields are
(graph/subgraphs/roots.py): its own `Order` when served alone, the composed schema's
when composed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import strawberry

from graph.context import GraphInfo
from graph.resolvers import payouts as resolve
from graph.subgraphs import node
from graph.subgraphs.roots import RootTypes, connection_of
from graph.types.node import LookupId
from graph.types.orders import OrderFields
from graph.types.pagination import FILTER_HELP, After, Before, Connection, First, Last, PageArgs
from graph.types.payouts import (
    PAYOUT_HELP,
    PAYOUT_LINE_HELP,
    PAYOUT_LINE_ORDER_HELP,
    PAYOUT_LINES_HELP,
    PayoutFields,
    PayoutFilter,
    PayoutLineFields,
    PayoutLineFilter,
)
from graph.types.sorting import PAYOUTS_SORT_HELP, REVERSE_HELP, PayoutSortKeys

OrderT = TypeVar("OrderT", bound=OrderFields)

_LIST_HELP = (
    "A settling marketplace's payouts with their reconciliation state, the latest paid "
    "first unless `sortKey` says otherwise; `first`/`after` page forward, `last`/`before` "
    "back. Empty where no marketplace settles."
)


@dataclass(frozen=True, slots=True)
class PayoutSchema:
    """The payout types built for one order type, their root fields and their finder."""

    payout_type: type[PayoutFields]
    roots: RootTypes
    finder: node.Finder


def payout_schema(order_type: type[OrderT]) -> PayoutSchema:
    """`Payout` and `PayoutLine` whose lines link to `order_type`, and `payouts` and
    `payout` returning them. Fields returning a type built here name it as
    `graphql_type` (strawberry reads annotations in the module's namespace)."""

    @strawberry.type(name="PayoutLine", description=PAYOUT_LINE_HELP)
    class PayoutLine(PayoutLineFields):
        @strawberry.field(description=PAYOUT_LINE_ORDER_HELP, graphql_type=order_type | None)
        async def order(self, info: GraphInfo) -> OrderT | None:
            return await resolve.order_of_line(info, self.order_id, order_type)

    @strawberry.type(name="Payout", description=PAYOUT_HELP)
    class Payout(PayoutFields):
        @strawberry.field(description=PAYOUT_LINES_HELP, graphql_type=connection_of(PayoutLine))
        async def lines(
            self,
            info: GraphInfo,
            filter: Annotated[
                PayoutLineFilter | None, strawberry.argument(description=FILTER_HELP)
            ] = None,
            first: First = None,
            after: After = None,
            last: Last = None,
            before: Before = None,
        ) -> Connection[Any]:
            args = PageArgs(first, after, last, before)
            return await resolve.payout_lines(
                info, self.legacy_resource_id, filter, args, PayoutLine
            )

    @strawberry.type
    class Query:
        @strawberry.field(description=_LIST_HELP, graphql_type=connection_of(Payout))
        async def payouts(
            self,
            info: GraphInfo,
            filter: Annotated[
                PayoutFilter | None, strawberry.argument(description=FILTER_HELP)
            ] = None,
            first: First = None,
            after: After = None,
            last: Last = None,
            before: Before = None,
            sort_key: Annotated[
                PayoutSortKeys | None, strawberry.argument(description=PAYOUTS_SORT_HELP)
            ] = None,
            reverse: Annotated[bool, strawberry.argument(description=REVERSE_HELP)] = False,
        ) -> Connection[Any]:
            args = PageArgs(first, after, last, before)
            return await resolve.payouts_page(info, filter, sort_key, reverse, args, Payout)

        @strawberry.field(
            description="One payout by id (null if there is no such payout).",
            graphql_type=Payout | None,
        )
        async def payout(self, info: GraphInfo, id: LookupId) -> PayoutFields | None:
            return await resolve.load_payout(info, id, Payout)

    async def find(info: GraphInfo, raw: str) -> PayoutFields | None:
        return await resolve.load_payout(info, raw, Payout)

    return PayoutSchema(Payout, RootTypes(query=Query), find)
