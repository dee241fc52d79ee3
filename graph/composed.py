"""The composed schema the default server serves: the four subgraphs' fields on one set
of types, with every entity reference resolved in-process.

Apollo composition would produce the same API from the subgraphs (a test proves it
through Hive Gateway); composing here means the default server needs no gateway and
answers a cross-subgraph query (an order, its returns, its SKUs' stock) from one
process, in one round of DataLoader batches per level. The field groups are shared with
the subgraphs (graph/types/); only the fields that point at another subgraph's entity
are declared again here, resolving the full entity instead of a reference. Inventory's
types already resolve their own entities, so the composed schema uses them as they are.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from graph.context import GraphInfo
from graph.resolvers import inventory as inventory_resolve
from graph.resolvers import orders as orders_resolve
from graph.resolvers import returns as returns_resolve
from graph.resolvers.orders import user_errors
from graph.subgraphs.inventory import Location, Sku
from graph.types.common import SalesChannel, UserError
from graph.types.inputs import (
    OrderCancelInput,
    OrderCreateInput,
    OrderFilter,
    ReturnFilter,
    ReturnRequestInput,
)
from graph.types.orders import OrderFields, OrderLineFields
from graph.types.pagination import Connection
from graph.types.returns import RETURN_ORDER_HELP, ReturnFields, ReturnLineFields


class DanglingReference(LookupError):
    """A record points at a SKU the read model does not have (never expected: the
    projector writes the whole catalogue); masked as an internal error."""


async def _sku(info: GraphInfo, sku_id: str) -> Sku:
    sku = await inventory_resolve.load_sku(info, sku_id, Sku)
    if sku is None:
        raise DanglingReference(f"SKU {sku_id} is not in the read model")
    return sku


@strawberry.type(name="OrderLine")
class OrderLine(OrderLineFields):
    @strawberry.field
    async def sku(self, info: GraphInfo) -> Sku:
        return await _sku(info, self.sku_id)


@strawberry.type(name="ReturnLine")
class ReturnLine(ReturnLineFields):
    @strawberry.field
    async def sku(self, info: GraphInfo) -> Sku:
        return await _sku(info, self.sku_id)


@strawberry.type(name="Order")
class Order(OrderFields):
    @strawberry.field
    async def lines(self, info: GraphInfo) -> list[OrderLine]:
        return [OrderLine.from_domain(r) for r in await self.line_records(info)]

    @strawberry.field
    async def fulfilment_location(self, info: GraphInfo) -> Location | None:
        if self.fulfilment_location_id is None:
            return None
        return await inventory_resolve.load_location(info, self.fulfilment_location_id, Location)

    @strawberry.field(description="The order's returns, oldest request first.")
    async def returns(self, info: GraphInfo) -> list[Return]:
        return await returns_resolve.returns_of_order(info, self.id, Return)


@strawberry.type(name="Return")
class Return(ReturnFields):
    @strawberry.field
    async def lines(self, info: GraphInfo) -> list[ReturnLine]:
        return [ReturnLine.from_domain(r) for r in await self.line_records(info)]

    @strawberry.field(description=RETURN_ORDER_HELP)
    async def order(self, info: GraphInfo) -> Order | None:
        if self.channel is SalesChannel.STORE:
            return None
        return await orders_resolve.load_order(info, self.order_id, Order)

    @strawberry.field
    async def location(self, info: GraphInfo) -> Location | None:
        if self.location_id is None:
            return None
        return await inventory_resolve.load_location(info, self.location_id, Location)


@strawberry.type
class OrderCreatePayload:
    order: Order | None
    user_errors: list[UserError]


@strawberry.type
class OrderCancelPayload:
    order: Order | None
    user_errors: list[UserError]


@strawberry.type
class ReturnRequestPayload:
    return_: Return | None = strawberry.field(name="return")
    user_errors: list[UserError]


@strawberry.type(name="Query")
class Query:
    @strawberry.field(description="One order by id (null if there is no such order).")
    async def order(self, info: GraphInfo, id: strawberry.ID) -> Order | None:
        return await orders_resolve.load_order(info, id, Order)

    @strawberry.field(description="Orders, newest first.")
    async def orders(
        self,
        info: GraphInfo,
        filter: OrderFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Order]:
        return await orders_resolve.orders_page(info, filter, first, after, Order)

    @strawberry.field(name="return", description="One return by id (null if none).")
    async def return_(self, info: GraphInfo, id: strawberry.ID) -> Return | None:
        return await returns_resolve.load_return(info, id, Return)

    @strawberry.field(description="Returns, newest request first.")
    async def returns(
        self,
        info: GraphInfo,
        filter: ReturnFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Return]:
        return await returns_resolve.returns_page(info, filter, first, after, Return)


@strawberry.type(name="Mutation")
class Mutation:
    @strawberry.mutation
    async def order_create(self, info: GraphInfo, input: OrderCreateInput) -> OrderCreatePayload:
        outcome = await orders_resolve.create_order(info, input)
        order = (
            None if outcome.id is None else await orders_resolve.load_order(info, outcome.id, Order)
        )
        return OrderCreatePayload(order=order, user_errors=user_errors(outcome))

    @strawberry.mutation
    async def order_cancel(self, info: GraphInfo, input: OrderCancelInput) -> OrderCancelPayload:
        outcome = await orders_resolve.cancel_order(info, input)
        order = (
            None if outcome.id is None else await orders_resolve.load_order(info, outcome.id, Order)
        )
        return OrderCancelPayload(order=order, user_errors=user_errors(outcome))

    @strawberry.mutation
    async def return_request(
        self, info: GraphInfo, input: ReturnRequestInput
    ) -> ReturnRequestPayload:
        outcome = await returns_resolve.request_return(info, input)
        ret = (
            None
            if outcome.id is None
            else await returns_resolve.load_return(info, outcome.id, Return)
        )
        return ReturnRequestPayload(return_=ret, user_errors=user_errors(outcome))


@strawberry.type(name="Subscription")
class Subscription:
    @strawberry.subscription
    async def order_updated(
        self, info: GraphInfo, id: strawberry.ID
    ) -> AsyncGenerator[Order, None]:
        async for order in orders_resolve.order_updates(info, id, Order):
            yield order
