"""A finished run's new read model file written through sqlite3 (`RunFile`,
hub/adapters/read_model/run_file.py) is the file the SQLAlchemy read model writes: the
same schema, text for text, and the same rows, value for value and type for type. Its
SQL comes from sqlite_schema.py, generated from the tables' one definition, which must
be up to date; its conversions are SQLAlchemy's bind processors'."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite

from hub.adapters.read_model import ReadModel, sqlite_url, tables
from hub.adapters.read_model.projection import (
    OrderLineRow,
    PaymentRow,
    ReturnLineRow,
    ShipmentRow,
    StatusChangeRow,
)
from hub.adapters.read_model.records import (
    OrderLineRecord,
    PaymentRecord,
    ReturnLineRecord,
    ShipmentRecord,
    SkuRecord,
    StatusChangeRecord,
    SystemRecordRecord,
    SystemRecordRow,
    TimelineRow,
    TransactionRecord,
    TransactionRow,
)
from hub.adapters.read_model.run_file import (
    CONVERTERS,
    MADE,
    MOST_ROWS,
    MOST_VALUES,
    RunFile,
    WrittenTwice,
    _json_text,
    multi_row,
    rows_a_statement,
)
from hub.adapters.read_model.sqlite_schema import COLUMNS, CONVERSIONS, INDEXES, TABLES, UPSERTS
from hub.adapters.read_model.sqlite_schema_gen import TARGET, render
from scenarios.checking.verdict import Verdict, judge
from scenarios.reports.read_model import write_finished_run
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run
from scenarios.twin.timeline import TimelineRecorder

ROOT = Path(__file__).resolve().parents[3]

#: a day with payouts, one with companies, one with held prices: every table gets rows
RUNS = {
    "marketplace-settlement": ("scenario.scale=0.05",),
    "b2b-net-terms": ("scenario.scale=0.05",),
    "promotion-launch": ("scenario.scale=0.05",),
}


@cache
def _finished(name: str) -> tuple[RunResult, Verdict, TimelineRecorder, tuple[TimelineRow, ...]]:
    observer = TimelineRecorder()
    result = run(load_scenario(name, RUNS[name]), observer=observer)
    return result, judge(result, name, RUNS[name]), observer, tuple(observer.entries)


def _dump(path: Path) -> list[str]:
    """The schema's rows and every table's rows with their values' types, sorted."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        schema = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
        lines = sorted(repr(row) for row in schema)
        lines.append(repr(db.execute("PRAGMA journal_mode").fetchone()))
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for name in sorted(names):
            rows = db.execute(f'SELECT * FROM "{name}"').fetchall()
            lines += sorted(f"{name} {row!r} {[type(v).__name__ for v in row]}" for row in rows)
        return lines
    finally:
        db.close()


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_run_file_is_the_sqlalchemy_read_models_file(name: str, tmp_path: Path) -> None:
    result, verdict, observer, timeline = _finished(name)
    written = {"sqlite3": tmp_path / "sqlite3.sqlite", "sqlalchemy": tmp_path / "sa.sqlite"}
    stores = {
        "sqlite3": RunFile(written["sqlite3"]),
        "sqlalchemy": ReadModel.open(sqlite_url(written["sqlalchemy"]), write_once=True),
    }
    for store in stores.values():
        observer.entries = list(timeline)  # each projection drains the timeline
        asyncio.run(write_finished_run(result, verdict, observer, store))
    dumps = {way: _dump(path) for way, path in written.items()}
    assert dumps["sqlite3"] == dumps["sqlalchemy"]
    counts = {t: sum(line.startswith(f"{t} (") for line in dumps["sqlite3"]) for t in COLUMNS}
    assert counts["timeline"] == len(timeline) > 0
    assert counts["orders"] > 0 and counts["documents"] == 3


def test_every_table_gets_rows_from_one_of_the_runs(tmp_path: Path) -> None:
    """So the comparison above covers each table's statement and conversions."""
    filled: set[str] = set()
    for name in sorted(RUNS):
        result, verdict, observer, timeline = _finished(name)
        path = tmp_path / f"{name}.sqlite"
        observer.entries = list(timeline)
        asyncio.run(write_finished_run(result, verdict, observer, RunFile(path)))
        db = sqlite3.connect(path)
        try:
            filled |= {t for t in COLUMNS if db.execute(f'SELECT 1 FROM "{t}"').fetchone()}
        finally:
            db.close()
    # what a finished run never writes: a live twin's identity and the API's answers
    assert set(COLUMNS) - filled == {"run_identity", "idempotency_keys"}


#: values of the kinds each conversion meets (the booleans' and floats' columns are NOT
#: NULL, the JSON ones may hold a JSON null)
SAMPLES: dict[str, list[Any]] = {
    "json": [
        {"a": [1, "é", None], "b": {"c": 2.5}},
        [],
        None,
        "text",
        {"n": 10**20, "f": [-0.0, 1e-7, 3.0], "t": True, "s": 'a "quote", a \\ and a\nline'},
    ],
    "bool": [True, False],
    "float": [1, -1, 2.5, 0, True],
}


