"""Returns: lookups, the paginated list, an order's returns, and returnRequest."""

from __future__ import annotations

from typing import TypeVar

from graph.context import GraphInfo
from graph.control import LineRequest, Outcome
from graph.idempotency import once
from graph.types.inputs import ReturnFilter, ReturnRequestInput
from graph.types.pagination import Connection, PageArgs, connection, window
from graph.types.returns import ReturnFields
from graph.types.sorting import ReturnSortKeys, return_sort
from graph.types.time import seconds
from hub.adapters.read_model import ReturnFilter as ReturnQuery

T = TypeVar("T", bound=ReturnFields)


async def load_return(info: GraphInfo, return_id: str, cls: type[T]) -> T | None:
    record = await info.context.loaders.ret.load(return_id)
    return None if record is None else cls.from_domain(record)


async def returns_of_order(info: GraphInfo, order_id: str, cls: type[T]) -> list[T]:
    return [cls.from_domain(r) for r in await info.context.loaders.returns_of_order.load(order_id)]


def _query(where: ReturnFilter | None) -> ReturnQuery:
    if where is None:
        return ReturnQuery()
    return ReturnQuery(
        statuses=tuple(s.value for s in where.status or ()),
        channels=tuple(c.value for c in where.channel or ()),
        location=where.location_id,
        order_id=where.order_id,
        requested_from=None if where.requested_after is None else seconds(where.requested_after),
        requested_to=None if where.requested_before is None else seconds(where.requested_before),
        updated_from=None if where.updated_after is None else seconds(where.updated_after),
        updated_to=None if where.updated_before is None else seconds(where.updated_before),
        has_exception=where.has_exception,
        sla_breached=where.sla_breached,
    )


async def returns_page(
    info: GraphInfo,
    where: ReturnFilter | None,
    sort_key: ReturnSortKeys | None,
    reverse: bool,
    args: PageArgs,
    cls: type[T],
) -> Connection[T]:
    sort = return_sort(sort_key, reverse)
    page = await info.context.read_model.returns_page(
        _query(where), window("returns", sort, args), sort
    )
    return connection("returns", sort, page, cls.from_domain)


async def request_return(info: GraphInfo, data: ReturnRequestInput) -> Outcome:
    lines = tuple(LineRequest(line.sku_id, line.quantity) for line in data.lines)
    control = info.context.control
    return await once(
        info,
        "returnRequest",
        data.idempotency_key,
        {"order_id": data.order_id, "lines": [[line.sku, line.quantity] for line in lines]},
        lambda key: control.request_return(data.order_id, lines, key),
    )
