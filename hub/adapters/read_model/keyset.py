"""Keyset pages of a sorted list, read from either end (Relay's `first`/`after` and
`last`/`before`).

A page is the rows strictly between two cursors (`after`, `before`: the sort-key values
of rows a client has seen), `size` of them from the near end (`first`) or the far end
(`last`). Comparing row values (`WHERE (placed_at, id) < (:t, :id)`) rather than
counting an offset means page fifty costs what page one does, and a row inserted while
a client pages cannot shift the pages it has not read yet: the next page starts after
the last row it saw, wherever that row now is.

Whether rows lie beyond the page on the side it was read from is the one extra row the
page asks for; whether rows lie beyond the cursor on the other side is an `EXISTS`
asked in the same statement as the count, so a page is two statements whichever way it
is read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Table,
    and_,
    exists,
    func,
    not_,
    select,
    true,
    tuple_,
)

from hub.adapters.read_model.batch_reads import maker
from hub.adapters.read_model.sorting import Sort

R = TypeVar("R")
Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Window:
    """Which part of a sorted list to read: the rows after `after` and before `before`
    (either may be open), `size` of them from the start of that range, or from its end
    when `from_end` (Relay's `last`)."""

    size: int
    after: Key | None = None
    before: Key | None = None
    from_end: bool = False


@dataclass(frozen=True, slots=True)
class Page(Generic[R]):
    """Rows in list order, each row's sort-key values (for its cursor), how many rows
    match in all, and whether rows match beyond each end of the page."""

    items: list[R]
    keys: list[Key]
    total: int
    has_next: bool
    has_previous: bool = False


def _later(sort: Sort, bound: Key) -> ColumnElement[bool]:
    """Rows that come after the row with sort-key values `bound`, in list order."""
    row = tuple_(*sort.columns)
    return row < tuple_(*bound) if sort.descending else row > tuple_(*bound)


def _earlier(sort: Sort, bound: Key) -> ColumnElement[bool]:
    row = tuple_(*sort.columns)
    return row > tuple_(*bound) if sort.descending else row < tuple_(*bound)


def read_page(
    conn: Connection,
    table: Table,
    where: Sequence[ColumnElement[bool]],
    sort: Sort,
    window: Window,
    make: Callable[..., R],
    columns: Sequence[Column[Any]] | None = None,
) -> Page[R]:
    """One page of `table`'s rows that match `where`, ordered by `sort`, as `make`'s;
    `columns`: the ones to read, when the database lacks some of the table's (a read
    model an earlier version wrote; `make` gives the rest their defaults)."""
    read = list(table.c) if columns is None else list(columns)
    condition = and_(true(), *where)
    bounds = [condition]
    if window.after is not None:
        bounds.append(_later(sort, window.after))
    if window.before is not None:
        bounds.append(_earlier(sort, window.before))
    # the far side of the cursor the page was read from: rows the client passed over
    if window.from_end:
        beyond = None if window.before is None else not_(_earlier(sort, window.before))
    else:
        beyond = None if window.after is None else not_(_later(sort, window.after))
    count = select(func.count()).select_from(table).where(condition).scalar_subquery()
    other_side = (
        exists(select(1).select_from(table).where(condition, beyond))
        if beyond is not None
        else true()
    )
    total, more_beyond = conn.execute(select(count, other_side)).one()
    toward_start = sort.descending != window.from_end
    keys = [c.label(f"sort_key_{i}") for i, c in enumerate(sort.columns)]
    statement = (
        select(*read, *keys)
        .where(*bounds)
        .order_by(*(c.desc() if toward_start else c.asc() for c in sort.columns))
        .limit(window.size + 1)
    )
    rows = list(conn.execute(statement))
    more_ahead = len(rows) > window.size
    rows = rows[: window.size]
    if window.from_end:
        rows.reverse()
    # each row: the columns read, then the sort key's values
    width = len(read)
    record = maker(make, [c.name for c in read])
    items = [record(row[:width]) for row in rows]
    row_keys = [tuple(row[width:]) for row in rows]
    more_beyond = bool(more_beyond) and beyond is not None
    has_next, has_previous = (
        (more_beyond, more_ahead) if window.from_end else (more_ahead, more_beyond)
    )
    return Page(items, row_keys, int(total), has_next, has_previous)
