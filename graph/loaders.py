"""DataLoaders: every read a request makes, batched into one query per kind.

A request gets its own set (built in the context), so a batch never mixes two clients'
reads. Caching is off: a subscription's connection lives for hours and must see the
read model as the live projector leaves it, and within one request the same key is
rarely asked twice (the read model answers it cheaply when it is).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from strawberry.dataloader import DataLoader

from hub.adapters.read_model import ReadModel
from hub.adapters.read_model.company_records import CompanyRecord, OrderTermsRecord
from hub.adapters.read_model.derived import ReturnClockRecord, SkuTotalsRecord
from hub.adapters.read_model.payout_records import PayoutRecord
from hub.adapters.read_model.price_queries import HeldPriceRecord
from hub.adapters.read_model.records import (
    ChannelAvailabilityRecord,
    CustomerRecord,
    FulfillmentRecord,
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
    TransactionRecord,
)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _one(fetch: Callable[[Sequence[K]], Awaitable[Mapping[K, V]]]) -> DataLoader[K, V | None]:
    async def load(keys: list[K]) -> list[V | None]:
        found = await fetch(keys)
        return [found.get(key) for key in keys]

    return DataLoader(load, cache=False)


def _many(fetch: Callable[[Sequence[K]], Awaitable[Mapping[K, list[V]]]]) -> DataLoader[K, list[V]]:
    async def load(keys: list[K]) -> list[list[V]]:
        found = await fetch(keys)
        return [found.get(key, []) for key in keys]

    return DataLoader(load, cache=False)


@dataclass(slots=True)
class Loaders:
    order: DataLoader[str, OrderRecord | None]
    order_lines: DataLoader[str, list[OrderLineRecord]]
    order_history: DataLoader[str, list[StatusChangeRecord]]
    payments: DataLoader[str, list[PaymentRecord]]
    shipments: DataLoader[str, list[ShipmentRecord]]
    returns_of_order: DataLoader[str, list[ReturnRecord]]
    order_timeline: DataLoader[str, list[TimelineRecord]]
    system_records: DataLoader[str, list[SystemRecordRecord]]
    order_sync: DataLoader[str, OrderSyncRecord | None]
    ret: DataLoader[str, ReturnRecord | None]
    return_lines: DataLoader[str, list[ReturnLineRecord]]
    return_history: DataLoader[str, list[StatusChangeRecord]]
    return_timeline: DataLoader[str, list[TimelineRecord]]
    sku: DataLoader[str, SkuRecord | None]
    location: DataLoader[str, LocationRecord | None]
    positions: DataLoader[str, list[PositionRecord]]
    dc_positions: DataLoader[str, list[PositionRecord]]
    store_positions: DataLoader[str, list[PositionRecord]]
    availability: DataLoader[str, list[ChannelAvailabilityRecord]]
    sku_totals: DataLoader[str, SkuTotalsRecord | None]
    return_clock: DataLoader[str, ReturnClockRecord | None]
    customer: DataLoader[str, CustomerRecord | None]
    transactions: DataLoader[str, list[TransactionRecord]]
    fulfillments: DataLoader[str, list[FulfillmentRecord]]
    prices: DataLoader[str, list[HeldPriceRecord]]
    payout: DataLoader[str, PayoutRecord | None]
    company: DataLoader[str, CompanyRecord | None]
    order_terms: DataLoader[str, OrderTermsRecord | None]
    #: positions at drop-ship partners' locations (LocationKind PARTNER)
    partner_positions: DataLoader[str, list[PositionRecord]]

    @classmethod
    def over(cls, rm: ReadModel) -> Loaders:
        async def dc(ids: Sequence[str]) -> Mapping[str, list[PositionRecord]]:
            return await rm.positions_by_sku(ids, "dc")

        async def store(ids: Sequence[str]) -> Mapping[str, list[PositionRecord]]:
            return await rm.positions_by_sku(ids, "store")

        async def partner(ids: Sequence[str]) -> Mapping[str, list[PositionRecord]]:
            return await rm.positions_by_sku(ids, "partner")

        async def every(ids: Sequence[str]) -> Mapping[str, list[PositionRecord]]:
            return await rm.positions_by_sku(ids)

        return cls(
            order=_one(rm.orders_by_id),
            order_lines=_many(rm.lines_by_order),
            order_history=_many(rm.order_history),
            payments=_many(rm.payments_by_order),
            shipments=_many(rm.shipments_by_order),
            returns_of_order=_many(rm.returns_by_order),
            order_timeline=_many(rm.timeline_by_order),
            system_records=_many(rm.system_records),
            order_sync=_one(rm.order_sync),
            ret=_one(rm.returns_by_id),
            return_lines=_many(rm.return_lines),
            return_history=_many(rm.return_history),
            return_timeline=_many(rm.timeline_by_return),
            sku=_one(rm.skus_by_id),
            location=_one(rm.locations_by_id),
            positions=_many(every),
            dc_positions=_many(dc),
            store_positions=_many(store),
            availability=_many(rm.availability_by_sku),
            sku_totals=_one(rm.sku_totals),
            return_clock=_one(rm.return_clocks),
            customer=_one(rm.customers_by_id),
            transactions=_many(rm.transactions_by_order),
            fulfillments=_many(rm.fulfillments_by_order),
            prices=_many(rm.prices_by_sku),
            payout=_one(rm.payouts_by_id),
            company=_one(rm.companies_by_id),
            order_terms=_one(rm.order_terms_by_order),
            partner_positions=_many(partner),
        )
