"""Keeping the read model current: the hub's aggregates, the estate's records of each
order, channel availability and the message timeline, written to SQL.

One projector serves both uses. A finished run is projected once, whole. A live twin is
projected every fraction of a second, and only what changed is written: each
aggregate's fingerprint (hub/adapters/read_model/projection.py) is compared with the
one last written, and an order's cross-system view is rebuilt only when a message about
it crossed the wire or the hub changed it. What changed is returned, so the server can
tell its subscribers.
"""

from __future__ import annotations

import types
from collections.abc import AsyncIterator, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from hub.adapters.read_model.company_records import OrderTermsRecord, company_records
from hub.adapters.read_model.payout_records import payout_fingerprint, payout_snapshot
from hub.adapters.read_model.projection import (
    channel_price_record,
    order_fingerprint,
    order_snapshot,
    position_fingerprint,
    position_record,
    refunded_cents,
    return_fingerprint,
    return_snapshot,
)
from hub.adapters.read_model.records import (
    TIMELINE_ORDER_ID,
    TIMELINE_WIDTH,
    ChannelAvailabilityRecord,
    CustomerRecord,
    LocationRecord,
    SkuRecord,
)
from hub.adapters.read_model.writes import ReadModelWrites
from hub.model.allocation import offered
from hub.model.inventory import InventoryPosition
from hub.model.order import Channel, Order
from hub.model.returns import Return
from hub.model.settlement import Payout
from hub.services.price_sync import HeldPrice
from scenarios.twin.projection.companies import company_accounts, hub_terms
from scenarios.twin.projection.cross_system import GatewayIndex, order_view
from scenarios.twin.projection.erp_part import held_for
from scenarios.twin.projection.transactions import order_transactions
from scenarios.twin.run_result import RunResult
from scenarios.twin.timeline import TimelineRecorder

T = TypeVar("T")
#: the channels offered ship-to-home stock, in the order availability records list them
SHIP_CHANNELS = (Channel.WEB, Channel.MARKETPLACE)

#: items a projection looks at between handing the event loop back to waiting requests
#: (a few milliseconds of work)
ITEMS_BETWEEN_YIELDS = 500


@types.coroutine
def hand_back() -> Generator[None, None, None]:
    """One turn of the event loop to whatever else waits on it: a bare yield, which an
    asyncio task takes as "run me again on the next turn", exactly as `asyncio.sleep(0)`
    does it, without importing asyncio (some 12 ms of CPU): a finished run's one-shot
    projection runs on no event loop (`scenarios.reports.read_model.without_a_loop`)."""
    yield


async def in_turn(items: Iterable[T]) -> AsyncIterator[T]:
    """Each of `items`, handing the event loop back every ITEMS_BETWEEN_YIELDS: a peak's
    projection is seconds of work that must not stall the API that long. The items are
    taken at once, since a request served in between may change the dict they are in."""
    for index, item in enumerate(list(items)):
        if index and index % ITEMS_BETWEEN_YIELDS == 0:
            await hand_back()
        yield item


@dataclass(slots=True)
class Changes:
    """What one projection wrote."""

    orders: set[str] = field(default_factory=set)
    returns: set[str] = field(default_factory=set)
    #: SKUs whose positions, channel availability or held prices changed
    skus: set[str] = field(default_factory=set)
    timeline_entries: int = 0

    def __bool__(self) -> bool:
        return bool(self.orders or self.returns or self.skus or self.timeline_entries)


