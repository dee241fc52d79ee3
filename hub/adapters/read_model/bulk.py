"""Many rows into one table, through the driver's own executemany.

SQLAlchemy's `conn.execute(statement, [dict, ...])` builds and processes a parameter
dictionary per row in Python before the driver sees it; for a finished run's read
model (about 89,000 rows for steady-day) that was most of the write (construct_params
alone about a quarter of it, profiled). Here the statement is compiled once per table,
shape and dialect, each record becomes a tuple in the compiled statement's parameter
order with the column types' own bind processors applied (JSON to text, booleans as
the dialect stores them), and the driver's executemany takes the lot. Same statements,
same values, same transaction: only the per-row bookkeeping goes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import Insert

#: a value as the driver takes it
Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    #: record field names in the statement's parameter order
    names: tuple[str, ...]
    processors: tuple[Processor, ...]


_CACHE: dict[tuple[str, str, str, tuple[str, ...]], _Compiled] = {}


def _compiled(
    conn: AsyncConnection, statement: Insert, table: Table, shape: str, names: tuple[str, ...]
) -> _Compiled:
    key = (table.name, shape, conn.dialect.name, names)
    found = _CACHE.get(key)
    if found is None:
        dialect = conn.dialect
        compiled = statement.compile(dialect=dialect, column_keys=list(names))
        order = tuple(compiled.positiontup or ())
        if sorted(order) != sorted(names):
            raise ValueError(f"{table.name}: parameters {order} are not the record's {names}")
        processors = tuple(
            table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in order
        )
        found = _CACHE[key] = _Compiled(str(compiled), order, processors)
    return found


async def insert_records(
    conn: AsyncConnection, statement: Insert, table: Table, shape: str, records: Sequence[Any]
) -> None:
    """Execute `statement` (an INSERT or an upsert of `table`, whose kind `shape` names
    for the cache) once per record, the records being dataclasses of one type whose
    fields are the table's columns, or tuples of the columns in the table's order (the
    rows the projection makes as such: `SystemRecordRow`)."""
    if not records:
        return
    if type(records[0]) is tuple:
        await insert_tuples(conn, statement, table, shape, tuple(table.c.keys()), records)
        return
    plan = _compiled(conn, statement, table, shape, tuple(f.name for f in fields(records[0])))
    await conn.exec_driver_sql(plan.sql, rows_of(plan, records))


async def insert_tuples(
    conn: AsyncConnection,
    statement: Insert,
    table: Table,
    shape: str,
    names: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """`insert_records` for rows that are tuples already, each holding the columns
    `names` in that order: what is recorded by the ten thousand (the timeline's
    deliveries) is kept as tuples and never becomes a record object per row."""
    if not rows:
        return
    plan = _compiled(conn, statement, table, shape, names)
    await conn.exec_driver_sql(plan.sql, tuples_in_order(plan, names, rows))


def tuples_in_order(
    plan: _Compiled, names: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """`rows` (tuples of `names`) as the driver's parameter tuples: put in the
    statement's parameter order and passed through the bind processors, a column at a
    time."""
    processed = [(i, p) for i, p in enumerate(plan.processors) if p is not None]
    if plan.names == names and not processed:
        return list(rows)
    by_name = dict(zip(names, zip(*rows, strict=True), strict=True))
    columns: list[Any] = [by_name[name] for name in plan.names]
    for i, processor in processed:
        columns[i] = map(processor, columns[i])
    return list(zip(*columns, strict=True))


def rows_of(plan: _Compiled, records: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The records as the driver's parameter tuples, built a column at a time: one
    C-level attribute fetch per record, and a column's bind processor mapped over that
    column alone, instead of a Python generator per row and a test per cell (that was
    the largest single item of writing a finished run's read model, profiled)."""
    fetch = attrgetter(*plan.names)
    if len(plan.names) == 1:
        return [(fetch(record),) for record in records]
    rows: list[tuple[Any, ...]] = list(map(fetch, records))
    processed = [(i, p) for i, p in enumerate(plan.processors) if p is not None]
    if not processed or not rows:
        return rows
    columns: list[Any] = list(zip(*rows, strict=True))
    for i, processor in processed:
        columns[i] = map(processor, columns[i])
    return list(zip(*columns, strict=True))
