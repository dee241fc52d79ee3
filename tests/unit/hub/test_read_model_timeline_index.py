"""The timeline's index by return holds only the rows of a return (a partial index:
most of a day's timeline is about an order alone), and the read model's query by return
states the same condition, so SQLite uses it: a partial index serves only a query whose
WHERE holds its own, and without the condition the same query scans the table."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy.dialects import sqlite

from hub.adapters.read_model import tables
from hub.adapters.read_model.batch_reads import IDS, by_parent_statement
from hub.adapters.read_model.sqlite_schema import INDEXES, TABLES

T = tables.timeline


def _row(seq: int) -> tuple[Any, ...]:
    """A timeline row; every tenth about a return."""
    ret = f"R-{seq // 20}" if seq % 10 == 0 else ""
    return (seq, f"W-{seq // 4}", ret, float(seq), float(seq), "web", "hub", "created", seq, 0, "")


def _file() -> sqlite3.Connection:
    """The read model's schema as a finished run's file has it, with a timeline of 200
    messages, every tenth about a return."""
    db = sqlite3.connect(":memory:")
    for statement in (*TABLES, *INDEXES):
        db.execute(statement)
    db.executemany(
        "INSERT INTO timeline VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_row(seq) for seq in range(200)],
    )
    db.execute("ANALYZE")
    return db


def _sql(key_set: bool, returns: list[str]) -> str:
    statement = by_parent_statement(T, "return_id", [T.c.return_id, T.c.seq], key_set)
    compiled = statement.params({IDS: returns}).compile(
        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
    )
    return str(compiled)


def _plan(db: sqlite3.Connection, sql: str) -> str:
    return " | ".join(str(row[-1]) for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"))


def test_the_index_by_return_is_partial_and_the_index_by_order_whole() -> None:
    assert (
        "CREATE INDEX ix_timeline_return ON timeline (return_id, seq) WHERE return_id != ''"
        in INDEXES
    )
    assert "CREATE INDEX ix_timeline_order ON timeline (order_id, seq)" in INDEXES


def test_the_query_by_return_uses_the_partial_index_and_reads_the_same_rows() -> None:
    db = _file()
    returns = ["R-1", "R-3"]
    with_condition = _sql(True, returns)
    assert "ix_timeline_return" in _plan(db, with_condition)
    # the condition is what lets SQLite use it: the same query without it scans
    without = _sql(False, returns)
    assert "ix_timeline_return" not in _plan(db, without)
    read: list[Any] = db.execute(with_condition).fetchall()
    assert read == db.execute(without).fetchall()
    assert [(row[0], row[2]) for row in read] == [
        (20, "R-1"),
        (30, "R-1"),
        (60, "R-3"),
        (70, "R-3"),
    ]