class Projector:
    """Projects the built-in hub's own aggregates (and the estate around it). A hub
    whose state cannot be read is projected from the systems' records instead
    (scenarios/live/ground_projection.py), through the hooks below: which orders there
    are, which stock positions, and what is available to sell."""

    def __init__(
        self, result: RunResult, read_model: ReadModelWrites, observer: TimelineRecorder | None
    ) -> None:
        self._result = result
        self._read_model = read_model
        self._observer = observer
        self._gateway = GatewayIndex()
        self._is_dc = frozenset(dc.location_id for dc in result.estate.world.dcs)
        self._order_fps: dict[str, tuple[object, ...]] = {}
        self._return_fps: dict[str, tuple[object, ...]] = {}
        self._position_fps: dict[tuple[str, str], tuple[object, ...]] = {}
        self._availability_fps: dict[str, tuple[object, ...]] = {}
        self._price_fps: dict[tuple[str, str], HeldPrice] = {}
        self._payout_fps: dict[str, tuple[object, ...]] = {}
        self._companies_fp: tuple[object, ...] = ()
        #: the orders `_project_orders` read in the projection under way, by id, for the
        #: timeline and the system views after it: a finished run's orders are mostly
        #: archived (`hub/aggregates.py`), where each look-up is a query and each read
        #: unpacks a copy, so each is read once per projection, not three times
        self._read: dict[str, Order] = {}
        #: the stores ranging each SKU (master data: fixed for the run)
        self._stores_of: dict[str, list[str]] = {}
        for sku, store in result.estate.world.store_stock:
            self._stores_of.setdefault(sku, []).append(store)

    async def write_master_data(self) -> None:
        world = self._result.estate.world
        skus = [
            SkuRecord(s.sku_id, s.name, s.category, s.price_cents, s.tax_rate_bp, s.rank)
            for s in world.skus
        ]
        locations = [
            LocationRecord(loc.location_id, loc.kind, loc.region, loc.name)
            for loc in [*world.dcs, *world.stores]
        ]
        customers = [
            CustomerRecord(c.customer_id, c.name, c.email, c.region) for c in world.customers
        ]
        await self._read_model.write_master_data(skus, locations, customers)

    async def project(self) -> Changes:
        changes = Changes()
        now = self._result.estate.now
        try:
            await self._project_returns(now, changes)
            await self._project_orders(now, changes)
            await self._project_positions(now, changes)
            await self._project_availability(now, changes)
            await self._project_prices(now, changes)
            await self._project_payouts(now)
            await self._project_companies(now)
            await self._project_timeline(changes)
            await self._project_system_views(changes)
        finally:
            self._read = {}  # the next projection reads the orders as they are then
        return changes

    # -- what is projected: the hub's own state here, the systems' in a ground projection

    def known_orders(self) -> Mapping[str, Order]:
        """The orders the read model shows, by id."""
        return self._result.estate.hub.ctx.orders

    def positions(self) -> Iterable[InventoryPosition]:
        """The stock positions the read model shows."""
        return self._result.estate.hub.ctx.inventory.positions()

    def ats_ship(self, sku: str) -> int:
        """What the hub offers ship-to-home channels of `sku`."""
        return self._result.estate.hub.availability.ats_ship(sku)

    def ats_store(self, sku: str, store: str) -> int:
        """What the hub offers click-and-collect of `sku` at `store`."""
        return self._result.estate.hub.availability.ats_store(sku, store)

    def held_prices(self) -> Iterable[HeldPrice]:
        """The prices the hub holds per channel and SKU, with how far each push got."""
        return self._result.estate.hub.price_sync.held()

    #: whether `payouts()` carry the hub's own reconciliation state (the built-in hub's)
    payouts_show_hub_state = True

    def payouts(self) -> Iterable[Payout]:
        """The settling marketplace's payouts the hub received, as it reconciles them."""
        return self._result.estate.hub.settlement.payouts.values()

    def order_terms(self) -> list[OrderTermsRecord]:
        """The payment terms of the companies' orders, as the hub holds them."""
        return hub_terms(self._result.estate.hub)

    # -- aggregates ----------------------------------------------------------------------

    def _returns_by_order(self) -> dict[str, list[Return]]:
        grouped: dict[str, list[Return]] = {}
        for ret in self._result.estate.hub.ctx.returns.values():
            grouped.setdefault(ret.order_id, []).append(ret)
        return grouped

    async def _project_orders(self, now: float, changes: Changes) -> None:
        returns = self._returns_by_order()
        snapshots = []
        read = self._read
        async for order_id, order in in_turn(self._result.estate.hub.ctx.orders.items()):
            read[order_id] = order
            refunded = refunded_cents(returns.get(order_id, ()))
            fingerprint = order_fingerprint(order, refunded)
            if self._order_fps.get(order_id) != fingerprint:
                self._order_fps[order_id] = fingerprint
                snapshots.append(order_snapshot(order, refunded, now))
                changes.orders.add(order_id)
        await self._read_model.write_orders(snapshots)

    async def _project_returns(self, now: float, changes: Changes) -> None:
        snapshots = []
        async for return_id, ret in in_turn(self._result.estate.hub.ctx.returns.items()):
            fingerprint = return_fingerprint(ret)
            if self._return_fps.get(return_id) != fingerprint:
                self._return_fps[return_id] = fingerprint
                snapshots.append(return_snapshot(ret, now))
                changes.returns.add(return_id)
                if ret.order_id in self._result.estate.hub.ctx.orders:
                    changes.orders.add(ret.order_id)
        await self._read_model.write_returns(snapshots)

    async def _project_positions(self, now: float, changes: Changes) -> None:
        wms_seq = self._result.estate.wms.stock.seq
        pos_seq = self._result.estate.pos.stock.seq
        records = []
        async for position in in_turn(self.positions()):
            key = (position.sku, position.location)
            at_dc = position.location in self._is_dc
            latest = (wms_seq if at_dc else pos_seq).get(key, 0)
            fingerprint = position_fingerprint(position, latest)
            if self._position_fps.get(key) != fingerprint:
                self._position_fps[key] = fingerprint
                records.append(position_record(position, "wms" if at_dc else "pos", latest, now))
                changes.skus.add(position.sku)
        await self._read_model.write_positions(records)

    async def _project_availability(self, now: float, changes: Changes) -> None:
        """Each SKU's availability per channel (web and marketplace from the DCs, click
        and collect per ranging store): what the hub offers it (by the scenario's
        allocation rules, hub/model/allocation.py), what the channel shows and when its
        feed came. The values are compared first and records built only for the SKUs
        that changed, since most do not between two projections. With several
        marketplaces the MARKETPLACE row is the first one's (its share and its view)."""
        result = self._result
        storefront, marketplace = result.estate.storefront, result.estate.marketplace
        rules = result.scenario.hub.allocation
        records = []
        async for sku in in_turn(s.sku_id for s in result.estate.world.skus):
            ship = self.ats_ship(sku)
            web, market = (
                offered(rules, Channel.WEB, ship),
                offered(rules, Channel.MARKETPLACE, ship, marketplace.system),
            )
            stores = self._stores_of.get(sku, ())
            fingerprint = (
                (web, storefront.ship_view.get(sku, 0), storefront.feed_sent_at.get(sku, -1.0)),
                (
                    market,
                    marketplace.ship_view.get(sku, 0),
                    marketplace.feed_sent_at.get(sku, -1.0),
                ),
                *(
                    (
                        offered(rules, Channel.CLICK_COLLECT, self.ats_store(sku, store)),
                        storefront.store_view.get((sku, store), 0),
                        storefront.feed_sent_at.get((sku, store), -1.0),
                    )
                    for store in stores
                ),
            )
            if self._availability_fps.get(sku) == fingerprint:
                continue
            self._availability_fps[sku] = fingerprint
            channels = [(Channel.WEB, ""), (Channel.MARKETPLACE, "")]
            channels += [(Channel.CLICK_COLLECT, store) for store in stores]
            records += [
                ChannelAvailabilityRecord(sku, channel, store, hub, view, sent_at, now)
                for (channel, store), (hub, view, sent_at) in zip(
                    channels, fingerprint, strict=True
                )
            ]
            changes.skus.add(sku)
        await self._read_model.write_availability(records)

    async def _project_prices(self, now: float, changes: Changes) -> None:
        """The held prices that changed since the last projection (a newer change
        heard, or a push), upserted row by row: a held price is never removed."""
        records = []
        async for held in in_turn(self.held_prices()):
            key = (held.channel, held.sku)
            if self._price_fps.get(key) != held:
                self._price_fps[key] = held
                records.append(channel_price_record(held, now))
                changes.skus.add(held.sku)
        await self._read_model.write_channel_prices(records)

    async def _project_payouts(self, now: float) -> None:
        """The payouts whose state, matched lines or booking moved (all on a day
        without a settling marketplace: none)."""
        snapshots = []
        for payout in self.payouts():
            fingerprint = payout_fingerprint(payout)
            if self._payout_fps.get(payout.settlement_id) != fingerprint:
                self._payout_fps[payout.settlement_id] = fingerprint
                snapshots.append(
                    payout_snapshot(payout, Channel.MARKETPLACE, now, self.payouts_show_hub_state)
                )
        await self._read_model.write_payouts(snapshots)

    async def _project_companies(self, now: float) -> None:
        """The B2B portal's accounts with their orders' terms, when any moved or fell
        overdue (none on a day without a portal)."""
        portal = self._result.estate.b2b
        if portal is None:
            return
        terms = self.order_terms()
        fingerprint = (tuple(terms), sum(1 for t in terms if t.overdue(now)))
        if fingerprint == self._companies_fp:
            return
        self._companies_fp = fingerprint
        companies = company_records(company_accounts(portal), terms, now)
        await self._read_model.write_companies(companies, terms)

    # -- the estate around the hub ---------------------------------------------------------

    async def _project_timeline(self, changes: Changes) -> None:
        if self._observer is None:
            return
        values = self._observer.drain_fields()
        changes.timeline_entries = len(values) // TIMELINE_WIDTH
        # a finished run's timeline names each order some fifteen times: each id is
        # looked up once
        order_ids: set[str] = set(values[TIMELINE_ORDER_ID::TIMELINE_WIDTH])
        changes.orders.update(filter(self._is_known, order_ids))
        await self._read_model.append_timeline_fields(values)

    def _is_known(self, order_id: str) -> bool:
        """Whether the read model shows the order (read by this projection already, or
        one of `known_orders`)."""
        return order_id in self._read or order_id in self.known_orders()

    async def _project_system_views(self, changes: Changes) -> None:
        self._gateway.refresh(self._result)
        orders = self.known_orders()
        read = self._read
        ids = sorted(filter(self._is_known, changes.orders))
        records = []
        syncs = []
        transactions = []
        viewed = []
        for order_id in ids:
            order = read.get(order_id)
            viewed.append((order_id, orders[order_id] if order is None else order))
        # a finished run views every order: the ERP's part of each made by one scan of
        # its documents, and handed over (each part's rows go into `records`)
        erp_parts = held_for(self._result.estate.erp, [order for _, order in viewed])
        async for order_id, order in in_turn(viewed):
            erp = None if erp_parts is None else erp_parts.pop(order_id)
            order_records, sync = order_view(self._result, order, self._gateway, erp)
            records += order_records
            syncs.append(sync)
            transactions += order_transactions(order_id, self._gateway)
        await self._read_model.write_system_views(ids, records, syncs, transactions)
