"""Batch loads of an order's payment transactions and fulfillments, by order id, and
reads that work over a database an earlier version wrote (schema_gaps.py): the batch
loads, and the orders page, which reads only the orders columns such a database has.

Kept apart from queries.py (which holds the pages and the older batch loads) so each
module stays one screenful of one job; the read model inherits both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import Table

from hub.adapters.read_model import tables
from hub.adapters.read_model.filters import OrderFilter, order_clauses
from hub.adapters.read_model.keyset import Page, Window, read_page
from hub.adapters.read_model.queries import DEFAULT_ORDERS, ReadModelQueries
from hub.adapters.read_model.records import FulfillmentRecord, OrderRecord, TransactionRecord
from hub.adapters.read_model.schema_gaps import NO_GAPS, SchemaGaps, find_gaps
from hub.adapters.read_model.sorting import Sort

R = TypeVar("R")


class OrderRecordQueries(ReadModelQueries):
    #: what the database lacks of this version's schema; `probe_schema` finds out
    gaps: SchemaGaps = NO_GAPS

    async def probe_schema(self) -> SchemaGaps:
        """Find what the database lacks, once, so reads go around it: a missing table
        reads as no rows, a missing column as the record's default."""
        self.gaps = await self.reads.run(find_gaps)
        return self.gaps

    async def _by_parent(
        self,
        table: Table,
        key: str,
        ids: Sequence[str],
        order: Sequence[Any],
        make: Callable[..., R],
        key_set: bool = False,
    ) -> dict[str, list[R]]:
        narrowed = self.gaps.narrowed(table) if self.gaps else table
        if narrowed is None:
            return {parent: [] for parent in ids}
        if narrowed is not table:
            order = [narrowed.c[c.name] for c in order]
        return await super()._by_parent(cast(Table, narrowed), key, ids, order, make, key_set)

    async def orders_page(
        self, where: OrderFilter, window: Window, sort: Sort = DEFAULT_ORDERS
    ) -> Page[OrderRecord]:
        """A page of orders, read around the orders columns the database lacks: they
        read as their records' defaults and filter as the defaults would."""
        t = tables.orders
        missing = frozenset(name for owner, name in self.gaps.columns if owner == t.name)
        if not missing:
            return await super().orders_page(where, window, sort)
        present = [c for c in t.c if c.name not in missing]
        clauses = order_clauses(where, missing)
        return await self.reads.run(
            lambda conn: read_page(conn, t, clauses, sort, window, OrderRecord, present)
        )

    async def transactions_by_order(self, ids: Sequence[str]) -> dict[str, list[TransactionRecord]]:
        """Each order's transactions, oldest first."""
        t = tables.order_transactions
        return await self._by_parent(t, "order_id", ids, [t.c.order_id, t.c.seq], TransactionRecord)

    async def fulfillments_by_order(self, ids: Sequence[str]) -> dict[str, list[FulfillmentRecord]]:
        """Each order's fulfillments, oldest first."""
        t = tables.fulfillments
        return await self._by_parent(
            t,
            "order_id",
            ids,
            [t.c.order_id, t.c.created_at, t.c.fulfillment_id],
            FulfillmentRecord,
        )
