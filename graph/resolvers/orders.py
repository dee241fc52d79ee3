"""Orders: lookups, the paginated list, orderCreate/orderCancel, and orderUpdated."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import TypeVar

import strawberry

from graph.context import GraphInfo
from graph.control import LineRequest, OrderRequest, Outcome
from graph.errors import BadInput, ensure_live
from graph.idempotency import once
from graph.types.customer import CustomerFields
from graph.types.inputs import OrderCancelInput, OrderCreateInput, OrderFilter
from graph.types.node import NodeType, maybe_raw_id, raw_id
from graph.types.orders import OrderFields
from graph.types.pagination import Connection, PageArgs, connection, window
from graph.types.sorting import OrderSortKeys, order_sort
from graph.types.time import seconds
from hub.adapters.read_model import OrderFilter as OrderQuery

OrderT = TypeVar("OrderT", bound=OrderFields)
CustomerT = TypeVar("CustomerT", bound=CustomerFields)


async def load_order(
    info: GraphInfo, order_id: str, cls: type[OrderT], argument: str = "id"
) -> OrderT | None:
    """The order of a global id or (deprecated) a raw one."""
    record = await info.context.loaders.order.load(raw_id(order_id, NodeType.ORDER, argument))
    return None if record is None else cls.from_domain(record)


async def load_customer(
    info: GraphInfo, customer_id: str, cls: type[CustomerT]
) -> CustomerT | None:
    """The customer of a global id or (deprecated) a raw one."""
    raw = raw_id(customer_id, NodeType.CUSTOMER, "id")
    record = await info.context.loaders.customer.load(raw)
    return None if record is None else cls.from_domain(record)


async def customer_of(info: GraphInfo, customer_id: str, cls: type[CustomerT]) -> CustomerT | None:
    """An order's customer, by the raw id the order records; none where the read model
    has no customers (a finished run written before they were, read around its gaps)."""
    record = await info.context.loaders.customer.load(customer_id)
    return None if record is None else cls.from_domain(record)


async def customer_orders(
    info: GraphInfo,
    customer_id: str,
    sort_key: OrderSortKeys | None,
    reverse: bool,
    args: PageArgs,
    cls: type[OrderT],
) -> Connection[OrderT]:
    """A customer's orders, paged and sorted as the orders list is (newest first)."""
    sort = order_sort(sort_key, reverse)
    query = OrderQuery(customer_id=customer_id)
    page = await info.context.read_model.orders_page(query, window("orders", sort, args), sort)
    return connection("orders", sort, page, cls.from_domain)


def _query(where: OrderFilter | None) -> OrderQuery:
    if where is None:
        return OrderQuery()
    return OrderQuery(
        statuses=tuple(s.value for s in where.status or ()),
        channels=tuple(c.value for c in where.channel or ()),
        location=maybe_raw_id(where.location_id, NodeType.LOCATION, "locationId"),
        customer_id=maybe_raw_id(where.customer_id, NodeType.CUSTOMER, "customerId"),
        placed_from=None if where.placed_after is None else seconds(where.placed_after),
        placed_to=None if where.placed_before is None else seconds(where.placed_before),
        in_sync=where.in_sync,
        payment_states=tuple(p.value for p in where.payment_state or ()),
        updated_from=None if where.updated_after is None else seconds(where.updated_after),
        updated_to=None if where.updated_before is None else seconds(where.updated_before),
        has_exception=where.has_exception,
        review_states=tuple(r.value for r in where.fraud_review_state or ()),
        held=where.held,
    )


async def orders_page(
    info: GraphInfo,
    where: OrderFilter | None,
    sort_key: OrderSortKeys | None,
    reverse: bool,
    args: PageArgs,
    cls: type[OrderT],
) -> Connection[OrderT]:
    sort = order_sort(sort_key, reverse)
    page = await info.context.read_model.orders_page(
        _query(where), window("orders", sort, args), sort
    )
    # the orders list only: a customer's orders are a page for each customer, whose
    # items' loads batch across the customers as they are
    await cls.read_ahead(info, [order.id for order in page.items])
    return connection("orders", sort, page, cls.from_domain)


async def create_order(info: GraphInfo, data: OrderCreateInput) -> Outcome:
    request = OrderRequest(
        channel=data.channel.value,
        lines=tuple(
            LineRequest(raw_id(line.sku_id, NodeType.SKU, "skuId"), line.quantity)
            for line in data.lines
        ),
        customer_id=maybe_raw_id(data.customer_id, NodeType.CUSTOMER, "customerId"),
        pickup_store=maybe_raw_id(data.pickup_store_id, NodeType.LOCATION, "pickupStoreId"),
    )
    control = info.context.control
    return await once(
        info,
        "orderCreate",
        data.idempotency_key,
        asdict(request),
        lambda key: control.create_order(request, key),
    )


async def cancel_order(info: GraphInfo, data: OrderCancelInput) -> Outcome:
    control = info.context.control
    reason = data.reason or "cancelled through the API"
    order_id = raw_id(data.order_id, NodeType.ORDER, "orderId")
    return await once(
        info,
        "orderCancel",
        data.idempotency_key,
        {"order_id": order_id, "reason": reason},
        lambda key: control.cancel_order(order_id, reason, key),
    )


async def order_updates(
    info: GraphInfo, order_id: strawberry.ID, cls: type[OrderT]
) -> AsyncIterator[OrderT]:
    """The order each time the read model records a change to it (its status, money,
    shipments, returns, or what another system records about it). An id the API does
    not know is an error at once, not a subscription that never says anything."""
    ensure_live(info.context.control.read_only)
    raw = raw_id(order_id, NodeType.ORDER, "id")
    if await info.context.loaders.order.load(raw) is None:
        raise BadInput(f"orderUpdated: no order {order_id!r}; subscribe to an id from `orders`")
    async for _ in info.context.events.subscribe("order", raw):
        order = await load_order(info, raw, cls)
        if order is not None:
            yield order
