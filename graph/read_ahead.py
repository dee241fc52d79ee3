"""Reading the orders list's children with the page, a level at a time.

An orders page asks for 20 orders' lines and returns, the lines' SKUs, the returns'
lines and theirs. Through DataLoaders each order's `lines`, each line's `sku` is a
field of its own awaiting a batch: the batches read well (one statement per kind for
the whole page), but the executor pays for every field that awaits (a coroutine, a
future, a task for each item of a list, turns of the event loop): about 3.5 ms of
the 9.5 ms of CPU the server spent on `make bench-api`'s page, twice its reads.

So a page of orders reads ahead what its selection asks of its items, a level at a
time: the lines and the returns together, then the returns' lines and the SKUs of the
lines, then the SKUs of the returns' lines; each level one job on the request's
connection (hub/adapters/read_model/reads.py), as the loaders' batches would have
been. The records go into the request's `Preloaded` (graph/preloaded.py), and the
fields answer from them without awaiting. What is not read ahead (an order met
outside the orders list: looked up, a customer's, a return's; a return from the
returns list) its field loads as before, so a selection this module reads wrongly
costs reads, never a wrong answer.

Queries over HTTP only: a websocket's operations (subscriptions, and queries sent over
it) share one context for as long as the client listens, and records read ahead would
go stale in it. A read ahead that fails is left to the fields, which read again and
report their own errors as they always did.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from graphql import OperationType
from strawberry.types.nodes import SelectedField, Selection

from graph.context import GraphInfo
from graph.preloaded import Preloaded
from hub.adapters.read_model.records import OrderLineRecord, ReturnLineRecord

T = TypeVar("T")


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields among `selections`, through fragments (whatever their type: an
    order's fragment is on Order or on Node)."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)


def _under(selections: Iterable[Selection], name: str) -> list[Selection] | None:
    """What the fields named `name` select (aliases merged), or None if none is."""
    found = [field for field in _fields(selections) if field.name == name]
    return None if not found else [child for field in found for child in field.selections]


def page_items(info: GraphInfo) -> list[Selection]:
    """What a connection field's selection asks of its items: `edges { node }` and
    `nodes`."""
    connection = [child for field in _fields(info.selected_fields) for child in field.selections]
    return [
        *(_under(_under(connection, "edges") or [], "node") or []),
        *(_under(connection, "nodes") or []),
    ]


async def _read(asked: bool, read: Callable[[], Awaitable[dict[str, T]]]) -> dict[str, T]:
    return await read() if asked else {}


async def orders_ahead(info: GraphInfo, order_ids: Sequence[str]) -> None:
    """Read what the page's selection asks of its orders' lines and returns into the
    request's `Preloaded`."""
    if not order_ids or not _reads_ahead(info):
        return
    try:
        ahead = await _read_ahead(info, order_ids)
    except Exception:  # the fields read for themselves, and say what failed
        return
    into = info.context.preloaded
    into.order_lines.update(ahead.order_lines)
    into.returns_of_order.update(ahead.returns_of_order)
    into.return_lines.update(ahead.return_lines)
    into.skus.update(ahead.skus)


def _reads_ahead(info: GraphInfo) -> bool:
    """A query over HTTP: its context is its own and dies with it."""
    return info.context.one_request and info.operation.operation is OperationType.QUERY


async def _read_ahead(info: GraphInfo, order_ids: Sequence[str]) -> Preloaded:
    """What the selection asks of the orders, a level at a time: their lines and
    returns; the returns' lines and the lines' SKUs; the returns' lines' other SKUs."""
    ahead = Preloaded()
    items = page_items(info)
    lines, returns = _under(items, "lines"), _under(items, "returns")
    if lines is None and returns is None:
        return ahead
    return_lines = None if returns is None else _under(returns, "lines")
    rm = info.context.read_model
    ahead.order_lines, ahead.returns_of_order = await asyncio.gather(
        _read(lines is not None, lambda: rm.lines_by_order(order_ids)),
        _read(returns is not None, lambda: rm.returns_by_order(order_ids)),
    )
    return_ids = [r.id for found in ahead.returns_of_order.values() for r in found]
    line_skus = _skus(ahead.order_lines, lines)
    of_returns = return_lines is not None and bool(return_ids)
    ahead.return_lines, ahead.skus = await asyncio.gather(
        _read(of_returns, lambda: rm.return_lines(return_ids)),
        _read(bool(line_skus), lambda: rm.skus_by_id(sorted(line_skus))),
    )
    more = _skus(ahead.return_lines, return_lines) - line_skus
    if more:
        ahead.skus.update(await rm.skus_by_id(sorted(more)))
    return ahead


def _skus(
    lines: dict[str, list[OrderLineRecord]] | dict[str, list[ReturnLineRecord]],
    selected: list[Selection] | None,
) -> set[str]:
    """The SKUs of `lines`, if their selection asks for each line's `sku`."""
    if selected is None or _under(selected, "sku") is None:
        return set()
    return {line.sku for found in lines.values() for line in found}
