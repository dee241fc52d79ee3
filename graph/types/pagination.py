"""Relay-style connections: `first`/`after`, edges with cursors, `pageInfo`, `totalCount`.

Cursors are opaque to clients (base64 of the row's sort key, tagged with what they page
over), so a cursor from the orders list cannot be fed to the returns list by mistake,
and the read model can keep its keyset pagination behind them.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry

from graph.errors import BadInput
from hub.adapters.read_model import Page

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_PAGE = 20
MAX_PAGE = 100


@strawberry.federation.type(
    shareable=True, description="Where a page sits in the whole list (Relay's PageInfo)."
)
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="How many items match the filter.")

    @strawberry.field(description="The page's items without their cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def encode_cursor(kind: str, key: tuple[Any, ...]) -> str:
    return base64.urlsafe_b64encode(json.dumps([kind, *key]).encode()).decode()


#: what each list's cursor holds after its tag: the sort key the read model pages by
#: (queries.py), so a cursor is checked whole before any of it reaches SQL
CURSOR_KEYS: dict[str, tuple[type, ...]] = {
    "orders": (float, str),  # placed_at, id
    "returns": (float, str),  # requested_at, id
    "skus": (int, str),  # popularity_rank, id
    "inventory": (str, str),  # sku, location
}


def _fits(value: Any, kind: type) -> bool:
    if isinstance(value, bool):
        return False
    if kind is float:
        return isinstance(value, int | float) and math.isfinite(value)
    return isinstance(value, kind)


def decode_cursor(kind: str, cursor: str | None) -> tuple[Any, ...] | None:
    """The sort key a cursor of the `kind` list holds; a cursor that is not one (made by
    hand, from another list, cut short) is the client's error, naming the argument."""
    if cursor is None:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        decoded = None
    shape = CURSOR_KEYS[kind]
    if (
        not isinstance(decoded, list)
        or not decoded
        or decoded[0] != kind
        or len(decoded) != len(shape) + 1
        or not all(_fits(v, t) for v, t in zip(decoded[1:], shape, strict=True))
    ):
        raise BadInput(
            f"after: {cursor!r} is not a cursor of this {kind} list; pass the "
            f"endCursor of a previous page of the same list",
            argument="after",
        )
    return tuple(decoded[1:])


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    if not 1 <= first <= MAX_PAGE:
        raise BadInput(f"first: expected 1 to {MAX_PAGE}, got {first}", argument="first")
    return first


def connection(
    kind: str, page: Page[R], after: tuple[Any, ...] | None, convert: Callable[[R], T]
) -> Connection[T]:
    edges = [
        Edge(node=convert(item), cursor=encode_cursor(kind, key))
        for item, key in zip(page.items, page.keys, strict=True)
    ]
    info = PageInfo(
        has_next_page=page.has_next,
        has_previous_page=after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, total_count=page.total)
