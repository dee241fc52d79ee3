"""Payouts: the list, one payout by id, a payout's lines, and the order a line is about."""

from __future__ import annotations

from typing import TypeVar

from graph.context import GraphInfo
from graph.types.node import NodeType, raw_id
from graph.types.orders import OrderFields
from graph.types.pagination import Connection, PageArgs, connection, window
from graph.types.payouts import PayoutFields, PayoutFilter, PayoutLineFields, PayoutLineFilter
from graph.types.sorting import PayoutSortKeys, payout_sort
from hub.adapters.read_model import PayoutFilter as PayoutQuery
from hub.adapters.read_model import PayoutLineFilter as PayoutLineQuery
from hub.adapters.read_model.sorting import PayoutLineSort, Sort

PayoutT = TypeVar("PayoutT", bound=PayoutFields)
LineT = TypeVar("LineT", bound=PayoutLineFields)
OrderT = TypeVar("OrderT", bound=OrderFields)

#: a payout's lines come in the report's order, the one order they have
REPORT_ORDER = Sort(PayoutLineSort.REPORT_ORDER)


async def load_payout(info: GraphInfo, payout_id: str, cls: type[PayoutT]) -> PayoutT | None:
    """The payout of a global id or a raw (settlement) id."""
    record = await info.context.loaders.payout.load(raw_id(payout_id, NodeType.PAYOUT, "id"))
    return None if record is None else cls.from_domain(record)


async def payouts_page(
    info: GraphInfo,
    where: PayoutFilter | None,
    sort_key: PayoutSortKeys | None,
    reverse: bool,
    args: PageArgs,
    cls: type[PayoutT],
) -> Connection[PayoutT]:
    sort = payout_sort(sort_key, reverse)
    query = PayoutQuery()
    if where is not None:
        query = PayoutQuery(
            states=tuple(s.value for s in where.state or ()), paid_short=where.paid_short
        )
    page = await info.context.read_model.payouts_page(query, window("payouts", sort, args), sort)
    return connection("payouts", sort, page, cls.from_domain)


async def payout_lines(
    info: GraphInfo,
    payout_id: str,
    where: PayoutLineFilter | None,
    args: PageArgs,
    cls: type[LineT],
) -> Connection[LineT]:
    query = PayoutLineQuery()
    if where is not None:
        query = PayoutLineQuery(
            states=tuple(s.value for s in where.state or ()), paid_short=where.paid_short
        )
    sort = REPORT_ORDER
    page = await info.context.read_model.payout_lines_page(
        payout_id, query, window("payoutLines", sort, args), sort
    )
    return connection("payoutLines", sort, page, cls.from_domain)


async def order_of_line(info: GraphInfo, order_id: str, cls: type[OrderT]) -> OrderT | None:
    """The order a payout line names, if the read model has it."""
    record = await info.context.loaders.order.load(order_id)
    return None if record is None else cls.from_domain(record)
