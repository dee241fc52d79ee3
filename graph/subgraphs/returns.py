"""The returns subgraph: the `Return` entity with its lines, refund and credit memo
state and timeline; `return`/`returns`; `returnRequest`; and `Order.returns`, the
field this subgraph adds to the orders subgraph's `Order`."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

import strawberry

from graph.context import GraphInfo
from graph.resolvers import returns as resolve
from graph.subgraphs.refs import LocationRef, SkuRef
from graph.subgraphs.roots import ROOT_HELP, RootTypes, connection_of
from graph.types.common import SalesChannel, UserError
from graph.types.inputs import ReturnFilter, ReturnRequestInput
from graph.types.node import GLOBAL_ID_HELP, LookupId, NodeType, global_id, raw_id
from graph.types.orders import ORDER_HELP
from graph.types.pagination import FILTER_HELP, After, Before, Connection, First, Last, PageArgs
from graph.types.payloads import MutationPayload
from graph.types.returns import (
    RETURN_HELP,
    RETURN_LINE_HELP,
    RETURN_LINES_HELP,
    RETURN_LOCATION_HELP,
    RETURN_ORDER_HELP,
    SKU_RETURNED_HELP,
    ReturnFields,
    ReturnLineFields,
)
from graph.types.sorting import RETURNS_SORT_HELP, REVERSE_HELP, ReturnSortKeys


@strawberry.type(name="ReturnLine", description=RETURN_LINE_HELP)
class ReturnLine(ReturnLineFields):
    @strawberry.field(description=SKU_RETURNED_HELP)
    def sku(self) -> SkuRef:
        return SkuRef(id=global_id(NodeType.SKU, self.sku_id))


@strawberry.federation.type(keys=["id"], name="Order", description=ORDER_HELP)
class Order:
    id: strawberry.ID = strawberry.field(description=GLOBAL_ID_HELP)

    @strawberry.field(description="The order's returns, oldest request first.")
    async def returns(self, info: GraphInfo) -> list[Return]:
        order_id = raw_id(self.id, NodeType.ORDER, "id")
        return await resolve.returns_of_order(info, order_id, Return)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, **_: Any) -> Order:
        return cls(id=id)


@strawberry.federation.type(keys=["id"], name="Return", description=RETURN_HELP)
class Return(ReturnFields):
    @strawberry.field(description=RETURN_LINES_HELP)
    async def lines(self, info: GraphInfo) -> list[ReturnLine]:
        return [ReturnLine.from_domain(r) for r in await self.line_records(info)]

    @strawberry.field(description=RETURN_ORDER_HELP)
    def order(self) -> Order | None:
        if self.channel is SalesChannel.STORE:
            return None
        return Order(id=global_id(NodeType.ORDER, self.order_id))

    @strawberry.field(description=RETURN_LOCATION_HELP)
    def location(self) -> LocationRef | None:
        if self.location_id is None:
            return None
        return LocationRef(id=global_id(NodeType.LOCATION, self.location_id))

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID, **_: Any) -> Return | None:
        return await resolve.load_return(info, id, cls)


ReturnT = TypeVar("ReturnT", bound=ReturnFields)

_REQUEST_HELP = "Ask to send back goods of a delivered order, as its customer would."
_REQUEST_INPUT = strawberry.argument(description="The order and the lines coming back.")


def root_types(return_type: type[ReturnT]) -> RootTypes:
    """`return`/`returns` and `returnRequest`, returning `return_type`: this subgraph's
    `Return`, or the composed schema's (see `graph.subgraphs.orders.root_types`)."""

    @strawberry.type(description="What `returnRequest` did: the new return, or why not.")
    class ReturnRequestPayload(MutationPayload):
        return_: ReturnFields | None = strawberry.field(
            name="return",
            graphql_type=return_type | None,
            description="The return opened; null when refused.",
        )

    @strawberry.type(description=ROOT_HELP["Query"])
    class Query:
        @strawberry.field(
            name="return",
            description="One return by id (null if none).",
            graphql_type=return_type | None,
        )
        async def return_(self, info: GraphInfo, id: LookupId) -> ReturnT | None:
            return await resolve.load_return(info, id, return_type)

        @strawberry.field(
            description=(
                "Returns, newest request first unless `sortKey` says otherwise (the "
                "returns queue: `sortKey: CREATED_AT`, oldest first); `first`/`after` "
                "page forward, `last`/`before` back."
            ),
            graphql_type=connection_of(return_type),
        )
        async def returns(
            self,
            info: GraphInfo,
            filter: Annotated[
                ReturnFilter | None, strawberry.argument(description=FILTER_HELP)
            ] = None,
            first: First = None,
            after: After = None,
            last: Last = None,
            before: Before = None,
            sort_key: Annotated[
                ReturnSortKeys | None, strawberry.argument(description=RETURNS_SORT_HELP)
            ] = None,
            reverse: Annotated[bool, strawberry.argument(description=REVERSE_HELP)] = False,
        ) -> Connection[ReturnT]:
            args = PageArgs(first, after, last, before)
            return await resolve.returns_page(info, filter, sort_key, reverse, args, return_type)

    @strawberry.type(description=ROOT_HELP["Mutation"])
    class Mutation:
        @strawberry.mutation(graphql_type=ReturnRequestPayload, description=_REQUEST_HELP)
        async def return_request(
            self, info: GraphInfo, input: Annotated[ReturnRequestInput, _REQUEST_INPUT]
        ) -> ReturnRequestPayload:
            outcome = await resolve.request_return(info, input)
            ret = (
                None
                if outcome.id is None
                else await resolve.load_return(info, outcome.id, return_type)
            )
            return ReturnRequestPayload(return_=ret, user_errors=UserError.all_of(outcome))

    return RootTypes(query=Query, mutation=Mutation)


ROOTS = root_types(Return)