def test_each_conversion_is_what_sqlalchemy_binds() -> None:
    dialect = SQLiteDialect_aiosqlite()
    checked = 0
    for (table, column), kind in CONVERSIONS.items():
        column_type = tables.metadata.tables[table].c[column].type
        bind = column_type.dialect_impl(dialect).bind_processor(dialect)
        assert bind is not None, f"{table}.{column}"
        for value in SAMPLES[kind]:
            ours, theirs = CONVERTERS[kind](value), bind(value)
            assert (ours, type(ours)) == (theirs, type(theirs)), f"{table}.{column}"
            checked += 1
    assert checked > 40


@pytest.mark.parametrize("encoder", ["missing", "other arguments", "other text"])
def test_json_falls_back_to_json_dumps_when_the_c_encoder_is_not_the_one_known(
    encoder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The JSON text comes from the standard library's private C encoder, made once; a
    Python whose encoder is missing, takes other arguments or writes another text gets
    `json.dumps` itself, never a wrong column or an import that fails."""

    def other_arguments(*args: Any) -> Any:
        raise TypeError("c_make_encoder() takes other arguments")

    def other_text(*args: Any) -> Any:
        return lambda value, indent: ["{}"]

    replacement = {"missing": None, "other arguments": other_arguments, "other text": other_text}
    monkeypatch.setattr(json.encoder, "c_make_encoder", replacement[encoder])
    assert _json_text() is json.dumps


def test_json_is_written_by_the_c_encoder_made_once_as_json_dumps_writes() -> None:
    made = _json_text()
    assert made is not json.dumps
    value = {"k": [1, -0.0, 1e-7, 2**70, None, False, 'q"\\\nx', "é"]}
    assert made(value) == json.dumps(value)


def test_a_value_left_unconverted_is_stored_as_the_converted_one() -> None:
    """The numbers `RunFile` hands sqlite3 as they are (`MADE` says why): in a column
    of the table's own declared type, SQLite keeps what SQLAlchemy's bind processor
    would have sent, value for value and type for type."""
    dialect = SQLiteDialect_aiosqlite()
    db = sqlite3.connect(":memory:")
    checked = 0
    try:
        for (table, column), kind in CONVERSIONS.items():
            if kind in MADE:
                continue
            column_type = tables.metadata.tables[table].c[column].type
            bind = column_type.dialect_impl(dialect).bind_processor(dialect)
            assert bind is not None, f"{table}.{column}"
            declared = column_type.compile(dialect=dialect)
            db.execute(f"CREATE TABLE t (raw {declared} NOT NULL, bound {declared} NOT NULL)")
            for value in SAMPLES[kind]:
                db.execute("INSERT INTO t VALUES (?, ?)", (value, bind(value)))
            for raw, bound in db.execute("SELECT raw, bound FROM t"):
                assert (raw, type(raw)) == (bound, type(bound)), f"{table}.{column}"
                checked += 1
            db.execute("DROP TABLE t")
    finally:
        db.close()
    assert checked > 40


def test_the_indexes_are_built_once_the_rows_are_in(tmp_path: Path) -> None:
    """Each index is made when the file is handed over, over the rows written, and a
    query of the rows uses it then."""
    path = tmp_path / "read_model.sqlite"
    rows: list[TimelineRow] = [
        (seq, f"O-{seq % 7}", "", float(seq), seq - 0.5, "hub", "erp", "k", seq, False, "")
        for seq in range(1, 50)
    ]

    async def write() -> list[str]:
        store = RunFile(path)
        try:
            await store.create_schema()
            await store.append_timeline(rows)
            made = store._conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            before = [name for (name,) in made if not name.startswith("sqlite_autoindex")]
            await store.hand_to_readers()
            return before
        finally:
            await store.dispose()

    assert asyncio.run(write()) == []
    db = sqlite3.connect(path)
    try:
        made = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {statement.split()[2] for statement in INDEXES} <= made
        assert len(TABLES) == sum(
            1 for _ in db.execute("SELECT 1 FROM sqlite_master WHERE type='table'")
        )
        plan = db.execute("EXPLAIN QUERY PLAN SELECT seq FROM timeline WHERE order_id = 'O-3'")
        assert "ix_timeline_order" in " ".join(str(step) for step in plan)
        assert [
            seq
            for (seq,) in db.execute("SELECT seq FROM timeline WHERE order_id = 'O-3' ORDER BY seq")
        ] == [seq for seq in range(1, 50) if seq % 7 == 3]
    finally:
        db.close()


def test_the_generated_schema_is_up_to_date() -> None:
    assert TARGET.read_text() == render()
    check = subprocess.run(
        [sys.executable, "-m", "hub.adapters.read_model.sqlite_schema_gen", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_run_file_is_written_new_and_each_table_once(tmp_path: Path) -> None:
    path = tmp_path / "read_model.sqlite"

    async def write_skus_twice() -> None:
        store = RunFile(path)
        try:
            await store.create_schema()
            await store.write_master_data([SkuRecord("S-1", "one", "c", 100, 2000, 1)], [])
            await store.write_master_data([SkuRecord("S-2", "two", "c", 100, 2000, 2)], [])
        finally:
            await store.dispose()

    with pytest.raises(WrittenTwice, match="skus was written already"):
        asyncio.run(write_skus_twice())
    with pytest.raises(FileExistsError):
        RunFile(path)


def test_all_tables_holds_every_table_without_the_read_model() -> None:
    """The package imports nothing on its own, so a reader of `metadata` that does not
    go through `ReadModel` (which imports every table's module) takes it from
    all_tables.py, and sees every table there, tables.py's first."""
    code = (
        "import json\n"
        "from hub.adapters.read_model.all_tables import metadata\n"
        "print(json.dumps(list(metadata.tables)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    shown = json.loads(done.stdout)
    assert sorted(shown) == sorted(tables.metadata.tables)
    assert shown[0] == "orders"
    assert "companies" in tables.metadata.tables and "payouts" in tables.metadata.tables


@pytest.mark.parametrize("flat", [False, True])
def test_rows_bound_many_a_statement_are_the_rows_bound_one_a_statement(
    flat: bool, tmp_path: Path
) -> None:
    """`RunFile` binds a table's rows `rows_a_statement` to an INSERT (`multi_row`):
    three statements' worth and a rest make the same table as an INSERT a row, in the
    same order and with the same types, and an upsert's later row for a key already
    taken wins as it would a statement later; so do the rows given flat, as a run
    records its timeline (`append_timeline_fields`)."""
    width = len(COLUMNS["timeline"])
    count = 3 * rows_a_statement(width) + 5
    rows: list[tuple[Any, ...]] = [
        (
            seq,
            f"O-{seq % 7}",
            "" if seq % 3 else f"R-{seq}",
            seq * 0.1,
            seq / 3,
            "hub",
            "erp",
            "order",
            seq,
            bool(seq % 2),
            "sent",
        )
        for seq in range(count)
    ]
    rows.append((5, "O-again", "", 9.75, 1e-9, "erp", "hub", "answer", 5, True, "later"))

    async def write(path: Path) -> None:
        store = RunFile(path)
        try:
            await store.create_schema()
            if flat:
                await store.append_timeline_fields([value for row in rows for value in row])
            else:
                await store.append_timeline(rows)
            await store.hand_to_readers()
        finally:
            await store.dispose()

    asyncio.run(write(tmp_path / "many.sqlite"))
    one = sqlite3.connect(":memory:")
    for statement in TABLES:
        one.execute(statement)
    one.executemany(UPSERTS["timeline"], rows)
    query = "SELECT *, typeof(at), typeof(duplicate), rowid FROM timeline ORDER BY rowid"
    written = sqlite3.connect(tmp_path / "many.sqlite").execute(query).fetchall()
    assert written == one.execute(query).fetchall()
    assert len(written) == count
    assert written[5][1] == "O-again"


def test_a_statement_of_many_rows_repeats_its_one_group_of_placeholders() -> None:
    assert multi_row("INSERT INTO t (a, b) VALUES (?, ?)", 2, 3) == (
        "INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?)"
    )
    assert rows_a_statement(11) == MOST_ROWS  # a timeline row's 11 values: 48 rows
    assert rows_a_statement(40) * 40 <= MOST_VALUES < (rows_a_statement(40) + 1) * 40
    assert rows_a_statement(MOST_VALUES + 1) == 1
    with pytest.raises(ValueError, match="not a one-row INSERT"):
        multi_row("INSERT INTO t (a, b) VALUES (?, ?), (?, ?)", 2, 2)


@pytest.mark.parametrize(
    ("record", "row", "table"),
    [
        (SystemRecordRecord, SystemRecordRow, "system_records"),
        (TransactionRecord, TransactionRow, "order_transactions"),
        (OrderLineRecord, OrderLineRow, "order_lines"),
        (StatusChangeRecord, StatusChangeRow, "order_history"),
        (StatusChangeRecord, StatusChangeRow, "return_history"),
        (PaymentRecord, PaymentRow, "payments"),
        (ShipmentRecord, ShipmentRow, "shipments"),
        (ReturnLineRecord, ReturnLineRow, "return_lines"),
    ],
)
def test_a_row_the_projection_makes_is_its_records_fields_and_its_tables_columns(
    record: type, row: Any, table: str
) -> None:
    """The rows the projection makes (the cross-system views', an order's and a
    return's children) are bound as they are by both stores, and read back as records
    (`record(*row)`): the row's types are the record's fields' in order, and those are
    the table's columns."""
    names = tuple(field.name for field in fields(record))
    assert names == tuple(COLUMNS[table])
    hints = get_type_hints(record)
    assert get_args(row) == tuple(hints[name] for name in names)


def test_a_row_of_another_width_is_refused(tmp_path: Path) -> None:
    async def write() -> None:
        store = RunFile(tmp_path / "read_model.sqlite")
        try:
            await store.create_schema()
            await store.write_system_views(["O-1"], [("O-1", "erp", "S-1")], [])  # type: ignore[list-item]
        finally:
            await store.dispose()

    with pytest.raises(ValueError, match="system_records: a row of 3 values"):
        asyncio.run(write())
