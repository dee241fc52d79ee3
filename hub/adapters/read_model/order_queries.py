"""Batch loads of an order's payment transactions and fulfillments, by order id.

Kept apart from queries.py (which holds the pages and the older batch loads) so each
module stays one screenful of one job; the read model inherits both.
"""

from __future__ import annotations

from collections.abc import Sequence

from hub.adapters.read_model import tables
from hub.adapters.read_model.queries import ReadModelQueries
from hub.adapters.read_model.records import FulfillmentRecord, TransactionRecord


class OrderRecordQueries(ReadModelQueries):
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
