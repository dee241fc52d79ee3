"""The orders subgraph: the `Order` entity, its lines, payments, shipments, history,
timeline and cross-system view; `order`/`orders`; `orderCreate`/`orderCancel`;
`orderUpdated`. SKUs and locations are references the inventory subgraph resolves."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import strawberry

from graph.context import GraphInfo
from graph.resolvers import orders as resolve
from graph.subgraphs.refs import LocationRef, SkuRef
from graph.types.common import UserError
from graph.types.inputs import OrderCancelInput, OrderCreateInput, OrderFilter
from graph.types.orders import OrderFields, OrderLineFields
from graph.types.pagination import Connection


@strawberry.type(name="OrderLine")
class OrderLine(OrderLineFields):
    @strawberry.field
    def sku(self) -> SkuRef:
        return SkuRef(id=self.sku_id)


@strawberry.federation.type(keys=["id"], name="Order")
class Order(OrderFields):
    @strawberry.field
    async def lines(self, info: GraphInfo) -> list[OrderLine]:
        return [OrderLine.from_domain(r) for r in await self.line_records(info)]

    @strawberry.field
    def fulfilment_location(self) -> LocationRef | None:
        if self.fulfilment_location_id is None:
            return None
        return LocationRef(id=strawberry.ID(self.fulfilment_location_id))

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID, **_: Any) -> Order | None:
        return await resolve.load_order(info, id, cls)


@strawberry.type
class OrderCreatePayload:
    order: Order | None
    user_errors: list[UserError]


@strawberry.type
class OrderCancelPayload:
    order: Order | None
    user_errors: list[UserError]


@strawberry.type
class Query:
    @strawberry.field(description="One order by id (null if there is no such order).")
    async def order(self, info: GraphInfo, id: strawberry.ID) -> Order | None:
        return await resolve.load_order(info, id, Order)

    @strawberry.field(description="Orders, newest first.")
    async def orders(
        self,
        info: GraphInfo,
        filter: OrderFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Order]:
        return await resolve.orders_page(info, filter, first, after, Order)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def order_create(self, info: GraphInfo, input: OrderCreateInput) -> OrderCreatePayload:
        outcome = await resolve.create_order(info, input)
        order = None if outcome.id is None else await resolve.load_order(info, outcome.id, Order)
        return OrderCreatePayload(order=order, user_errors=resolve.user_errors(outcome))

    @strawberry.mutation
    async def order_cancel(self, info: GraphInfo, input: OrderCancelInput) -> OrderCancelPayload:
        outcome = await resolve.cancel_order(info, input)
        order = None if outcome.id is None else await resolve.load_order(info, outcome.id, Order)
        return OrderCancelPayload(order=order, user_errors=resolve.user_errors(outcome))


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def order_updated(
        self, info: GraphInfo, id: strawberry.ID
    ) -> AsyncGenerator[Order, None]:
        async for order in resolve.order_updates(info, id, Order):
            yield order
