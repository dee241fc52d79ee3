"""The composed schema the default server serves: the four subgraphs' fields on one set
of types, with every entity reference resolved in-process.

Apollo composition would produce the same API from the subgraphs (a test proves it
through Hive Gateway); composing here means the default server needs no gateway and
answers a cross-subgraph query (an order, its returns, its SKUs' stock) from one
process, in one round of DataLoader batches per level. The field groups are shared with
the subgraphs (graph/types/), and so are the root fields: the orders and returns
subgraphs build theirs for the entity types given them (graph/subgraphs/roots.py). Only
the fields that point at another subgraph's entity are declared again here, resolving
the full entity instead of a reference. Inventory's types already resolve their own
entities, so the composed schema uses them, and its root fields, as they are.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import Annotated

import strawberry

from graph.context import GraphInfo
from graph.read_ahead import orders_ahead
from graph.resolvers import inventory as inventory_resolve
from graph.resolvers import orders as orders_resolve
from graph.resolvers import returns as returns_resolve
from graph.subgraphs import companies, inventory, node, operations, orders, returns
from graph.subgraphs.inventory import InventoryPosition, Location, Sku
from graph.subgraphs.orders import CUSTOMER_ORDERS_HELP
from graph.subgraphs.payouts import payout_schema
from graph.subgraphs.roots import RootTypes
from graph.types.common import SalesChannel
from graph.types.customer import CUSTOMER_TYPE_HELP, CustomerFields
from graph.types.fulfillments import (
    FULFILLMENT_HELP,
    FULFILLMENTS_HELP,
    FulfillmentFields,
)
from graph.types.fulfillments import FULFILLMENT_LOCATION_HELP as FULFILLED_FROM_HELP
from graph.types.node import NodeType
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
from graph.types.pagination import After, Before, Connection, First, Last, PageArgs
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
from graph.types.sorting import ORDERS_SORT_HELP, REVERSE_HELP, OrderSortKeys


class DanglingReference(LookupError):
    """A record points at a SKU or location the read model does not have (never
    expected: the projector writes the whole catalog and estate); masked as an internal
    error."""


async def _sku(info: GraphInfo, sku_id: str) -> Sku:
    sku = await inventory_resolve.load_sku(info, sku_id, Sku)
    if sku is None:
        raise DanglingReference(f"SKU {sku_id} is not in the read model")
    return sku


def _sku_of_line(info: GraphInfo, sku_id: str) -> Sku | Awaitable[Sku]:
    """A line's SKU: at once if its page read it ahead, else loaded."""
    record = info.context.preloaded.skus.get(sku_id)
    return _sku(info, sku_id) if record is None else Sku.from_domain(record)


@strawberry.type(name="OrderLine", description=ORDER_LINE_HELP)
class OrderLine(OrderLineFields):
    @strawberry.field(description=SKU_OF_LINE_HELP, graphql_type=Sku)
    def sku(self, info: GraphInfo) -> Sku | Awaitable[Sku]:
        return _sku_of_line(info, self.sku_id)


@strawberry.type(name="ReturnLine", description=RETURN_LINE_HELP)
class ReturnLine(ReturnLineFields):
    @strawberry.field(description=SKU_RETURNED_HELP, graphql_type=Sku)
    def sku(self, info: GraphInfo) -> Sku | Awaitable[Sku]:
        return _sku_of_line(info, self.sku_id)


@strawberry.type(name="Fulfillment", description=FULFILLMENT_HELP)
class Fulfillment(FulfillmentFields):
    @strawberry.field(description=FULFILLED_FROM_HELP)
    async def location(self, info: GraphInfo) -> Location:
        location = await inventory_resolve.load_location(info, self.location_id, Location)
        if location is None:
            raise DanglingReference(f"location {self.location_id} is not in the read model")
        return location


