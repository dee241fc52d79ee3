"""Relay-style connections, paged either way: `first`/`after` and `last`/`before`,
edges with cursors, `pageInfo`, `totalCount`.

Cursors are opaque to clients (base64 of the row's sort key, tagged with the list and
the order they page in), so a cursor from the orders list cannot be fed to the returns
list by mistake, nor a cursor of orders by total to orders by date, and the read model
can keep its keyset pagination behind them.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

import strawberry

from graph.errors import BadInput
from hub.adapters.read_model import Page, Window
from hub.adapters.read_model.sorting import Sort

T = TypeVar("T")
R = TypeVar("R")
Key = tuple[Any, ...]

DEFAULT_PAGE = 20
MAX_PAGE = 100


@strawberry.federation.type(
    shareable=True, description="Where a page sits in the whole list (Relay's PageInfo)."
)
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether items follow this page in the list's order (page on with `after`)."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether items precede this page in the list's order (page back with `before`)."
    )
    start_cursor: str | None = strawberry.field(
        description="The first edge's cursor, to pass as `before`; null on an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The last edge's cursor, to pass as `after`; null on an empty page."
    )


@strawberry.type(description="One item of a page, with the cursor that marks its place.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The item.")
    cursor: str = strawberry.field(
        description=(
            "Opaque: pass it as `after` or `before` to page from this item (same list, same sort)."
        )
    )


@strawberry.type(
    description=(
        "A page of a list (Relay's connection): its items with their cursors, where the "
        "page sits in the whole list and how many items match."
    )
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The page's items, each with its cursor.")
    page_info: PageInfo = strawberry.field(
        description="Cursors and whether more pages follow or precede."
    )
    total_count: int = strawberry.field(description="How many items match the filter.")

    @strawberry.field(description="The page's items without their cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def encode_cursor(kind: str, sort: Sort, key: tuple[Any, ...]) -> str:
    """A cursor tagged with its list and the order it pages in, then the row's sort key."""
    payload = [kind, sort.key.name, sort.descending, *key]
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


def _fits(value: Any, kind: type) -> bool:
    if isinstance(value, bool):
        return False
    if kind is float:
        return isinstance(value, int | float) and math.isfinite(value)
    return isinstance(value, kind)


def _order(key: str, descending: bool) -> str:
    return f"sortKey {key}, {'descending' if descending else 'ascending'}"


def decode_cursor(kind: str, sort: Sort, cursor: str | None, argument: str) -> Key | None:
    """The sort key a cursor of the `kind` list, sorted by `sort`, holds. A cursor that
    is not one (made by hand, from another list, cut short) is the client's error, and
    so is one from the same list in another order (its place means nothing there):
    both name the argument, the second the two orders."""
    if cursor is None:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        decoded = None
    if (
        not isinstance(decoded, list)
        or len(decoded) < 3
        or decoded[0] != kind
        or not isinstance(decoded[1], str)
        or decoded[1] not in type(sort.key).__members__
        or not isinstance(decoded[2], bool)
    ):
        raise _not_a_cursor(kind, cursor, argument)
    key, descending, values = decoded[1], decoded[2], decoded[3:]
    if key != sort.key.name or descending != sort.descending:
        raise BadInput(
            f"{argument}: this cursor pages the {kind} list by "
            f"{_order(key, descending)}, but this request sorts it by "
            f"{_order(sort.key.name, sort.descending)}; pass the sortKey and reverse the "
            f"cursor came with, or start again without {argument}",
            argument=argument,
        )
    shape = sort.key_types
    if len(values) != len(shape) or not all(
        _fits(v, t) for v, t in zip(values, shape, strict=True)
    ):
        raise _not_a_cursor(kind, cursor, argument)
    return tuple(values)


def _not_a_cursor(kind: str, cursor: str, argument: str) -> BadInput:
    return BadInput(
        f"{argument}: {cursor!r} is not a cursor of this {kind} list; pass a cursor "
        f"(an edge's, or pageInfo's startCursor or endCursor) of the same list",
        argument=argument,
    )


def _size(value: int | None, argument: str) -> int:
    if value is None:
        return DEFAULT_PAGE
    if not 1 <= value <= MAX_PAGE:
        raise BadInput(f"{argument}: expected 1 to {MAX_PAGE}, got {value}", argument=argument)
    return value


@dataclass(frozen=True, slots=True)
class PageArgs:
    """A connection field's Relay arguments, as the client gave them."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


FIRST_HELP = f"The first this many items (1 to {MAX_PAGE}; {DEFAULT_PAGE} without first or last)."
AFTER_HELP = "Items after this cursor (an edge's, or pageInfo's endCursor)."
LAST_HELP = f"The last this many items (1 to {MAX_PAGE}); not with first."
BEFORE_HELP = "Items before this cursor (an edge's, or pageInfo's startCursor)."
FILTER_HELP = "Only the items every filter given matches; every item without a filter."

#: the four Relay arguments' types, each with its one help text, for every list to share
First = Annotated[int | None, strawberry.argument(description=FIRST_HELP)]
After = Annotated[str | None, strawberry.argument(description=AFTER_HELP)]
Last = Annotated[int | None, strawberry.argument(description=LAST_HELP)]
Before = Annotated[str | None, strawberry.argument(description=BEFORE_HELP)]


def window(kind: str, sort: Sort, args: PageArgs) -> Window:
    """The part of the sorted list the Relay arguments ask for: `first` items after
    `after`, or `last` items before `before` (either cursor may be given with either
    size, bounding the range). `first` and `last` together are refused, as Shopify
    refuses them; without either, the first DEFAULT_PAGE."""
    if args.first is not None and args.last is not None:
        raise BadInput(
            f"Passing both `first` and `last` to paginate the `{kind}` list is not "
            "supported; pass `first` (with `after`) to page forward or `last` (with "
            "`before`) to page back",
            argument="last",
        )
    from_end = args.last is not None
    return Window(
        size=_size(args.last, "last") if from_end else _size(args.first, "first"),
        after=decode_cursor(kind, sort, args.after, "after"),
        before=decode_cursor(kind, sort, args.before, "before"),
        from_end=from_end,
    )


def connection(kind: str, sort: Sort, page: Page[R], convert: Callable[[R], T]) -> Connection[T]:
    edges = [
        Edge(node=convert(item), cursor=encode_cursor(kind, sort, key))
        for item, key in zip(page.items, page.keys, strict=True)
    ]
    info = PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, total_count=page.total)
