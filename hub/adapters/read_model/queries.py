"""The read model's queries: pages with keyset cursors, and batch loads by parent id.

Pages are keyset-paginated from either end (keyset.py), in any of a list's sort orders
(sorting.py), filtered in SQL (filters.py). Every batch load is one `IN (...)` query
for all the parents a GraphQL request touched, which is what the API's DataLoaders
call: the number of statements a request costs depends on the shape of the query, not
on the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, Table, func, select

from hub.adapters.read_model import tables
from hub.adapters.read_model.batch_reads import IDS, by_parent_statement, records
from hub.adapters.read_model.derived import ReturnClockRecord, SkuTotalsRecord
from hub.adapters.read_model.filters import (
    OrderFilter,
    PositionFilter,
    ReturnFilter,
    SkuFilter,
    order_clauses,
    position_clauses,
    return_clauses,
    sku_clauses,
)
from hub.adapters.read_model.keyset import Page, Window, read_page
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
from hub.adapters.read_model.return_clock import STOPPED, ReturnClock
from hub.adapters.read_model.sorting import (
    OrderSort,
    PositionSort,
    ReturnSort,
    SkuSort,
    Sort,
    position_available,
)
from hub.adapters.read_model.store import CHUNK

R = TypeVar("R")

#: the order each list has when the client asks for none
DEFAULT_ORDERS = Sort(OrderSort.CREATED_AT, descending=True)
DEFAULT_RETURNS = Sort(ReturnSort.CREATED_AT, descending=True)
DEFAULT_SKUS = Sort(SkuSort.POPULARITY)
DEFAULT_POSITIONS = Sort(PositionSort.SKU)


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
        sort: Sort,
        window: Window,
        make: Callable[..., R],
    ) -> Page[R]:
        return await self.reads.run(lambda conn: read_page(conn, table, where, sort, window, make))

    async def _by_parent(
        self,
        table: Table,
        key: str,
        ids: Sequence[str],
        order: Sequence[Any],
        make: Callable[..., R],
        key_set: bool = False,
    ) -> dict[str, list[R]]:
        grouped: dict[str, list[R]] = {parent: [] for parent in ids}
        unique = sorted(set(ids))

        def read(conn: Connection) -> None:
            statement = by_parent_statement(table, key, order, key_set)
            for start in range(0, len(unique), CHUNK):
                result = conn.execute(statement, {IDS: unique[start : start + CHUNK]})
                for record in records(result, make):
                    grouped[getattr(record, key)].append(record)

        await self.reads.run(read)
        return grouped

    async def _by_id(
        self, table: Table, key: str, ids: Sequence[str], make: Callable[..., R]
    ) -> dict[str, R]:
        grouped = await self._by_parent(table, key, ids, [table.c[key]], make)
        return {k: v[0] for k, v in grouped.items() if v}

    # -- orders ---------------------------------------------------------------------------

    async def orders_page(
        self, where: OrderFilter, window: Window, sort: Sort = DEFAULT_ORDERS
    ) -> Page[OrderRecord]:
        return await self._page(tables.orders, order_clauses(where), sort, window, OrderRecord)

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
        self, where: ReturnFilter, window: Window, sort: Sort = DEFAULT_RETURNS
    ) -> Page[ReturnRecord]:
        def read(conn: Connection) -> Page[ReturnRecord]:
            # the run's clock is a statement of its own: read only when the filter needs it
            needed = where.sla_breached is not None
            clock = ReturnClock.read(conn) if needed else STOPPED
            clauses = return_clauses(where, clock)
            return read_page(conn, tables.returns, clauses, sort, window, ReturnRecord)

        return await self.reads.run(read)

    async def return_clocks(self, ids: Sequence[str]) -> dict[str, ReturnClockRecord]:
        """Each return's age and SLA state, against the run's clock read once."""
        t = tables.returns
        unique = sorted(set(ids))
        found: dict[str, ReturnClockRecord] = {}

        def read(conn: Connection) -> None:
            clock = ReturnClock.read(conn)
            age, breached = clock.age_s(), clock.sla_breached()
            for start in range(0, len(unique), CHUNK):
                statement = select(t.c.id, age, breached).where(
                    t.c.id.in_(unique[start : start + CHUNK])
                )
                for return_id, age_s, sla_breached in conn.execute(statement):
                    found[return_id] = ReturnClockRecord(
                        return_id, float(age_s), bool(sla_breached)
                    )

        await self.reads.run(read)
        return found

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
        # `key_set`: the index by return holds only the rows of a return (tables.py)
        return await self._by_parent(
            t, "return_id", ids, [t.c.return_id, t.c.seq], TimelineRecord, key_set=True
        )

    # -- inventory --------------------------------------------------------------------------

    async def skus_by_id(self, ids: Sequence[str]) -> dict[str, SkuRecord]:
        return await self._by_id(tables.skus, "id", ids, SkuRecord)

    async def skus_page(
        self, where: SkuFilter, window: Window, sort: Sort = DEFAULT_SKUS
    ) -> Page[SkuRecord]:
        return await self._page(tables.skus, sku_clauses(where), sort, window, SkuRecord)

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

    async def positions_page(
        self, where: PositionFilter, window: Window, sort: Sort = DEFAULT_POSITIONS
    ) -> Page[PositionRecord]:
        return await self._page(
            tables.positions, position_clauses(where), sort, window, PositionRecord
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

    async def sku_totals(self, ids: Sequence[str]) -> dict[str, SkuTotalsRecord]:
        """Each SKU's stock over every location, one grouped query per chunk of ids."""
        t = tables.positions
        unique = sorted(set(ids))
        found = {sku: SkuTotalsRecord(sku, 0, 0, 0, 0) for sku in unique}

        def read(conn: Connection) -> None:
            for start in range(0, len(unique), CHUNK):
                statement = (
                    select(
                        t.c.sku,
                        func.sum(position_available),
                        func.sum(t.c.on_hand),
                        func.sum(t.c.reserved),
                        func.sum(t.c.in_transit),
                    )
                    .where(t.c.sku.in_(unique[start : start + CHUNK]))
                    .group_by(t.c.sku)
                )
                for sku, *sums in conn.execute(statement):
                    found[sku] = SkuTotalsRecord(sku, *(int(v) for v in sums))

        await self.reads.run(read)
        return found

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
