"""The orders subgraph: the `Order` entity, its lines, payments, shipments, history,
timeline and cross-system view; the `Customer` entity; `order`/`orders`/`customer`;
a settling marketplace's `payouts` (graph/subgraphs/payouts.py);
`node`/`nodes` (graph/subgraphs/node.py); `orderCreate`/`orderCancel`; `orderUpdated`.
SKUs and locations are references the inventory subgraph resolves."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any, TypeVar

import strawberry

from graph.context import GraphInfo
from graph.control import Outcome
from graph.resolvers import orders as resolve
from graph.subgraphs import companies, node
from graph.subgraphs.payouts import payout_schema
from graph.subgraphs.refs import InventoryPositionRef, LocationRef, ReturnRef, SkuRef
from graph.subgraphs.roots import RootTypes, connection_of
from graph.types.common import UserError
from graph.types.customer import CUSTOMER_TYPE_HELP, CustomerFields
from graph.types.fulfillments import (
    FULFILLMENT_HELP,
    FULFILLMENTS_HELP,
    FulfillmentFields,
)
from graph.types.fulfillments import FULFILLMENT_LOCATION_HELP as FULFILLED_FROM_HELP
from graph.types.inputs import OrderCancelInput, OrderCreateInput, OrderFilter
from graph.types.node import LookupId, Node, NodeType, global_id, split_position
from graph.types.orders import (
    CUSTOMER_HELP,
    FULFILLMENT_LOCATION_HELP,
    ORDER_HELP,
    ORDER_LINE_HELP,
    ORDER_LINES_HELP,
    SKU_OF_LINE_HELP,
    OrderFields,
    OrderLineFields,
)
from graph.types.pagination import FILTER_HELP, After, Before, Connection, First, Last, PageArgs
from graph.types.payloads import MutationPayload
from graph.types.sorting import ORDERS_SORT_HELP, REVERSE_HELP, OrderSortKeys

CUSTOMER_ORDERS_HELP = "The customer's orders, newest first."


@strawberry.type(name="OrderLine", description=ORDER_LINE_HELP)
class OrderLine(OrderLineFields):
    @strawberry.field(description=SKU_OF_LINE_HELP)
    def sku(self) -> SkuRef:
        return SkuRef(id=global_id(NodeType.SKU, self.sku_id))


@strawberry.type(name="Fulfillment", description=FULFILLMENT_HELP)
class Fulfillment(FulfillmentFields):
    @strawberry.field(description=FULFILLED_FROM_HELP)
    def location(self) -> LocationRef:
        return LocationRef(id=global_id(NodeType.LOCATION, self.location_id))


@strawberry.federation.type(keys=["id"], name="Order", description=ORDER_HELP)
class Order(OrderFields):
    @strawberry.field(description=ORDER_LINES_HELP)
    async def lines(self, info: GraphInfo) -> list[OrderLine]:
        return [OrderLine.from_domain(r) for r in await self.line_records(info)]

    @strawberry.field(
        description=FULFILLMENT_LOCATION_HELP,
        deprecation_reason="Use `fulfillmentLocation`: the same, in US spelling.",
    )
    def fulfilment_location(self) -> LocationRef | None:
        return self._location_ref()

    @strawberry.field(description=CUSTOMER_HELP)
    async def customer(self, info: GraphInfo) -> Customer | None:
        return await resolve.customer_of(info, self.customer_id, Customer)

    @strawberry.field(description=FULFILLMENTS_HELP)
    async def fulfillments(self, info: GraphInfo) -> list[Fulfillment]:
        return [Fulfillment.from_domain(r) for r in await self.fulfillment_records(info)]

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID, **_: Any) -> Order | None:
        return await resolve.load_order(info, id, cls)

    @strawberry.field(description=FULFILLMENT_LOCATION_HELP)
    def fulfillment_location(self) -> LocationRef | None:
        return self._location_ref()

    def _location_ref(self) -> LocationRef | None:
        if self.fulfillment_location_id is None:
            return None
        return LocationRef(id=global_id(NodeType.LOCATION, self.fulfillment_location_id))


@strawberry.federation.type(keys=["id"], name="Customer", description=CUSTOMER_TYPE_HELP)
class Customer(CustomerFields):
    @strawberry.field(description=CUSTOMER_ORDERS_HELP)
    async def orders(
        self,
        info: GraphInfo,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        sort_key: Annotated[
            OrderSortKeys | None, strawberry.argument(description=ORDERS_SORT_HELP)
        ] = None,
        reverse: Annotated[bool, strawberry.argument(description=REVERSE_HELP)] = False,
    ) -> Connection[Order]:
        args = PageArgs(first, after, last, before)
        return await resolve.customer_orders(
            info, self.legacy_resource_id, sort_key, reverse, args, Order
        )

    @classmethod
    async def resolve_reference(
        cls, info: GraphInfo, id: strawberry.ID, **_: Any
    ) -> Customer | None:
        return await resolve.load_customer(info, id, cls)


OrderT = TypeVar("OrderT", bound=OrderFields)
CustomerT = TypeVar("CustomerT", bound=CustomerFields)

_CREATE_HELP = "Place an order through a channel, as a customer would."
_CREATE_INPUT = strawberry.argument(description="The order.")
_CANCEL_HELP = "Ask to cancel an order through its channel, as its customer would."
_CANCEL_INPUT = strawberry.argument(description="The order and the reason.")


def root_types(order_type: type[OrderT], customer_type: type[CustomerT]) -> RootTypes:
    """`order`/`orders`/`customer`, `orderCreate`/`orderCancel` and `orderUpdated`,
    returning `order_type` and `customer_type`: this subgraph's, or the composed
    schema's.

    A field returning `order_type`, or a payload built here, names its GraphQL type as
    `graphql_type`: strawberry reads annotations in the module's namespace, where
    neither is. The annotations are for type checking."""

    @strawberry.type
    class Query:
        @strawberry.field(
            description="One order by id (null if there is no such order).",
            graphql_type=order_type | None,
        )
        async def order(self, info: GraphInfo, id: LookupId) -> OrderT | None:
            return await resolve.load_order(info, id, order_type)

        @strawberry.field(
            description=(
                "Orders, newest first unless `sortKey` says otherwise; `first`/`after` "
                "page forward, `last`/`before` back."
            ),
            graphql_type=connection_of(order_type),
        )
        async def orders(
            self,
            info: GraphInfo,
            filter: Annotated[
                OrderFilter | None, strawberry.argument(description=FILTER_HELP)
            ] = None,
            first: First = None,
            after: After = None,
            last: Last = None,
            before: Before = None,
            sort_key: Annotated[
                OrderSortKeys | None, strawberry.argument(description=ORDERS_SORT_HELP)
            ] = None,
            reverse: Annotated[bool, strawberry.argument(description=REVERSE_HELP)] = False,
        ) -> Connection[OrderT]:
            args = PageArgs(first, after, last, before)
            return await resolve.orders_page(info, filter, sort_key, reverse, args, order_type)

        @strawberry.field(
            description="One customer by id (null if there is no such customer).",
            graphql_type=customer_type | None,
        )
        async def customer(self, info: GraphInfo, id: LookupId) -> CustomerT | None:
            return await resolve.load_customer(info, id, customer_type)

    @strawberry.type
    class Subscription:
        @strawberry.subscription(
            graphql_type=order_type,
            description="The order as it is each time its status (and `version`) changes.",
        )
        async def order_updated(
            self, info: GraphInfo, id: LookupId
        ) -> AsyncGenerator[OrderT, None]:
            async for order in resolve.order_updates(info, id, order_type):
                yield order

    return RootTypes(query=Query, mutation=_mutation_type(order_type), subscription=Subscription)


def _mutation_type(order_type: type[OrderT]) -> type:
    """`orderCreate` and `orderCancel`, their payloads naming `order_type`."""

    @strawberry.type(description="What `orderCreate` did: the new order, or why not.")
    class OrderCreatePayload(MutationPayload):
        order: OrderFields | None = strawberry.field(
            graphql_type=order_type | None, description="The order placed; null when refused."
        )

    @strawberry.type(description="What `orderCancel` did: the order as it is now, or why not.")
    class OrderCancelPayload(MutationPayload):
        order: OrderFields | None = strawberry.field(
            graphql_type=order_type | None, description="The order now; null if there is none."
        )

    @strawberry.type
    class Mutation:
        @strawberry.mutation(graphql_type=OrderCreatePayload, description=_CREATE_HELP)
        async def order_create(
            self, info: GraphInfo, input: Annotated[OrderCreateInput, _CREATE_INPUT]
        ) -> OrderCreatePayload:
            outcome = await resolve.create_order(info, input)
            order = await _load(info, outcome, order_type)
            return OrderCreatePayload(order=order, user_errors=UserError.all_of(outcome))

        @strawberry.mutation(graphql_type=OrderCancelPayload, description=_CANCEL_HELP)
        async def order_cancel(
            self, info: GraphInfo, input: Annotated[OrderCancelInput, _CANCEL_INPUT]
        ) -> OrderCancelPayload:
            outcome = await resolve.cancel_order(info, input)
            order = await _load(info, outcome, order_type)
            return OrderCancelPayload(order=order, user_errors=UserError.all_of(outcome))

    return Mutation


async def _load(info: GraphInfo, outcome: Outcome, order_type: type[OrderT]) -> OrderT | None:
    """The order a mutation acted on, as it is now; none if it refused."""
    return None if outcome.id is None else await resolve.load_order(info, outcome.id, order_type)


async def _reference(info: GraphInfo, kind: NodeType, raw: str) -> Node | None:
    """A reference to another subgraph's object, if the read model has it."""
    loaders = info.context.loaders
    match kind:
        case NodeType.SKU:
            found = await loaders.sku.load(raw) is not None
            return SkuRef(id=global_id(kind, raw)) if found else None
        case NodeType.LOCATION:
            found = await loaders.location.load(raw) is not None
            return LocationRef(id=global_id(kind, raw)) if found else None
        case NodeType.RETURN:
            found = await loaders.ret.load(raw) is not None
            return ReturnRef(id=global_id(kind, raw)) if found else None
        case NodeType.INVENTORY_POSITION:
            parts = split_position(raw)
            positions = [] if parts is None else await loaders.positions.load(parts[0])
            found = any(parts is not None and p.location == parts[1] for p in positions)
            return InventoryPositionRef(id=global_id(kind, raw)) if found else None
        case NodeType.ORDER | NodeType.CUSTOMER | NodeType.PAYOUT | NodeType.COMPANY:
            raise ValueError(f"{kind.value} is this subgraph's own type, not a reference")


#: the references `node` returns that no field of this subgraph names (the schema must
#: be told of them)
NODE_ONLY_REFS = (ReturnRef, InventoryPositionRef)


PAYOUTS = payout_schema(Order)


def _finders() -> node.Finders:
    def reference(kind: NodeType) -> node.Finder:
        return lambda info, raw: _reference(info, kind, raw)

    return {
        NodeType.ORDER: lambda info, raw: resolve.load_order(info, raw, Order),
        NodeType.CUSTOMER: lambda info, raw: resolve.load_customer(info, raw, Customer),
        NodeType.PAYOUT: PAYOUTS.finder,
        NodeType.COMPANY: companies.find,
        **{
            kind: reference(kind)
            for kind in (
                NodeType.SKU,
                NodeType.LOCATION,
                NodeType.RETURN,
                NodeType.INVENTORY_POSITION,
            )
        },
    }


ROOTS = RootTypes.merged(
    (root_types(Order, Customer), PAYOUTS.roots, companies.ROOTS, node.root_types(_finders()))
)
