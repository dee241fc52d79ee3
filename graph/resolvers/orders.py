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
from graph.types.inputs import OrderCancelInput, OrderCreateInput, OrderFilter
from graph.types.orders import OrderFields
from graph.types.pagination import Connection, PageArgs, connection, window
from graph.types.sorting import OrderSortKeys, order_sort
from graph.types.time import seconds
from hub.adapters.read_model import OrderFilter as OrderQuery

OrderT = TypeVar("OrderT", bound=OrderFields)


async def load_order(info: GraphInfo, order_id: str, cls: type[OrderT]) -> OrderT | None:
    record = await info.context.loaders.order.load(order_id)
    return None if record is None else cls.from_domain(record)


def _query(where: OrderFilter | None) -> OrderQuery:
    if where is None:
        return OrderQuery()
    return OrderQuery(
        statuses=tuple(s.value for s in where.status or ()),
        channels=tuple(c.value for c in where.channel or ()),
        location=where.location_id,
        customer_id=where.customer_id,
        placed_from=None if where.placed_after is None else seconds(where.placed_after),
        placed_to=None if where.placed_before is None else seconds(where.placed_before),
        in_sync=where.in_sync,
        payment_states=tuple(p.value for p in where.payment_state or ()),
        updated_from=None if where.updated_after is None else seconds(where.updated_after),
        updated_to=None if where.updated_before is None else seconds(where.updated_before),
        has_exception=where.has_exception,
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
    return connection("orders", sort, page, cls.from_domain)


async def create_order(info: GraphInfo, data: OrderCreateInput) -> Outcome:
    request = OrderRequest(
        channel=data.channel.value,
        lines=tuple(LineRequest(line.sku_id, line.quantity) for line in data.lines),
        customer_id=data.customer_id,
        pickup_store=data.pickup_store_id,
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
    return await once(
        info,
        "orderCancel",
        data.idempotency_key,
        {"order_id": data.order_id, "reason": reason},
        lambda key: control.cancel_order(data.order_id, reason, key),
    )


async def order_updates(
    info: GraphInfo, order_id: strawberry.ID, cls: type[OrderT]
) -> AsyncIterator[OrderT]:
    """The order each time the read model records a change to it (its status, money,
    shipments, returns, or what another system records about it). An id the API does
    not know is an error at once, not a subscription that never says anything."""
    ensure_live(info.context.control.read_only)
    if await info.context.loaders.order.load(order_id) is None:
        raise BadInput(f"orderUpdated: no order {order_id!r}; subscribe to an id from `orders`")
    async for _ in info.context.events.subscribe("order", order_id):
        order = await load_order(info, order_id, cls)
        if order is not None:
            yield order
