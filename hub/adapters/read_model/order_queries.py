"""Batch loads of an order's payment transactions and fulfillments, by order id, and
reads that work over a database an earlier version wrote (schema_gaps.py).

Kept apart from queries.py (which holds the pages and the older batch loads) so each
module stays one screenful of one job; the read model inherits both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import Table

from hub.adapters.read_model import tables
from hub.adapters.read_model.queries import ReadModelQueries
from hub.adapters.read_model.records import FulfillmentRecord, TransactionRecord
from hub.adapters.read_model.schema_gaps import NO_GAPS, SchemaGaps, find_gaps

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
    ) -> dict[str, list[R]]:
        narrowed = self.gaps.narrowed(table) if self.gaps else table
        if narrowed is None:
            return {parent: [] for parent in ids}
        if narrowed is not table:
            order = [narrowed.c[c.name] for c in order]
        return await super()._by_parent(cast(Table, narrowed), key, ids, order, make)

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
