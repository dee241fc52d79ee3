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
    conn: AsyncConnection, statement: Insert, table: Table, shape: str, record: Any
) -> _Compiled:
    names = tuple(f.name for f in fields(record))
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
    fields are the table's columns."""
    if not records:
        return
    plan = _compiled(conn, statement, table, shape, records[0])
    getters = [
        (name, processor) for name, processor in zip(plan.names, plan.processors, strict=True)
    ]
    rows = [
        tuple(
            getattr(record, name) if processor is None else processor(getattr(record, name))
            for name, processor in getters
        )
        for record in records
    ]
    await conn.exec_driver_sql(plan.sql, rows)
