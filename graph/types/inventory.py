"""Inventory fields every schema shares: SKUs, locations, positions with Shopify's named
quantities, and what each channel is offered.

The hub keeps, per SKU and location, on hand, reserved (committed to open orders),
safety stock, in transit and quarantined. Shopify's names and invariants are what
frontend developers know, so the API speaks them:

    onHand      = hub on_hand (as the WMS or the store's POS last reported it)
    committed   = hub reserved (units promised to open orders)
    reserved    = 0 (the twin has no holds outside orders)
    damaged     = hub quarantined (returns graded damaged)
    safetyStock = hub safety_stock
    qualityControl = 0
    unavailable = reserved + damaged + safetyStock + qualityControl
    available   = onHand - committed - unavailable  (negative when oversold)
    incoming    = hub in_transit (apart from onHand, as in Shopify)

`availableToSell` is what channels are offered: `available`, never below zero.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

import strawberry

from graph.context import GraphInfo
from graph.types.common import LocationKind, SalesChannel
from graph.types.money import Money
from graph.types.node import (
    LEGACY_ID_HELP,
    Node,
    NodeType,
    global_id,
    maybe_raw_id,
    position_raw_id,
)
from graph.types.prices import ChannelPrice, PriceChannel
from graph.types.time import at, maybe_at
from hub.adapters.read_model.derived import SkuTotalsRecord
from hub.adapters.read_model.records import (
    ChannelAvailabilityRecord,
    LocationRecord,
    PositionRecord,
    SkuRecord,
)


@strawberry.type(
    description=(
        "Where the hub's numbers for a position came from. `stale` means the source system "
        "has recorded movements the hub has not applied yet (its sequence is ahead)."
    )
)
class StockProvenance:
    system: str = strawberry.field(
        description=(
            'The system whose stock counts the hub applied: "wms" at a DC, "pos" at a store.'
        )
    )
    sequence: int = strawberry.field(
        description="The source's movement sequence number the hub last applied; 0 for none yet."
    )
    recorded_at: datetime | None = strawberry.field(
        description="When the source recorded that movement; null while none was applied."
    )
    latest_source_sequence: int = strawberry.field(
        description="The newest movement sequence number the source itself has recorded."
    )
    stale: bool = strawberry.field(
        description="True when the source is ahead: `latestSourceSequence` above `sequence`."
    )


POSITION_HELP = (
    "The stock of one SKU at one location, in Shopify's named quantities (units), with "
    "where the hub's numbers came from."
)
SKU_HELP = "A product the estate sells, in the catalog every channel and location share."
LOCATION_HELP = "A distribution center or a store: where stock is held and orders are filled."
POSITION_SKU_HELP = "The SKU held; null only if the read model lacks it."
POSITION_LOCATION_HELP = "The location holding it; null only if the read model lacks it."
LOCATION_KIND_ARG_HELP = "Only the locations of this kind; every kind when not given."


@strawberry.type
class InventoryPositionFields(Node):
    legacy_resource_id: str = strawberry.field(
        description='The position\'s raw id: "SKU id@location id".'
    )
    sku_id: strawberry.ID = strawberry.field(description="The raw id of the SKU held.")
    location_id: strawberry.ID = strawberry.field(
        description="The raw id of the DC or store holding it."
    )
    on_hand: int = strawberry.field(
        description="Physical units, as the WMS (DC) or the store's POS last reported."
    )
    available: int = strawberry.field(
        description="`onHand` less `committed` and `unavailable`; negative when oversold."
    )
    committed: int = strawberry.field(description="Units promised to open orders.")
    unavailable: int = strawberry.field(
        description="Units not for sale: `reserved` + `damaged` + `safetyStock` + `qualityControl`."
    )
    reserved: int = strawberry.field(
        description="Units held outside orders; always 0, as the twin makes no such holds."
    )
    damaged: int = strawberry.field(description="Returned units graded damaged, quarantined.")
    safety_stock: int = strawberry.field(description="Units held back from every channel.")
    quality_control: int = strawberry.field(
        description="Units held for inspection; always 0, as the twin has no such holds."
    )
    incoming: int = strawberry.field(
        description="Units on the way to the location, not part of `onHand`."
    )
    available_to_sell: int = strawberry.field(
        description="What channels are offered from here: `available`, never below 0."
    )
    source: StockProvenance = strawberry.field(
        description="Which system the numbers came from and whether it has moved on since."
    )
    updated_at: datetime = strawberry.field(
        description="When the hub last changed the position (simulated time)."
    )

    @classmethod
    def from_domain(cls, p: PositionRecord) -> Self:
        reserved, quality_control = 0, 0
        unavailable = reserved + p.quarantined + p.safety_stock + quality_control
        return cls(
            id=global_id(NodeType.INVENTORY_POSITION, position_raw_id(p.sku, p.location)),
            legacy_resource_id=position_raw_id(p.sku, p.location),
            sku_id=strawberry.ID(p.sku),
            location_id=strawberry.ID(p.location),
            on_hand=p.on_hand,
            committed=p.reserved,
            unavailable=unavailable,
            available=p.on_hand - p.reserved - unavailable,
            reserved=reserved,
            damaged=p.quarantined,
            safety_stock=p.safety_stock,
            quality_control=quality_control,
            incoming=p.in_transit,
            available_to_sell=p.available,
            source=StockProvenance(
                system=p.source_system,
                sequence=p.source_seq,
                recorded_at=maybe_at(p.source_ts) if p.source_seq > 0 else None,
                latest_source_sequence=p.source_seq_latest,
                stale=p.source_seq_latest > p.source_seq,
            ),
            updated_at=at(p.updated_at),
        )


@strawberry.type(
    description=(
        "What the hub offers one channel for a SKU (per store, for click-and-collect), and what "
        "the channel shows its customers now. The channel's view is only as fresh as the last "
        "feed it received."
    )
)
class ChannelAvailability:
    channel: SalesChannel = strawberry.field(description="The channel offered the stock.")
    store_id: strawberry.ID | None = strawberry.field(
        description=(
            "The raw id of the store, for click-and-collect; null for a channel fed from the DCs."
        )
    )
    available: int = strawberry.field(
        description=(
            "What the hub offers this channel: available to sell, less what the scenario's "
            "allocation rules hold back from it (its safety stock, the marketplace's share)."
        )
    )
    channel_view: int = strawberry.field(description="What the channel currently shows.")
    in_sync: bool = strawberry.field(description="True when `channelView` equals `available`.")
    last_feed_at: datetime | None = strawberry.field(
        description="When the hub last sent the channel a stock feed for it; null if never."
    )
    view_age_seconds: float | None = strawberry.field(
        description="How old the channel's view was when last checked (null: never fed)."
    )

    @classmethod
    def from_domain(cls, r: ChannelAvailabilityRecord) -> ChannelAvailability:
        fed = r.view_sent_at >= 0
        return cls(
            channel=SalesChannel(r.channel),
            store_id=strawberry.ID(r.store) if r.store else None,
            available=r.hub_available,
            channel_view=r.channel_view,
            in_sync=r.hub_available == r.channel_view,
            last_feed_at=at(r.view_sent_at) if fed else None,
            view_age_seconds=round(r.updated_at - r.view_sent_at, 3) if fed else None,
        )


@strawberry.type
class SkuFields(Node):
    legacy_resource_id: str = strawberry.field(
        description="The SKU's raw id (deprecated as an argument: pass `id`)."
    )
    name: str = strawberry.field(description="The product's display name.")
    category: str = strawberry.field(
        description="The catalog category (Apparel, Footwear, Home, ...); an open set."
    )
    price_cents: int = strawberry.field(
        description="The list price of one unit, before tax, in cents.",
        deprecation_reason="Use `price`: money with its currency.",
    )
    tax_rate_basis_points: int = strawberry.field(
        description="The tax rate in hundredths of a percent (2000 is 20%)."
    )
    popularity_rank: int = strawberry.field(description="1 is the best seller (Zipf rank).")

    @classmethod
    def from_domain(cls, record: SkuRecord) -> Self:
        return cls(
            id=global_id(NodeType.SKU, record.id),
            legacy_resource_id=record.id,
            name=record.name,
            category=record.category,
            price_cents=record.price_cents,
            tax_rate_basis_points=record.tax_rate_bp,
            popularity_rank=record.popularity_rank,
        )

    @strawberry.field(description="The list price of one unit, before tax.")
    def price(self) -> Money:
        return Money.of_cents(self.price_cents)

    @strawberry.field(description="Available to sell per channel, with each channel's view.")
    async def available_to_sell(
        self,
        info: GraphInfo,
        channel: Annotated[
            SalesChannel | None, strawberry.argument(description="Only this channel.")
        ] = None,
        store_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only this store's click-and-collect. " + LEGACY_ID_HELP
            ),
        ] = None,
    ) -> list[ChannelAvailability]:
        store = maybe_raw_id(store_id, NodeType.LOCATION, "storeId")
        rows = await info.context.loaders.availability.load(self.legacy_resource_id)
        return [
            ChannelAvailability.from_domain(r)
            for r in rows
            if (channel is None or r.channel == channel.value)
            and (store is None or r.store == store)
        ]

    @strawberry.field(
        description=(
            "The price the hub holds for this SKU in each price channel whose price ever "
            "moved (a channel the pricing source never changed charges the list price, "
            "`price`), in `PriceChannel`'s order, with how far its push got."
        )
    )
    async def channel_prices(
        self,
        info: GraphInfo,
        channel: Annotated[
            PriceChannel | None, strawberry.argument(description="Only this channel.")
        ] = None,
    ) -> list[ChannelPrice]:
        rows = await info.context.loaders.prices.load(self.legacy_resource_id)
        prices = [
            ChannelPrice.from_domain(r)
            for r in rows
            if channel is None or r.price.channel == channel.value
        ]
        order = list(PriceChannel)
        return sorted(prices, key=lambda p: order.index(p.channel))

    async def position_records(
        self, info: GraphInfo, kind: LocationKind | None
    ) -> list[PositionRecord]:
        loaders = info.context.loaders
        loader = {
            None: loaders.positions,
            LocationKind.DC: loaders.dc_positions,
            LocationKind.STORE: loaders.store_positions,
            LocationKind.PARTNER: loaders.partner_positions,
        }[kind]
        return await loader.load(self.legacy_resource_id)

    async def _totals(self, info: GraphInfo) -> SkuTotalsRecord:
        totals = await info.context.loaders.sku_totals.load(self.legacy_resource_id)
        return (
            totals if totals is not None else SkuTotalsRecord(self.legacy_resource_id, 0, 0, 0, 0)
        )

    @strawberry.field(
        description=(
            "`available` summed over every location (Shopify's `inventoryQuantity`): what "
            "the estate can still sell; negative when oversold."
        )
    )
    async def total_available(self, info: GraphInfo) -> int:
        return (await self._totals(info)).available

    @strawberry.field(description="`onHand` summed over every location.")
    async def total_on_hand(self, info: GraphInfo) -> int:
        return (await self._totals(info)).on_hand

    @strawberry.field(description="`committed` (promised to open orders) over every location.")
    async def total_committed(self, info: GraphInfo) -> int:
        return (await self._totals(info)).committed

    @strawberry.field(description="`incoming` (in transit) summed over every location.")
    async def total_incoming(self, info: GraphInfo) -> int:
        return (await self._totals(info)).incoming


@strawberry.type
class LocationFields(Node):
    legacy_resource_id: str = strawberry.field(
        description="The location's raw id (deprecated as an argument: pass `id`)."
    )
    kind: LocationKind = strawberry.field(
        description="A DC, a store, or a drop-ship partner's warehouse."
    )
    region: str = strawberry.field(description="The region it serves (north, south, ...).")
    name: str = strawberry.field(description="The location's display name.")

    @classmethod
    def from_domain(cls, record: LocationRecord) -> Self:
        return cls(
            id=global_id(NodeType.LOCATION, record.id),
            legacy_resource_id=record.id,
            kind=LocationKind(record.kind),
            region=record.region,
            name=record.name,
        )


@strawberry.input(description="Filters for the inventory list; all given must match.")
class InventoryFilter:
    sku_id: strawberry.ID | None = strawberry.field(
        default=None, description="A Sku's id. " + LEGACY_ID_HELP
    )
    location_id: strawberry.ID | None = strawberry.field(
        default=None, description="A Location's id. " + LEGACY_ID_HELP
    )
    location_kind: LocationKind | None = strawberry.field(
        default=None, description="Only positions at DCs, or only at stores."
    )
    stale: bool | None = strawberry.field(
        default=None, description="Only positions whose source has moved on (true) or not."
    )
    available_at_most: int | None = strawberry.field(
        default=None, description="Only positions whose `available` is at most this."
    )
    on_hand_at_most: int | None = strawberry.field(
        default=None, description="Only positions whose `onHand` is at most this."
    )
