"""A finished run's new read model file, written through the standard library's sqlite3.

`run --out DIR` writes DIR/read_model.sqlite once, whole, into a staging folder no
reader sees until it is sealed and renamed into place (scenarios/reports/out_folder.py).
Nothing of SQLAlchemy is needed for that: no dialects, no pool, no event loop thread
(aiosqlite runs each statement on a thread of its own and hands the result back), only
the statements and the conversions SQLAlchemy would make. Those are generated from the
tables' one definition into sqlite_schema.py (`sqlite_schema_gen`), and executed here:
the same CREATE statements, the same INSERTs and upserts, each record's values
converted as the column types' bind processors convert them. So the file holds the
same schema and the same rows as one the SQLAlchemy read model writes, and the process
writing it (`run --out`'s forked writer) never imports SQLAlchemy or aiosqlite (some
0.3-0.45 s of CPU) and spends no time on their per-statement machinery.

Written as `write_once_pragmas` says (no journal, no syncs: a failed write leaves a
file that is never published) in one transaction, and handed to readers in WAL mode as
every other read model is (`hand_to_readers`). A new file only: every table starts
empty, so each aggregate is written once (`RunFile` refuses a second write of a table
it replaces, which a one-shot projection never makes), and nothing is deleted first.
Its indexes are built once every row is in, just before it is handed over: SQLite
then sorts each index's keys once, where an index there from the start takes every
row into its B-tree one by one (steady-day's timeline, 37,000 rows under two indexes:
0.15 s of CPU to insert that way, 0.09 s with the indexes built after). Nobody reads
the file before it is handed over, so no query ever runs without them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import fields
from functools import cache
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

from compiled_build import mypyc_attr
from hub.adapters.read_model.company_records import CompanyRecord, OrderTermsRecord
from hub.adapters.read_model.payout_records import PayoutSnapshot
from hub.adapters.read_model.projection import OrderSnapshot, ReturnSnapshot
from hub.adapters.read_model.records import (
    TIMELINE_FIELDS,
    TIMELINE_WIDTH,
    ChannelAvailabilityRecord,
    ChannelPriceRecord,
    CustomerRecord,
    LocationRecord,
    OrderSyncRecord,
    PositionRecord,
    SkuRecord,
    SystemRecordRow,
    TimelineRow,
    TransactionRow,
)
from hub.adapters.read_model.sqlite_schema import (
    COLUMNS,
    CONVERSIONS,
    INDEXES,
    INSERTS,
    TABLES,
    UPSERTS,
)
from hub.adapters.read_model.writes import timeline_rows

#: a value `_json_text` writes once with the encoder it makes before trusting it, and
#: the text `json.dumps` writes for it (SQLAlchemy's JSON type's text)
_JSON_SAMPLE = {"a": [1, 2.5, None, True, "é", {"b": -0.0}]}
_JSON_SAMPLE_TEXT = '{"a": [1, 2.5, null, true, "\\u00e9", {"b": -0.0}]}'


def _json_text() -> Callable[[Any], str]:
    """`json.dumps` with its default settings (what SQLAlchemy's JSON type calls), made
    as `json.dumps` makes it, once: `json.dumps` builds a new encoder for every value
    (the C one, `c_make_encoder`, with those settings), which was more than half its
    cost over the 15,000 small dicts of a steady-day's file (the system records'
    fields, the fulfilments' lines, the disagreements). The text is the same, since
    the encoder is; the check for a circular value is left out (a record's JSON is
    plain data: a value that held itself would end in a RecursionError instead of a
    ValueError). `json.dumps` itself where the C encoder is missing, or takes other
    arguments, or writes another text than `json.dumps` for a sample."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return json.dumps
    defaults = json.JSONEncoder()
    try:  # a private name: another Python may take other arguments, or none of these
        encode = make(
            None,
            defaults.default,
            json.encoder.encode_basestring_ascii,
            None,
            defaults.key_separator,
            defaults.item_separator,
            defaults.sort_keys,
            defaults.skipkeys,
            defaults.allow_nan,
        )
        if "".join(encode(_JSON_SAMPLE, 0)) != _JSON_SAMPLE_TEXT:
            return json.dumps
    except TypeError:
        return json.dumps

    def text(value: Any) -> str:
        return "".join(encode(value, 0))

    return text


#: sqlite_schema.CONVERSIONS' names: what SQLAlchemy's bind processors do on SQLite.
#: Its JSON type serialises None too, as "null" (`json.dumps`' text); the booleans and
#: floats converted are NOT NULL columns (`sqlite_schema_gen` holds that), so the
#: builtins take no None
CONVERTERS: dict[str, Callable[[Any], Any]] = {"json": _json_text(), "bool": int, "float": float}

#: the conversions this file makes before sqlite3 binds a value. A number is handed
#: over as it is, since SQLite stores it as SQLAlchemy's conversion would have: a FLOAT
#: column has REAL affinity, which stores an integer as the float `float` makes. A
#: boolean is made the integer `int` makes, which is what sqlite3 binds for it anyway
#: (below), by one `map` over its column of a statement's values (`_flat`), so that
#: sqlite3 binds an integer at once instead of looking its adapter up for each one
#: (the timeline's 37,127 `duplicate`s on steady-day)
MADE: frozenset[str] = frozenset({"json", "bool"})

#: sqlite3 binds a value whose type is exactly int, float, str or bytes at once; any
#: other it first tries to adapt, and a bool, found in no adapter, costs it a failed
#: `__adapt__` and a failed `__conform__` lookup (two AttributeErrors raised and
#: cleared) before it is bound as the integer it is (steady-day's file: 43,800 booleans,
#: 37,127 of them the timeline's `duplicate`). With `int` registered as the adapter the
#: integer bound is the same, found in one lookup. Process-wide, as sqlite3's adapters
#: are, and the same integer for any other connection in the process. This file makes
#: its own booleans integers first (`MADE`); the adapter is for any other bound here
sqlite3.register_adapter(bool, int)

#: the columns this file converts, by table: (their places in COLUMNS, the conversion)
_CONVERTED: dict[str, tuple[tuple[int, Callable[[Any], Any]], ...]] = {
    table: tuple(
        (index, CONVERTERS[CONVERSIONS[table, name]])
        for index, name in enumerate(columns)
        if CONVERSIONS.get((table, name)) in MADE
    )
    for table, columns in COLUMNS.items()
}


#: the most values bound to one statement: SQLite's lowest limit on a statement's
#: parameters (999, the default before 3.32), so that any build of it takes them
MOST_VALUES = 999
#: the most rows one INSERT binds. SQLite parses and compiles a statement of many rows
#: row group by row group, some 12,000 instructions a row, once for each statement
#: text: a file's two statements a table (its full ones and its rest) of up to 999
#: values cost 47M instructions to prepare at steady-day's 0.25, 6 % of the writer.
#: 48 rows a statement, and the rest one row a statement (`_many`), bind the same rows
#: in fewer instructions than 999 values a statement and a statement of the rest
#: (callgrind, steady-day's file's rows inserted: 269M against 301M at 0.25, 1,033M
#: against 1,060M at 1)
MOST_ROWS = 48


def rows_a_statement(width: int) -> int:
    """How many rows of `width` values one INSERT binds (`RunFile._many`)."""
    return max(1, min(MOST_ROWS, MOST_VALUES // width))


@cache
def multi_row(statement: str, width: int, rows: int) -> str:
    """`statement`, a one-row INSERT (or upsert) of `width` values, made to insert
    `rows` rows: its one group of placeholders repeated (`VALUES (?, ?), (?, ?)`).

    Why: sqlite3's `executemany` steps and resets the statement and goes round its
    Python loop for every row, which for a run's file (some 88,800 rows on steady-day,
    37,127 of them the timeline's) was about a sixth of inserting them; a statement of
    many rows pays that once for all of them (the timeline's rows, 58 ms one a statement,
    48 ms 64 a statement, flattening them included). The values bound are the same."""
    group = "(" + ", ".join(["?"] * width) + ")"
    if statement.count(group) != 1 or statement.count("?") != width:
        raise ValueError(f"not a one-row INSERT of {width} values: {statement}")
    return statement.replace(group, ", ".join([group] * rows))


def _flat(table: str, width: int, rows: list[tuple[Any, ...]]) -> list[Any]:
    """`rows` of `table` (`width` values each) as one list of values, row after row,
    each column `_CONVERTED` converted in place (`_converted`)."""
    return _converted(table, width, list(chain.from_iterable(rows)))


def _converted(table: str, width: int, flat: list[Any]) -> list[Any]:
    """`flat`, values of `table`'s rows (`width` each) one row after the other, with
    each column `_CONVERTED` converted in place: a slice of every `width`-th value,
    mapped, with no tuple made for a row."""
    for index, conversion in _CONVERTED[table]:
        flat[index::width] = map(conversion, flat[index::width])
    return flat


@mypyc_attr(native_class=False)  # mypyc builds no native subclass of RuntimeError
class WrittenTwice(RuntimeError):
    """A table of a new file written a second time: its first rows would stay."""


class RunFile:
    """A new SQLite read model at `path`, written through sqlite3 (`ReadModelWrites`).
    The file must not exist yet."""

    def __init__(self, path: Path) -> None:
        if path.exists():
            raise FileExistsError(f"{path}: a run's read model file is written new")
        self._conn = sqlite3.connect(path, isolation_level=None)
        # as `pragmas.write_once_pragmas`: no journal, no syncs
        self._conn.execute("PRAGMA journal_mode=OFF")
        self._conn.execute("PRAGMA synchronous=OFF")
        self._conn.execute("BEGIN")
        #: the tables written so far (each table replaced is written once)
        self._written: set[str] = set()
        #: record types whose fields were checked against a table's columns
        self._checked: set[tuple[type, str]] = set()

    # -- rows -------------------------------------------------------------------------

    def _rows(self, table: str, records: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The records (dataclasses whose fields are the table's columns) as parameter
        tuples in the statements' column order, converted column by column."""
        shape = (type(records[0]), table)
        columns = COLUMNS[table]
        if shape not in self._checked:
            names = sorted(f.name for f in fields(records[0]))
            if names != sorted(columns):
                raise ValueError(f"{table}: columns {columns} are not the record's {names}")
            self._checked.add(shape)
        fetch = attrgetter(*columns)
        if len(columns) == 1:
            return [(fetch(record),) for record in records]
        return list(map(fetch, records))

    def _insert(self, table: str, records: Sequence[Any]) -> None:
        """Write the records of a table this file replaces aggregates in: once."""
        self._insert_rows(table, self._rows(table, records) if records else [])

    def _insert_rows(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """`_insert` of rows in the table's column order (the records' own, or rows the
        projection made as such: `SystemRecordRow`), bound as they are."""
        if table in self._written:
            raise WrittenTwice(f"{table} was written already: a run's file is written once")
        self._written.add(table)
        if not rows:
            return
        if len(rows[0]) != len(COLUMNS[table]):
            raise ValueError(f"{table}: a row of {len(rows[0])} values for {COLUMNS[table]}")
        self._many(table, INSERTS[table], list(rows))

    def _upsert(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self._many(table, UPSERTS[table], rows)

    def _many(self, table: str, statement: str, rows: list[tuple[Any, ...]]) -> None:
        """`statement` (one row's INSERT or upsert into `table`) executed for each of
        `rows` (in COLUMNS' order, not yet converted), in order, as statements of
        `rows_a_statement(width)` rows each (`multi_row`) and the rest one row a
        statement (`statement` itself: prepared once, where a statement of the rest
        would be a text of its own, parsed and compiled for its rows). The same rows in
        the same order: SQLite takes a statement's rows one after the other, each as
        its own INSERT would be (an upsert's conflict with a row earlier in the same
        statement is settled as it would be with that row's own statement before
        it)."""
        width = len(rows[0])
        per = rows_a_statement(width)
        whole = len(rows) - len(rows) % per
        # each statement's values flattened on their own, as sqlite3 binds them: the
        # values pass through one list each, not one list of them all and then its
        # slices (the timeline's 37,127 rows: 58 to 64 ms against 69 to 78 ms)
        groups = [_flat(table, width, rows[start : start + per]) for start in range(0, whole, per)]
        self._execute(statement, width, per, groups, _flat(table, width, rows[whole:]))

    def _many_flat(self, table: str, statement: str, width: int, values: list[Any]) -> None:
        """`_many` of the rows `values` holds flat, `width` values a row: each
        statement's values a slice of them (`_converted`), no row made a tuple."""
        if len(values) % width:
            raise ValueError(f"{table}: {len(values)} values are no whole rows of {width}")
        step = rows_a_statement(width) * width
        whole = len(values) - len(values) % step
        groups = [_converted(table, width, values[at : at + step]) for at in range(0, whole, step)]
        rest = _converted(table, width, values[whole:])
        self._execute(statement, width, step // width, groups, rest)

    def _execute(
        self, statement: str, width: int, per: int, groups: list[list[Any]], rest: list[Any]
    ) -> None:
        """`statement` of `per` rows for each of `groups`, then of one for each of `rest`'s."""
        if groups:
            self._conn.executemany(multi_row(statement, width, per), groups)
        if rest:
            self._conn.executemany(
                statement, [rest[start : start + width] for start in range(0, len(rest), width)]
            )

    # -- ReadModelWrites ----------------------------------------------------------------

    async def create_schema(self) -> None:
        """The tables; their indexes come last (`hand_to_readers`)."""
        for statement in TABLES:
            self._conn.execute(statement)

    async def write_master_data(
        self,
        skus: Sequence[SkuRecord],
        locations: Sequence[LocationRecord],
        customers: Sequence[CustomerRecord] = (),
    ) -> None:
        self._insert("skus", skus)
        self._insert("locations", locations)
        self._insert("customers", customers)

    async def write_orders(self, snapshots: Sequence[OrderSnapshot]) -> None:
        if not snapshots:
            return
        self._insert("orders", [s.order for s in snapshots])
        self._insert_rows("order_lines", [r for s in snapshots for r in s.lines])
        self._insert_rows("order_history", [r for s in snapshots for r in s.history])
        self._insert_rows("payments", [r for s in snapshots for r in s.payments])
        self._insert_rows("shipments", [r for s in snapshots for r in s.shipments])
        self._insert("fulfillments", [r for s in snapshots for r in s.fulfillments])

    async def write_returns(self, snapshots: Sequence[ReturnSnapshot]) -> None:
        if not snapshots:
            return
        self._insert("returns", [s.ret for s in snapshots])
        self._insert_rows("return_lines", [r for s in snapshots for r in s.lines])
        self._insert_rows("return_history", [r for s in snapshots for r in s.history])

    async def write_positions(self, records: Sequence[PositionRecord]) -> None:
        if records:
            self._insert("inventory_positions", records)

    async def write_availability(self, records: Sequence[ChannelAvailabilityRecord]) -> None:
        if records:
            self._insert("channel_availability", records)

    async def write_channel_prices(self, records: Sequence[ChannelPriceRecord]) -> None:
        if records:
            self._upsert("channel_prices", self._rows("channel_prices", records))

    async def write_payouts(self, snapshots: Sequence[PayoutSnapshot]) -> None:
        if not snapshots:
            return
        self._insert("payouts", [s.payout for s in snapshots])
        self._insert("payout_lines", [line for s in snapshots for line in s.lines])

    async def write_companies(
        self, companies: Sequence[CompanyRecord], terms: Sequence[OrderTermsRecord]
    ) -> None:
        if not companies and not terms:
            return
        self._insert("companies", companies)
        self._insert("order_terms", terms)

    async def append_timeline(self, rows: Sequence[TimelineRow]) -> None:
        if not rows:
            return
        columns = COLUMNS["timeline"]
        ordered: list[tuple[Any, ...]] = list(rows)
        if columns != TIMELINE_FIELDS:
            position = [TIMELINE_FIELDS.index(name) for name in columns]
            ordered = [tuple(row[i] for i in position) for row in rows]
        self._upsert("timeline", ordered)

    async def append_timeline_fields(self, values: list[Any]) -> None:
        if COLUMNS["timeline"] != TIMELINE_FIELDS:  # bound as they are only in that order
            await self.append_timeline(timeline_rows(values))
        elif values:
            self._many_flat("timeline", UPSERTS["timeline"], TIMELINE_WIDTH, values)

    async def write_system_views(
        self,
        order_ids: Sequence[str],
        records: Sequence[SystemRecordRow],
        syncs: Sequence[OrderSyncRecord],
        transactions: Sequence[TransactionRow] = (),
    ) -> None:
        if not order_ids:
            return
        self._insert_rows("system_records", records)
        self._insert("order_sync", syncs)
        self._insert_rows("order_transactions", transactions)

    async def put_document(self, name: str, body: dict[str, Any]) -> None:
        columns = COLUMNS["documents"]
        row = {"name": name, "body": body}
        self._upsert("documents", [tuple(map(row.get, columns))])

    async def hand_to_readers(self) -> None:
        """Build the indexes over the rows written, commit, and put the file in WAL mode
        as every read model is (`ReadModelStore.hand_to_readers` says why)."""
        for statement in INDEXES:
            self._conn.execute(statement)
        self._conn.execute("COMMIT")
        self._conn.execute("PRAGMA journal_mode=WAL")

    async def dispose(self) -> None:
        """Close the file; what was not committed (a write that failed) is not kept."""
        self._conn.close()
