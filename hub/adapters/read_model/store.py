"""The read model's engine and its writes.

SQLAlchemy 2 async: `sqlite+aiosqlite` by default, any async URL by setting
(`postgresql+asyncpg://...` needs only the driver installed). Writes replace whole
aggregates (delete the parent's rows, insert the new ones) rather than upserting,
because that is portable across dialects and an aggregate's children (lines, history)
change together with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, event, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from hub.adapters.read_model import tables
from hub.adapters.read_model.projection import OrderSnapshot, ReturnSnapshot
from hub.adapters.read_model.records import (
    ChannelAvailabilityRecord,
    IdempotencyRecord,
    LocationRecord,
    OrderSyncRecord,
    PositionRecord,
    SkuRecord,
    SystemRecordRecord,
    TimelineRecord,
)

#: ids per `IN (...)` list and rows per INSERT batch
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


def _rows(records: Sequence[Any]) -> list[dict[str, Any]]:
    return [_row(record) for record in records]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the API read while the projector writes (and several processes read one
    file); NORMAL sync is safe under WAL and keeps bulk writes fast."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def open_engine(url: str) -> AsyncEngine:
    engine = create_async_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


class ReadModelStore:
    """Schema management and writes. Every write is one transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def create_schema(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(tables.metadata.create_all)

    async def dispose(self) -> None:
        await self.engine.dispose()

    # -- helpers ------------------------------------------------------------------------

    @staticmethod
    async def _replace(
        conn: AsyncConnection,
        table: Table,
        key: str,
        ids: Sequence[str],
        records: Sequence[Any],
    ) -> None:
        """Delete the rows of `ids` and insert `records`, a chunk at a time: each chunk's
        rows are built just before it is written, so a big write hands the event loop
        back between chunks instead of converting everything first."""
        column = table.c[key]
        for batch in _chunks(ids):
            await conn.execute(delete(table).where(column.in_(batch)))
        for chunk in _chunks(records):
            await conn.execute(insert(table), _rows(chunk))

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
                await conn.execute(insert(table), _rows(chunk))

    async def write_availability(self, records: Sequence[ChannelAvailabilityRecord]) -> None:
        """Replace every channel's availability for the SKUs in `records` (callers pass
        all of a SKU's rows together)."""
        if not records:
            return
        skus = sorted({r.sku for r in records})
        async with self.engine.begin() as conn:
            await self._replace(conn, tables.channel_availability, "sku", skus, records)

    async def write_system_views(
        self,
        order_ids: Sequence[str],
        records: Sequence[SystemRecordRecord],
        syncs: Sequence[OrderSyncRecord],
    ) -> None:
        """Replace what each backend records about these orders, and their sync state."""
        if not order_ids:
            return
        async with self.engine.begin() as conn:
            await self._replace(conn, tables.system_records, "order_id", order_ids, records)
            await self._replace(conn, tables.order_sync, "order_id", order_ids, syncs)

    async def append_timeline(self, records: Sequence[TimelineRecord]) -> None:
        if not records:
            return
        async with self.engine.begin() as conn:
            for chunk in _chunks(records, 2000):
                await conn.execute(insert(tables.timeline), _rows(chunk))

    async def write_master_data(
        self, skus: Sequence[SkuRecord], locations: Sequence[LocationRecord]
    ) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(delete(tables.skus))
            await conn.execute(delete(tables.locations))
            for chunk in _chunks(skus):
                await conn.execute(insert(tables.skus), _rows(chunk))
            for chunk in _chunks(locations):
                await conn.execute(insert(tables.locations), _rows(chunk))

    async def put_document(self, name: str, body: dict[str, Any]) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(delete(tables.documents).where(tables.documents.c.name == name))
            await conn.execute(insert(tables.documents), [{"name": name, "body": body}])

    async def put_idempotency(self, record: IdempotencyRecord) -> bool:
        """Store a mutation's result under its key; False if the key was already taken."""
        table = tables.idempotency_keys
        async with self.engine.begin() as conn:
            found = await conn.execute(select(table.c.key).where(table.c.key == record.key))
            if found.first() is not None:
                return False
            await conn.execute(insert(table), [_row(record)])
        return True
