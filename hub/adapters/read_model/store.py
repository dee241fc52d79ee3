"""The read model's engine and its writes.

SQLAlchemy 2 async: `sqlite+aiosqlite` by default, any async URL by setting
(`postgresql+asyncpg://...` needs only the driver installed). Writes replace whole
aggregates (delete the parent's rows, insert the new ones) rather than upserting,
because that is portable across dialects and an aggregate's children (lines, history)
change together with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
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
        rows: Sequence[dict[str, Any]],
    ) -> None:
        column = table.c[key]
        for batch in _chunks(ids):
            await conn.execute(delete(table).where(column.in_(batch)))
        for batch in _chunks(rows):
            await conn.execute(insert(table), list(batch))

    # -- aggregates -----------------------------------------------------------------------

    async def write_orders(self, snapshots: Sequence[OrderSnapshot]) -> None:
        if not snapshots:
            return
        ids = [s.order.id for s in snapshots]
        async with self.engine.begin() as conn:
            await self._replace(
                conn, tables.orders, "id", ids, [asdict(s.order) for s in snapshots]
            )
            await self._replace(
                conn,
                tables.order_lines,
                "order_id",
                ids,
                [asdict(r) for s in snapshots for r in s.lines],
            )
            await self._replace(
                conn,
                tables.order_history,
                "owner_id",
                ids,
                [asdict(r) for s in snapshots for r in s.history],
            )
            await self._replace(
                conn,
                tables.payments,
                "order_id",
                ids,
                [asdict(r) for s in snapshots for r in s.payments],
            )
            await self._replace(
                conn,
                tables.shipments,
                "order_id",
                ids,
                [asdict(r) for s in snapshots for r in s.shipments],
            )

    async def write_returns(self, snapshots: Sequence[ReturnSnapshot]) -> None:
        if not snapshots:
            return
        ids = [s.ret.id for s in snapshots]
        async with self.engine.begin() as conn:
            await self._replace(conn, tables.returns, "id", ids, [asdict(s.ret) for s in snapshots])
            await self._replace(
                conn,
                tables.return_lines,
                "return_id",
                ids,
                [asdict(r) for s in snapshots for r in s.lines],
            )
            await self._replace(
                conn,
                tables.return_history,
                "owner_id",
                ids,
                [asdict(r) for s in snapshots for r in s.history],
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
            for rows in _chunks([asdict(r) for r in records]):
                await conn.execute(insert(table), list(rows))

    async def write_availability(self, records: Sequence[ChannelAvailabilityRecord]) -> None:
        """Replace every channel's availability for the SKUs in `records` (callers pass
        all of a SKU's rows together)."""
        if not records:
            return
        skus = sorted({r.sku for r in records})
        async with self.engine.begin() as conn:
            await self._replace(
                conn, tables.channel_availability, "sku", skus, [asdict(r) for r in records]
            )

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
            await self._replace(
                conn, tables.system_records, "order_id", order_ids, [asdict(r) for r in records]
            )
            await self._replace(
                conn, tables.order_sync, "order_id", order_ids, [asdict(s) for s in syncs]
            )

    async def append_timeline(self, records: Sequence[TimelineRecord]) -> None:
        if not records:
            return
        async with self.engine.begin() as conn:
            for rows in _chunks([asdict(r) for r in records], 2000):
                await conn.execute(insert(tables.timeline), list(rows))

    async def write_master_data(
        self, skus: Sequence[SkuRecord], locations: Sequence[LocationRecord]
    ) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(delete(tables.skus))
            await conn.execute(delete(tables.locations))
            for rows in _chunks([asdict(s) for s in skus]):
                await conn.execute(insert(tables.skus), list(rows))
            for rows in _chunks([asdict(loc) for loc in locations]):
                await conn.execute(insert(tables.locations), list(rows))

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
            await conn.execute(insert(table), [asdict(record)])
        return True