@strawberry.type(name="Order", description=ORDER_HELP)
class Order(OrderFields):
    """An order whose lines and returns (and theirs) the orders list reads ahead
    (graph/read_ahead.py): each of those fields answers at once from what was read,
    or loads what was not."""

    @classmethod
    async def read_ahead(cls, info: GraphInfo, order_ids: Sequence[str]) -> None:
        await orders_ahead(info, order_ids)

    @strawberry.field(description=ORDER_LINES_HELP, graphql_type=list[OrderLine])
    def lines(self, info: GraphInfo) -> list[OrderLine] | Awaitable[list[OrderLine]]:
        records = info.context.preloaded.order_lines.get(self.legacy_resource_id)
        if records is None:
            return self._load_lines(info)
        return [OrderLine.from_domain(r) for r in records]

    async def _load_lines(self, info: GraphInfo) -> list[OrderLine]:
        return [OrderLine.from_domain(r) for r in await self.line_records(info)]

    @strawberry.field(
        description=FULFILLMENT_LOCATION_HELP,
        deprecation_reason="Use `fulfillmentLocation`: the same, in US spelling.",
    )
    async def fulfilment_location(self, info: GraphInfo) -> Location | None:
        return await self._location(info)

    @strawberry.field(
        description="The order's returns, oldest request first.", graphql_type=list["Return"]
    )
    def returns(self, info: GraphInfo) -> list[Return] | Awaitable[list[Return]]:
        records = info.context.preloaded.returns_of_order.get(self.legacy_resource_id)
        if records is None:
            return returns_resolve.returns_of_order(info, self.legacy_resource_id, Return)
        return [Return.from_domain(r) for r in records]

    @strawberry.field(description=CUSTOMER_HELP)
    async def customer(self, info: GraphInfo) -> Customer | None:
        return await orders_resolve.customer_of(info, self.customer_id, Customer)

    @strawberry.field(description=FULFILLMENT_LOCATION_HELP)
    async def fulfillment_location(self, info: GraphInfo) -> Location | None:
        return await self._location(info)

    @strawberry.field(description=FULFILLMENTS_HELP)
    async def fulfillments(self, info: GraphInfo) -> list[Fulfillment]:
        return [Fulfillment.from_domain(r) for r in await self.fulfillment_records(info)]

    async def _location(self, info: GraphInfo) -> Location | None:
        if self.fulfillment_location_id is None:
            return None
        return await inventory_resolve.load_location(info, self.fulfillment_location_id, Location)


@strawberry.type(name="Customer", description=CUSTOMER_TYPE_HELP)
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
        return await orders_resolve.customer_orders(
            info, self.legacy_resource_id, sort_key, reverse, args, Order
        )


@strawberry.type(name="Return", description=RETURN_HELP)
class Return(ReturnFields):
    @strawberry.field(description=RETURN_LINES_HELP, graphql_type=list[ReturnLine])
    def lines(self, info: GraphInfo) -> list[ReturnLine] | Awaitable[list[ReturnLine]]:
        records = info.context.preloaded.return_lines.get(self.legacy_resource_id)
        if records is None:
            return self._load_lines(info)
        return [ReturnLine.from_domain(r) for r in records]

    async def _load_lines(self, info: GraphInfo) -> list[ReturnLine]:
        return [ReturnLine.from_domain(r) for r in await self.line_records(info)]

    @strawberry.field(description=RETURN_ORDER_HELP)
    async def order(self, info: GraphInfo) -> Order | None:
        if self.channel is SalesChannel.STORE:
            return None
        return await orders_resolve.load_order(info, self.order_id, Order)

    @strawberry.field(description=RETURN_LOCATION_HELP)
    async def location(self, info: GraphInfo) -> Location | None:
        if self.location_id is None:
            return None
        return await inventory_resolve.load_location(info, self.location_id, Location)


PAYOUTS = payout_schema(Order)

#: every node type's whole object, for `node`/`nodes`
FINDERS: node.Finders = {
    NodeType.ORDER: lambda info, raw: orders_resolve.load_order(info, raw, Order),
    NodeType.CUSTOMER: lambda info, raw: orders_resolve.load_customer(info, raw, Customer),
    NodeType.RETURN: lambda info, raw: returns_resolve.load_return(info, raw, Return),
    NodeType.SKU: lambda info, raw: inventory_resolve.load_sku(info, raw, Sku),
    NodeType.LOCATION: lambda info, raw: inventory_resolve.load_location(info, raw, Location),
    NodeType.INVENTORY_POSITION: lambda info, raw: inventory_resolve.load_position(
        info, raw, InventoryPosition
    ),
    NodeType.PAYOUT: PAYOUTS.finder,
    NodeType.COMPANY: companies.find,
}

#: the four subgraphs' root fields, in the order the SDL lists them
ROOTS = RootTypes.merged(
    (
        orders.root_types(Order, Customer),
        PAYOUTS.roots,
        companies.ROOTS,
        node.root_types(FINDERS),
        returns.root_types(Return),
        inventory.ROOTS,
        operations.ROOTS,
    )
)
