"""The read model's queries: pages with keyset cursors, and batch loads by parent id.

Pages are keyset-paginated (`WHERE (sort, id) < (:sort, :id)`), so page fifty costs what
page one does, and a row inserted while a client pages cannot shift the pages it has
not read yet. Every batch load is one `IN (...)` query for all the parents a GraphQL
request touched, which is what the API's DataLoaders call: the number of statements a
request costs depends on the shape of the query, not on the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, Table, and_, func, or_, select, tuple_

from hub.adapters.read_model import tables
from hub.adapters.read_model.reads import Reads
from hub.adapters.read_model.records import (
    ChannelAvailabilityRecord,
    CustomerRecord,
    IdempotencyRecord,
    LocationRecord,
    OrderLineRecord,
    OrderRecord,
    OrderSyncRecord,
    PaymentRecord,
    PositionRecord,
    ReturnLineRecord,
    ReturnRecord,
    ShipmentRecord,
    SkuRecord,
    StatusChangeRecord,
    SystemRecordRecord,
    TimelineRecord,
)
from hub.adapters.read_model.store import CHUNK

R = TypeVar("R")
Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Page(Generic[R]):
    items: list[R]
    keys: list[Key]
    total: int
    has_next: bool


@dataclass(frozen=True, slots=True)
class OrderFilter:
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    #: the fulfilling DC or store, or the pickup store
    location: str | None = None
    placed_from: float | None = None
    placed_to: float | None = None
    customer_id: str | None = None
    in_sync: bool | None = None


@dataclass(frozen=True, slots=True)
class ReturnFilter:
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    location: str | None = None
    requested_from: float | None = None
    requested_to: float | None = None
    order_id: str | None = None


@dataclass(frozen=True, slots=True)
class PositionFilter:
    sku: str | None = None
    location: str | None = None
    location_kind: str | None = None
    #: only positions whose source has moved on since the hub's last report
    stale: bool | None = None


def _between(column: Any, low: float | None, high: float | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if low is not None:
        clauses.append(column >= low)
    if high is not None:
        clauses.append(column < high)
    return clauses


def _fetch(conn: Connection, statement: Select[Any]) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in conn.execute(statement)]


class ReadModelQueries:
    """Every query is a function of a connection, run through `reads` (reads.py): the
    loads one turn of the event loop asks for are read together, on the request's one
    connection while a request has one."""

    reads: Reads

    # -- plumbing -----------------------------------------------------------------------

    async def _rows(self, statement: Select[Any]) -> list[dict[str, Any]]:
        return await self.reads.run(lambda conn: _fetch(conn, statement))

    async def _page(
        self,
        table: Table,
        where: list[ColumnElement[bool]],
        order: Sequence[Any],
        descending: bool,
        first: int,
        after: Key | None,
        make: Callable[..., R],
    ) -> Page[R]:
        condition = and_(*where) if where else None
        count = select(func.count()).select_from(table)
        statement = select(table)
        if condition is not None:
            count = count.where(condition)
            statement = statement.where(condition)
        if after is not None:
            key = tuple_(*order)
            statement = statement.where(
                key < tuple_(*after) if descending else key > tuple_(*after)
            )
        statement = statement.order_by(*(c.desc() if descending else c for c in order))

        def read(conn: Connection) -> tuple[int, list[dict[str, Any]]]:
            return int(conn.execute(count).scalar_one()), _fetch(conn, statement.limit(first + 1))

        total, rows = await self.reads.run(read)
        items = [make(**row) for row in rows[:first]]
        keys = [tuple(row[c.name] for c in order) for row in rows[:first]]
        return Page(items, keys, total, len(rows) > first)

    async def _by_parent(
        self,
        table: Table,
        key: str,
        ids: Sequence[str],
        order: Sequence[Any],
        make: Callable[..., R],
    ) -> dict[str, list[R]]:
        grouped: dict[str, list[R]] = {parent: [] for parent in ids}
        unique = sorted(set(ids))

        def read(conn: Connection) -> None:
            for start in range(0, len(unique), CHUNK):
                batch = unique[start : start + CHUNK]
                statement = select(table).where(table.c[key].in_(batch)).order_by(*order)
                for row in conn.execute(statement):
                    mapping = dict(row._mapping)
                    grouped[mapping[key]].append(make(**mapping))

        await self.reads.run(read)
        return grouped

    async def _by_id(
        self, table: Table, key: str, ids: Sequence[str], make: Callable[..., R]
    ) -> dict[str, R]:
        grouped = await self._by_parent(table, key, ids, [table.c[key]], make)
        return {k: v[0] for k, v in grouped.items() if v}

    # -- orders ---------------------------------------------------------------------------

    async def orders_page(
        self, where: OrderFilter, first: int, after: Key | None
    ) -> Page[OrderRecord]:
        t = tables.orders
        clauses: list[ColumnElement[bool]] = []
        if where.statuses:
            clauses.append(t.c.status.in_(where.statuses))
        if where.channels:
            clauses.append(t.c.channel.in_(where.channels))
        if where.location is not None:
            clauses.append(or_(t.c.location == where.location, t.c.pickup_store == where.location))
        if where.customer_id is not None:
            clauses.append(t.c.customer_id == where.customer_id)
        clauses += _between(t.c.placed_at, where.placed_from, where.placed_to)
        if where.in_sync is not None:
            sync = tables.order_sync
            synced = select(sync.c.order_id).where(sync.c.in_sync == where.in_sync)
            clauses.append(t.c.id.in_(synced))
        return await self._page(
            t, clauses, [t.c.placed_at, t.c.id], True, first, after, OrderRecord
        )

    async def orders_by_id(self, ids: Sequence[str]) -> dict[str, OrderRecord]:
        return await self._by_id(tables.orders, "id", ids, OrderRecord)

    async def lines_by_order(self, ids: Sequence[str]) -> dict[str, list[OrderLineRecord]]:
        t = tables.order_lines
        return await self._by_parent(
            t, "order_id", ids, [t.c.order_id, t.c.line_no], OrderLineRecord
        )

    async def order_history(self, ids: Sequence[str]) -> dict[str, list[StatusChangeRecord]]:
        t = tables.order_history
        return await self._by_parent(
            t, "owner_id", ids, [t.c.owner_id, t.c.seq], StatusChangeRecord
        )

    async def payments_by_order(self, ids: Sequence[str]) -> dict[str, list[PaymentRecord]]:
        t = tables.payments
        return await self._by_parent(
            t, "order_id", ids, [t.c.order_id, t.c.authorization_id], PaymentRecord
        )

    async def shipments_by_order(self, ids: Sequence[str]) -> dict[str, list[ShipmentRecord]]:
        t = tables.shipments
        return await self._by_parent(
            t, "order_id", ids, [t.c.order_id, t.c.shipment_id], ShipmentRecord
        )

    async def returns_by_order(self, ids: Sequence[str]) -> dict[str, list[ReturnRecord]]:
        t = tables.returns
        return await self._by_parent(
            t, "order_id", ids, [t.c.order_id, t.c.requested_at, t.c.id], ReturnRecord
        )

    async def timeline_by_order(self, ids: Sequence[str]) -> dict[str, list[TimelineRecord]]:
        t = tables.timeline
        return await self._by_parent(t, "order_id", ids, [t.c.order_id, t.c.seq], TimelineRecord)

    async def system_records(self, ids: Sequence[str]) -> dict[str, list[SystemRecordRecord]]:
        t = tables.system_records
        return await self._by_parent(
            t, "order_id", ids, [t.c.order_id, t.c.system, t.c.record_id], SystemRecordRecord
        )

    async def order_sync(self, ids: Sequence[str]) -> dict[str, OrderSyncRecord]:
        return await self._by_id(tables.order_sync, "order_id", ids, OrderSyncRecord)

    # -- returns --------------------------------------------------------------------------

    async def returns_page(
        self, where: ReturnFilter, first: int, after: Key | None
    ) -> Page[ReturnRecord]:
        t = tables.returns
        clauses: list[ColumnElement[bool]] = []
        if where.statuses:
            clauses.append(t.c.status.in_(where.statuses))
        if where.channels:
            clauses.append(t.c.channel.in_(where.channels))
        if where.location is not None:
            clauses.append(t.c.location == where.location)
        if where.order_id is not None:
            clauses.append(t.c.order_id == where.order_id)
        clauses += _between(t.c.requested_at, where.requested_from, where.requested_to)
        return await self._page(
            t, clauses, [t.c.requested_at, t.c.id], True, first, after, ReturnRecord
        )

    async def returns_by_id(self, ids: Sequence[str]) -> dict[str, ReturnRecord]:
        return await self._by_id(tables.returns, "id", ids, ReturnRecord)

    async def return_lines(self, ids: Sequence[str]) -> dict[str, list[ReturnLineRecord]]:
        t = tables.return_lines
        return await self._by_parent(
            t, "return_id", ids, [t.c.return_id, t.c.line_no], ReturnLineRecord
        )

    async def return_history(self, ids: Sequence[str]) -> dict[str, list[StatusChangeRecord]]:
        t = tables.return_history
        return await self._by_parent(
            t, "owner_id", ids, [t.c.owner_id, t.c.seq], StatusChangeRecord
        )

    async def timeline_by_return(self, ids: Sequence[str]) -> dict[str, list[TimelineRecord]]:
        t = tables.timeline
        return await self._by_parent(t, "return_id", ids, [t.c.return_id, t.c.seq], TimelineRecord)

    # -- inventory --------------------------------------------------------------------------

    async def skus_by_id(self, ids: Sequence[str]) -> dict[str, SkuRecord]:
        return await self._by_id(tables.skus, "id", ids, SkuRecord)

    async def skus_page(
        self, search: str | None, category: str | None, first: int, after: Key | None
    ) -> Page[SkuRecord]:
        t = tables.skus
        clauses: list[ColumnElement[bool]] = []
        if search:
            needle = search.lower()
            clauses.append(
                or_(
                    func.lower(t.c.name).contains(needle, autoescape=True),
                    func.lower(t.c.id).contains(needle, autoescape=True),
                )
            )
        if category is not None:
            clauses.append(t.c.category == category)
        return await self._page(
            t, clauses, [t.c.popularity_rank, t.c.id], False, first, after, SkuRecord
        )

    async def locations_by_id(self, ids: Sequence[str]) -> dict[str, LocationRecord]:
        return await self._by_id(tables.locations, "id", ids, LocationRecord)

    async def customers_by_id(self, ids: Sequence[str]) -> dict[str, CustomerRecord]:
        return await self._by_id(tables.customers, "id", ids, CustomerRecord)

    async def locations(self, kind: str | None) -> list[LocationRecord]:
        t = tables.locations
        statement = select(t).order_by(t.c.kind, t.c.id)
        if kind is not None:
            statement = statement.where(t.c.kind == kind)
        return [LocationRecord(**row) for row in await self._rows(statement)]

    def _position_clauses(self, where: PositionFilter) -> list[ColumnElement[bool]]:
        t = tables.positions
        clauses: list[ColumnElement[bool]] = []
        if where.sku is not None:
            clauses.append(t.c.sku == where.sku)
        if where.location is not None:
            clauses.append(t.c.location == where.location)
        if where.location_kind is not None:
            kinds = select(tables.locations.c.id).where(
                tables.locations.c.kind == where.location_kind
            )
            clauses.append(t.c.location.in_(kinds))
        if where.stale is True:
            clauses.append(t.c.source_seq_latest > t.c.source_seq)
        elif where.stale is False:
            clauses.append(t.c.source_seq_latest <= t.c.source_seq)
        return clauses

    async def positions_page(
        self, where: PositionFilter, first: int, after: Key | None
    ) -> Page[PositionRecord]:
        t = tables.positions
        return await self._page(
            t,
            self._position_clauses(where),
            [t.c.sku, t.c.location],
            False,
            first,
            after,
            PositionRecord,
        )

    async def positions_by_sku(
        self, ids: Sequence[str], location_kind: str | None = None
    ) -> dict[str, list[PositionRecord]]:
        t = tables.positions
        if location_kind is None:
            return await self._by_parent(t, "sku", ids, [t.c.sku, t.c.location], PositionRecord)
        grouped: dict[str, list[PositionRecord]] = {sku: [] for sku in ids}
        kinds = select(tables.locations.c.id).where(tables.locations.c.kind == location_kind)
        unique = sorted(set(ids))

        def read(conn: Connection) -> None:
            for start in range(0, len(unique), CHUNK):
                statement = (
                    select(t)
                    .where(t.c.sku.in_(unique[start : start + CHUNK]), t.c.location.in_(kinds))
                    .order_by(t.c.sku, t.c.location)
                )
                for row in _fetch(conn, statement):
                    grouped[row["sku"]].append(PositionRecord(**row))

        await self.reads.run(read)
        return grouped

    async def availability_by_sku(
        self, ids: Sequence[str]
    ) -> dict[str, list[ChannelAvailabilityRecord]]:
        t = tables.channel_availability
        return await self._by_parent(
            t, "sku", ids, [t.c.sku, t.c.channel, t.c.store], ChannelAvailabilityRecord
        )

    # -- documents and keys -----------------------------------------------------------------

    async def document(self, name: str) -> dict[str, Any] | None:
        t = tables.documents
        rows = await self._rows(select(t.c.body).where(t.c.name == name))
        return dict(rows[0]["body"]) if rows else None

    async def idempotency(self, key: str) -> IdempotencyRecord | None:
        t = tables.idempotency_keys
        rows = await self._rows(select(t).where(t.c.key == key))
        return IdempotencyRecord(**rows[0]) if rows else None
