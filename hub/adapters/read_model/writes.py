"""What a projection writes the read model through: one interface, two stores.

The projection (scenarios/twin/projection) turns a run into records and hands them
over here, aggregate by aggregate. Who stores them is not its concern:

- the SQLAlchemy read model (`ReadModel`: SQLite through aiosqlite, or PostgreSQL), which
  a live twin keeps current while `serve` reads it, and which replaces each aggregate's
  rows when it changes;
- a finished run's new SQLite file (`run_file.RunFile`), written once through the
  standard library's sqlite3, without SQLAlchemy, by `run --out`.

Both write the same tables (tables.py, the one definition) with the same rows, so a
file written by either is served alike (`serve --db`). Imports nothing of SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from hub.adapters.read_model.company_records import CompanyRecord, OrderTermsRecord
from hub.adapters.read_model.payout_records import PayoutSnapshot
from hub.adapters.read_model.projection import OrderSnapshot, ReturnSnapshot
from hub.adapters.read_model.records import (
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


class ReadModelWrites(Protocol):
    """The read model's writes. Each `write_*` replaces the rows of what it is given
    (an aggregate's children change with it); the timeline, the channel prices and the
    documents are upserted row by row."""

    async def create_schema(self) -> None:
        """The tables and indexes, where they are missing."""

    async def write_master_data(
        self,
        skus: Sequence[SkuRecord],
        locations: Sequence[LocationRecord],
        customers: Sequence[CustomerRecord] = (),
    ) -> None: ...

    async def write_orders(self, snapshots: Sequence[OrderSnapshot]) -> None: ...

    async def write_returns(self, snapshots: Sequence[ReturnSnapshot]) -> None: ...

    async def write_positions(self, records: Sequence[PositionRecord]) -> None: ...

    async def write_availability(self, records: Sequence[ChannelAvailabilityRecord]) -> None:
        """Every channel's availability of the SKUs in `records`, which hold all of a
        SKU's rows together."""

    async def write_channel_prices(self, records: Sequence[ChannelPriceRecord]) -> None: ...

    async def write_payouts(self, snapshots: Sequence[PayoutSnapshot]) -> None: ...

    async def write_companies(
        self, companies: Sequence[CompanyRecord], terms: Sequence[OrderTermsRecord]
    ) -> None: ...

    async def append_timeline(self, rows: Sequence[TimelineRow]) -> None: ...

    async def append_timeline_fields(self, values: list[Any]) -> None:
        """`append_timeline` of the rows whose values `values` holds one row after the
        other (`TIMELINE_WIDTH` a row): the form a run records its deliveries in
        (`TimelineRecorder.drain_fields`), which a finished run's file binds as it is."""

    async def write_system_views(
        self,
        order_ids: Sequence[str],
        records: Sequence[SystemRecordRow],
        syncs: Sequence[OrderSyncRecord],
        transactions: Sequence[TransactionRow] = (),
    ) -> None:
        """What each backend records about `order_ids`, their sync state and the
        payment gateway's transactions for them; the records and the transactions as
        their rows (`SystemRecordRow`, `TransactionRow`)."""

    async def put_document(self, name: str, body: dict[str, Any]) -> None: ...

    async def hand_to_readers(self) -> None:
        """Done writing a file nobody read meanwhile: leave it as readers expect it."""

    async def dispose(self) -> None:
        """Release the connections."""


def timeline_rows(values: list[Any]) -> list[TimelineRow]:
    """The timeline's flat values (`append_timeline_fields`) as `TimelineRow`s, cut in C;
    ValueError if they are no whole number of rows."""
    return list(zip(*[iter(values)] * TIMELINE_WIDTH, strict=True))
