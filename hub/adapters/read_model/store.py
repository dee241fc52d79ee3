"""The read model's engine and its writes.

SQLAlchemy 2 async: `sqlite+aiosqlite` by default, PostgreSQL through asyncpg
(`postgresql+asyncpg://...`); both are tested. Writes replace whole aggregates (delete
the parent's rows, insert the new ones), because an aggregate's children (lines,
history) change together with it. Rows that stand alone (a timeline entry, a document,
an idempotency key) are upserted on their primary key, so that writing one again (a
restarted run projecting its day afresh, two requests racing with one key) never fails
on a duplicate key.

A database holds one run (identity.py): `begin_run` makes it this run's, or clears this
run's rows for a fresh projection after a restart, and refuses another run's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, event, insert, inspect, make_url, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql.dml import Insert

from hub.adapters.read_model import tables
from hub.adapters.read_model.bulk import insert_records, insert_tuples
from hub.adapters.read_model.identity import ForeignRun, RunIdentity, RunStart
from hub.adapters.read_model.pragmas import sqlite_pragmas, write_once_pragmas
from hub.adapters.read_model.projection import OrderSnapshot, ReturnSnapshot
from hub.adapters.read_model.records import (
    TIMELINE_FIELDS,
    ChannelAvailabilityRecord,
    ChannelPriceRecord,
    CustomerRecord,
    IdempotencyRecord,
    LocationRecord,
    OrderSyncRecord,
    PositionRecord,
    SkuRecord,
    SystemRecordRow,
    TimelineRow,
    TransactionRow,
)
from hub.adapters.read_model.schema_gaps import add_missing

#: ids per `IN (...)` list and rows per INSERT batch (asyncpg takes at most 32767
#: parameters in one statement; SQLAlchemy splits a batch's multi-row INSERT below that)
CHUNK = 500


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


#: each record type's field names, looked up once
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _row(record: Any) -> dict[str, Any]:
    """A record as a row. Shallow, unlike `dataclasses.asdict`, whose deep copy of every
    field a live twin's bulk writes would pay for in the server's event loop."""
    names = _FIELD_NAMES.get(type(record))
    if names is None:
        names = _FIELD_NAMES[type(record)] = tuple(f.name for f in fields(record))
    return {name: getattr(record, name) for name in names}


#: the dialects the read model runs on (and is tested on): upserts are dialect-specific
DIALECTS = ("sqlite", "postgresql")


def upsert(dialect: str, table: Table, update: bool = True) -> Insert:
    """An INSERT that, for a row whose primary key is taken, updates the row to the new
    values (or, with `update=False`, leaves it as it was)."""
    statement: postgresql.Insert | sqlite.Insert = (
        postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    )
    keys = [column.name for column in table.primary_key]
    if not update:
        return statement.on_conflict_do_nothing(index_elements=keys)
    values = {c.name: statement.excluded[c.name] for c in table.c if not c.primary_key}
    return statement.on_conflict_do_update(index_elements=keys, set_=values)


def open_engine(url: str, write_once: bool = False) -> AsyncEngine:
    """An engine for `url`; ValueError for a database the read model does not run on.
    `write_once`: a SQLite file no reader sees until it is complete
    (`write_once_pragmas`)."""
    backend = make_url(url).get_backend_name()
    if backend not in DIALECTS:
        raise ValueError(f"the read model runs on SQLite and PostgreSQL, not {backend}")
    engine = create_async_engine(url)
    if engine.dialect.name == "sqlite":
        pragmas = write_once_pragmas if write_once else sqlite_pragmas
        event.listen(engine.sync_engine, "connect", pragmas)
    return engine


class ReadModelStore:
    """Schema management and writes. Every write is one transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        #: tables `create_schema` created and `_replace` has not written yet: they hold
        #: no rows, so there is nothing of theirs to delete first
        self._unwritten: set[str] = set()

    async def create_schema(self) -> None:
        async with self.engine.begin() as conn:
            # an older version's database gets this version's new tables and columns
            self._unwritten = set(await conn.run_sync(add_missing))

    async def dispose(self) -> None:
        await self.engine.dispose()

    async def hand_to_readers(self) -> None:
        """A SQLite file written with `write_once_pragmas`, put in WAL mode as every
        other read model is: the mode is recorded in the file, and a reader that set it
        (`serve --db`) would otherwise rewrite the file's header after its manifest
        hashed it. Nothing to do on PostgreSQL."""
        if self.engine.dialect.name == "sqlite":
            async with self.engine.connect() as conn:
                await conn.exec_driver_sql("PRAGMA journal_mode=WAL")

    # -- helpers ------------------------------------------------------------------------

    async def _replace(
        self,
        conn: AsyncConnection,
        table: Table,
        key: str,
        ids: Sequence[str],
        records: Sequence[Any],
    ) -> None:
        """Delete the rows of `ids` and insert `records`, a chunk at a time: each chunk's
        rows are built just before it is written, so a big write hands the event loop
        back between chunks instead of converting everything first. A table this store
        created and has not written yet (a finished run's new file: every table) has no
        rows to delete, and the deletes, a statement per 500 ids, are skipped."""
        if table.name in self._unwritten:
            self._unwritten.discard(table.name)
        else:
            column = table.c[key]
            for batch in _chunks(ids):
                await conn.execute(delete(table).where(column.in_(batch)))
        for chunk in _chunks(records):
            await insert_records(conn, insert(table), table, "insert", chunk)

    # -- aggregates -----------------------------------------------------------------------

    async def write_orders(self, snapshots: Sequence[OrderSnapshot]) -> None:
        if not snapshots:
            return
        ids = [s.order.id for s in snapshots]
        async with self.engine.begin() as conn:
            await self._replace(conn, tables.orders, "id", ids, [s.order for s in snapshots])
            await self._replace(
                conn,
                tables.order_lines,
                "order_id",
                ids,
                [r for s in snapshots for r in s.lines],
            )
            await self._replace(
                conn,
                tables.order_history,
                "owner_id",
                ids,
                [r for s in snapshots for r in s.history],
            )
            await self._replace(
                conn,
                tables.payments,
                "order_id",
                ids,
                [r for s in snapshots for r in s.payments],
            )
            await self._replace(
                conn,
                tables.shipments,
                "order_id",
                ids,
                [r for s in snapshots for r in s.shipments],
            )
            await self._replace(
                conn,
                tables.fulfillments,
                "order_id",
                ids,
                [r for s in snapshots for r in s.fulfillments],
            )

    async def write_returns(self, snapshots: Sequence[ReturnSnapshot]) -> None:
        if not snapshots:
            return
        ids = [s.ret.id for s in snapshots]
        async with self.engine.begin() as conn:
            await self._replace(conn, tables.returns, "id", ids, [s.ret for s in snapshots])
            await self._replace(
                conn,
                tables.return_lines,
                "return_id",
                ids,
                [r for s in snapshots for r in s.lines],
            )
            await self._replace(
                conn,
                tables.return_history,
                "owner_id",
                ids,
                [r for s in snapshots for r in s.history],
            )

    async def write_positions(self, records: Sequence[PositionRecord]) -> None:
        if not records:
            return
        async with self.engine.begin() as conn:
            table = tables.positions
            by_location: dict[str, list[str]] = {}
            for record in records:
                by_location.setdefault(record.location, []).append(record.sku)
            for location, skus in by_location.items():
                for batch in _chunks(skus):
                    await conn.execute(
                        delete(table).where(table.c.location == location, table.c.sku.in_(batch))
                    )
            for chunk in _chunks(records):
                await insert_records(conn, insert(table), table, "insert", chunk)

    async def write_availability(self, records: Sequence[ChannelAvailabilityRecord]) -> None:
        """Replace every channel's availability for the SKUs in `records` (callers pass
        all of a SKU's rows together)."""
        if not records:
            return
        skus = sorted({r.sku for r in records})
        async with self.engine.begin() as conn:
            await self._replace(conn, tables.channel_availability, "sku", skus, records)

    async def write_channel_prices(self, records: Sequence[ChannelPriceRecord]) -> None:
        """Upsert the prices that changed, one row per channel and SKU: a held price is
        replaced by a newer one, never removed."""
        if not records:
            return
        async with self.engine.begin() as conn:
            statement = upsert(conn.dialect.name, tables.channel_prices)
            for chunk in _chunks(records):
                await insert_records(conn, statement, tables.channel_prices, "upsert", chunk)

    async def write_system_views(
        self,
        order_ids: Sequence[str],
        records: Sequence[SystemRecordRow],
        syncs: Sequence[OrderSyncRecord],
        transactions: Sequence[TransactionRow] = (),
    ) -> None:
        """Replace what each backend records about these orders, their sync state and
        the payment gateway's transactions for them."""
        if not order_ids:
            return
        async with self.engine.begin() as conn:
            await self._replace(conn, tables.system_records, "order_id", order_ids, records)
            await self._replace(conn, tables.order_sync, "order_id", order_ids, syncs)
            await self._replace(
                conn, tables.order_transactions, "order_id", order_ids, transactions
            )

    async def append_timeline(self, rows: Sequence[TimelineRow]) -> None:
        """Add deliveries to the timeline; one already there under its sequence number
        (a restarted run projecting again) is overwritten, not duplicated."""
        if not rows:
            return
        async with self.engine.begin() as conn:
            statement = upsert(conn.dialect.name, tables.timeline)
            for chunk in _chunks(rows, 2000):
                await insert_tuples(
                    conn, statement, tables.timeline, "upsert", TIMELINE_FIELDS, chunk
                )

    async def write_master_data(
        self,
        skus: Sequence[SkuRecord],
        locations: Sequence[LocationRecord],
        customers: Sequence[CustomerRecord] = (),
    ) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(delete(tables.skus))
            await conn.execute(delete(tables.locations))
            await conn.execute(delete(tables.customers))
            for table, records in (
                (tables.skus, skus),
                (tables.locations, locations),
                (tables.customers, customers),
            ):
                for chunk in _chunks(records):
                    await insert_records(conn, insert(table), table, "insert", chunk)

    async def put_document(self, name: str, body: dict[str, Any]) -> None:
        async with self.engine.begin() as conn:
            statement = upsert(conn.dialect.name, tables.documents)
            await conn.execute(statement, {"name": name, "body": body})

    async def put_idempotency(
        self,
        record: IdempotencyRecord,
        expire_before: float | None = None,
        max_keys: int | None = None,
    ) -> bool:
        """Store a mutation's result under its key; False if the key was already taken
        (by an earlier request, or by one racing this one: one statement decides).

        The store is bounded: answers stored before `expire_before` are dropped first,
        and past `max_keys` answers the oldest go, in the same transaction."""
        t = tables.idempotency_keys
        async with self.engine.begin() as conn:
            if expire_before is not None:
                await conn.execute(delete(t).where(t.c.stored_at < expire_before))
            statement = upsert(conn.dialect.name, t, update=False)
            result = await conn.execute(statement, _row(record))
            if max_keys is not None:
                oldest = select(t.c.key).order_by(t.c.stored_at.desc(), t.c.key).offset(max_keys)
                await conn.execute(delete(t).where(t.c.key.in_(oldest)))
        return bool(result.rowcount == 1)

    # -- the run the database holds ---------------------------------------------------------

    async def identity(self) -> RunIdentity | None:
        """The run this database holds, if one began on it (`begin_run`)."""
        async with self.engine.connect() as conn:
            if not await conn.run_sync(lambda c: inspect(c).has_table("run_identity")):
                return None
            return await _stored_identity(conn)

    async def begin_run(self, identity: RunIdentity) -> RunStart:
        """Make this database `identity`'s, for a projection that starts from nothing.

        Creates the schema where it is missing. An empty database takes the run's
        identity (NEW); a database of this same run, left by an earlier process, has
        its rows cleared as `reset` clears them (RESTART), so the run is projected
        afresh without a duplicate key or a row of the dead process left over. Another
        run's database, or one holding rows but no identity, is refused with
        `ForeignRun` and left as it was. One transaction (on PostgreSQL, with the table
        locked against a second process beginning at the same time)."""
        await self.create_schema()
        async with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("LOCK TABLE run_identity IN SHARE ROW EXCLUSIVE MODE"))
            stored = await _stored_identity(conn)
            if stored is None:
                if await _holds_rows(conn):
                    raise ForeignRun(identity, None)
                await conn.execute(insert(tables.run_identity), [identity.row()])
                return RunStart.NEW
            if identity.differences(stored):
                raise ForeignRun(identity, stored)
            await _clear_run(conn)
            return RunStart.RESTART

    async def reset(self) -> None:
        """Clear the run's rows in one transaction: aggregates, master data, timeline,
        documents (so /healthz says "starting" until the run is projected again). The
        schema stays, and so do the run's identity and the API's stored answers
        (idempotency keys): those are answers already given to clients, which a
        replay of the run's commands makes true again."""
        async with self.engine.begin() as conn:
            await _clear_run(conn)


async def _stored_identity(conn: AsyncConnection) -> RunIdentity | None:
    found = (await conn.execute(select(tables.run_identity))).mappings().first()
    return None if found is None else RunIdentity.from_row(dict(found))


async def _holds_rows(conn: AsyncConnection) -> bool:
    for table in tables.metadata.sorted_tables:
        if table is tables.run_identity:
            continue
        if (await conn.execute(select(1).select_from(table).limit(1))).first() is not None:
            return True
    return False


async def _clear_run(conn: AsyncConnection) -> None:
    if conn.dialect.name == "postgresql":
        # one statement, and no dead rows left for a vacuum to find (still transactional)
        names = ", ".join(
            conn.dialect.identifier_preparer.quote(t.name) for t in tables.run_tables()
        )
        await conn.execute(text(f"TRUNCATE {names}"))
        return
    for table in tables.run_tables():
        await conn.execute(delete(table))
