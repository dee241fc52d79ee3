"""Batch loads' statements built once, and rows made records without a mapping each.

A GraphQL page reads a few batch loads (its orders' lines and returns, their SKUs), each
an `IN (...)` over the parents the page touched. Building the statement for every load
coerced each id into a bound parameter of its own and walked the new statement for its
cache key; turning each row into a dict through its mapping cost as much again. Those
were most of what a load cost, many times what SQLite took to answer it. So:

- a batch load's statement is built once per table, key, order and columns read, with
  the ids as one expanding parameter (`IN (__[POSTCOMPILE_ids])`); its cache key is
  computed once and its compiled form comes from the engine's cache;
- a row becomes its record positionally when the columns read are the record's fields
  in order (records.py: field names equal column names, in the tables' order), by
  keyword otherwise (an older database read around its gaps, a record that leaves out
  a column).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields, is_dataclass
from typing import Any, Final, TypeVar

from sqlalchemy import ColumnElement, Select, Table, TableClause, bindparam, select
from sqlalchemy.engine import Result

R = TypeVar("R")

#: the expanding parameter a batch load's statement takes its ids in
IDS: Final = "ids"

_StatementKey = tuple[str, str, tuple[str, ...], tuple[str, ...], bool]
_statements: dict[_StatementKey, Select[Any]] = {}
_positional: dict[tuple[Callable[..., Any], tuple[str, ...]], bool] = {}


def by_parent_statement(
    table: Table | TableClause,
    key: str,
    order: Sequence[ColumnElement[Any]],
    key_set: bool = False,
) -> Select[Any]:
    """`SELECT * FROM table WHERE key IN (:ids) ORDER BY order`, built once: `table` may
    be one narrowed to the columns an older database has (schema_gaps.py), so the
    statement is known by the names of the columns it reads, not by the table object.
    `key_set`: `AND key != ''` too, which selects no other row (a parent's id is never
    empty) and lets SQLite use an index of only the rows whose key is set (a partial
    index, such as the timeline's by return)."""
    columns = tuple(c.name for c in table.c)
    names = tuple(str(getattr(c, "name", c)) for c in order)
    cache_key = (table.name, key, names, columns, key_set)
    statement = _statements.get(cache_key)
    if statement is None:
        statement = select(table).where(table.c[key].in_(bindparam(IDS, expanding=True)))
        if key_set:
            statement = statement.where(table.c[key] != "")
        statement = statement.order_by(*order)
        _statements[cache_key] = statement
    return statement


def _is_positional(make: Callable[..., Any], names: tuple[str, ...]) -> bool:
    found = _positional.get((make, names))
    if found is None:
        found = is_dataclass(make) and tuple(f.name for f in fields(make)) == names
        _positional[(make, names)] = found
    return found


def maker(make: Callable[..., R], names: Sequence[str]) -> Callable[[Sequence[Any]], R]:
    """A row's values, the columns `names` in order, as a `make`."""
    named = tuple(names)
    if _is_positional(make, named):
        return lambda values: make(*values)
    return lambda values: make(**dict(zip(named, values, strict=True)))


def records(result: Result[Any], make: Callable[..., R]) -> Iterator[R]:
    """`result`'s rows as `make`'s, each row's columns as its fields."""
    return map(maker(make, list(result.keys())), result)
