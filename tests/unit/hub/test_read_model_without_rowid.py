"""The read model's tables keyed by several columns are SQLite tables WITHOUT ROWID
(clustered.py): one B-tree ordered by the key, no second one of the key for every insert
to write. A finished run's file (sqlite_schema.py) and a live twin's (SQLAlchemy's
`create_all`) are made so alike, and a child's rows read by their parent come back in
the order the query asks for, whatever order they were written in."""

from __future__ import annotations

import sqlite3

from sqlalchemy import create_engine
from sqlalchemy.dialects import sqlite

# the tables of companies and payouts join the metadata when their modules are imported
from hub.adapters.read_model import company_tables, payout_tables, tables
from hub.adapters.read_model.batch_reads import IDS, by_parent_statement
from hub.adapters.read_model.sqlite_schema import INDEXES, TABLES


def _file() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    for statement in (*TABLES, *INDEXES):
        db.execute(statement)
    return db


def _key_indexes(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Each table's indexes of its key kept apart from its rows (SQLite's own: a table
    WITHOUT ROWID is itself ordered by its key, and has none)."""
    return {
        name: [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                " AND name LIKE 'sqlite_autoindex_%'",
                (name,),
            )
        ]
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }


def _without_rowid(db: sqlite3.Connection) -> set[str]:
    return {row[1] for row in db.execute("PRAGMA table_list") if row[4] and row[2] == "table"}


def _keyed_by_several() -> set[str]:
    assert company_tables.companies.name in tables.metadata.tables
    assert payout_tables.payout_lines.name in tables.metadata.tables
    return {t.name for t in tables.metadata.sorted_tables if len(t.primary_key.columns) > 1}


def test_every_table_keyed_by_several_columns_has_no_index_of_its_key() -> None:
    several = _keyed_by_several()
    assert {"order_lines", "order_history", "system_records", "payout_lines"} <= several
    db = _file()
    assert _without_rowid(db) == several
    found = _key_indexes(db)
    assert {name: found[name] for name in several} == {name: [] for name in several}
    # a table keyed by one text column keeps its rowid and the index of its key
    assert found["orders"] == ["sqlite_autoindex_orders_1"]


def test_sqlalchemy_makes_the_same_tables_as_a_finished_runs_file() -> None:
    engine = create_engine("sqlite://")
    tables.metadata.create_all(engine)
    raw = engine.raw_connection()
    try:
        live: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        assert _without_rowid(live) == _without_rowid(_file()) == _keyed_by_several()
        assert _key_indexes(live) == _key_indexes(_file())
    finally:
        raw.close()


def test_a_childs_rows_come_back_in_the_order_asked_for_not_the_order_written() -> None:
    db = _file()
    written = [("W-2", 1), ("W-1", 2), ("W-2", 0), ("W-1", 0), ("W-1", 1)]
    db.executemany(
        "INSERT INTO order_history VALUES (?, ?, 'created', 0.0, 'web')",
        written,
    )
    t = tables.order_history
    statement = by_parent_statement(t, "owner_id", [t.c.owner_id, t.c.seq])
    compiled = statement.params({IDS: ["W-2", "W-1"]}).compile(
        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
    )
    rows = db.execute(str(compiled)).fetchall()
    assert [(row[0], row[1]) for row in rows] == sorted(written)
