"""Availability: stock positions, reservations and available-to-sell (ATS) per channel.

Stock reports from the WMS and the POS are versioned by the reporting system's
per-position sequence. With ordering on, a report older than the last applied one is a
late arrival and is ignored; this is how reordered and redelivered messages cannot
regress stock. Every change marks the position dirty; dirty positions are pushed to
the channels as an inventory feed, either shortly after the change (event-driven sync,
debounced so a burst becomes one push) or on a fixed interval (batch sync), which is
the design choice architects compare.

Each feed row says which of the sources' movements its value includes: the sequence
number, per location, of the last report or snapshot applied. That is the sources' own
numbering, so the checker can tell from the sources' records how long each movement
took to reach each channel, whatever carried it (an event, a batch, a reconciliation).

ATS for ship-to-home channels is the sum of available units over the DCs; for
click-and-collect it is the store's own available units. What each channel is offered of
it follows the scenario's allocation rules (`hub.allocation`, hub/model/allocation.py):
a channel's own safety stock, a share for the marketplace.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from hub.context import HubContext
from hub.messages import StockReport
from hub.model.allocation import offered
from hub.model.inventory import InventoryPosition
from hub.model.order import Channel
from hub.policy import AllocationPolicy

#: a feed row of ship-to-home stock: (sku, units, (dc, source sequence) per DC)
ShipRow = tuple[str, int, tuple[tuple[str, int], ...]]
#: the positions of a SKU the hub has none of
_NO_POSITIONS: dict[str, InventoryPosition] = {}


class AvailabilityService:
    def __init__(self, ctx: HubContext) -> None:
        self._ctx = ctx
        self._dcs = ctx.topology.dcs
        self._is_dc = frozenset(ctx.topology.dcs)
        #: the DCs an order is sourced from whole (drop-ship partners are not)
        self._warehouses = ctx.topology.warehouses
        #: SKUs whose ship-to-home ATS changed since the last push (insertion ordered)
        self._dirty_ship: dict[str, None] = {}
        #: (sku, store) positions whose ATS changed since the last push
        self._dirty_store: dict[tuple[str, str], None] = {}
        self._flush_scheduled = False
        self._rules = ctx.policy.allocation
        #: no allocation rule: every channel is offered all of it (the feeds' fast path);
        #: the seeded defect `ignore_allocation` feeds so whatever the rules say
        channel_rules = replace(self._rules, locations=())  # locations: the book's business
        self._offer_all = channel_rules == AllocationPolicy() or ctx.policy.has_defect(
            "ignore_allocation"
        )
        # read once (the policy is fixed for the hub's life), not at every push
        self._stale_feed = ctx.policy.has_defect("stale_feed")
        self.feeds_pushed = 0
        self.stale_reports_ignored = 0
        if ctx.policy.sync_mode == "batch":
            self._flush_scheduled = True
            ctx.scheduler.call_later(ctx.policy.sync_interval_s, ("feed_flush", None))

    # -- stock facts ------------------------------------------------------------

    def apply_reports(self, reports: Iterable[StockReport]) -> None:
        ordered = self._ctx.policy.ordering
        book = self._ctx.inventory
        get, by_sku = book.get, book.by_sku
        is_dc, dirty_ship, dirty_store = self._is_dc, self._dirty_ship, self._dirty_store
        touched = False
        for report in reports:
            # a report unpacked, not read field by field (it is a tuple)
            sku, location, on_hand, seq, ts, quarantined = report
            # `book.get`'s usual case inlined, the position there already: a report per
            # line of every sale and warehouse message
            at = by_sku.get(sku)
            position = None if at is None else at.get(location)
            if position is None:
                position = get(sku, location)
            if seq > position.reported_seq:
                position.reported_seq = seq
            if ordered and seq <= position.source_seq:
                self.stale_reports_ignored += 1
                continue
            position.on_hand = on_hand
            position.quarantined = quarantined
            position.source_seq = seq
            position.source_ts = ts
            # `touch`, inlined (a report per line of every sale and warehouse message)
            if location in is_dc:
                dirty_ship[sku] = None
            else:
                dirty_store[(sku, location)] = None
            touched = True
        if touched and not self._flush_scheduled:
            self._flush_scheduled = True
            self._ctx.scheduler.call_later(self._ctx.policy.sync_interval_s, ("feed_flush", None))

    # -- reservations -------------------------------------------------------------

    def reserve(self, sku: str, location: str, quantity: int) -> int:
        """Reserve up to `quantity` for an accepted order, safety stock included (see
        `InventoryPosition.fillable`); returns how many units could be reserved."""
        position = self._ctx.inventory.get(sku, location)
        granted = min(quantity, position.fillable)
        if granted > 0:
            position.reserved += granted
            self.touch(position)
        return granted

    def release(self, sku: str, location: str, quantity: int) -> None:
        if quantity <= 0:
            return
        position = self._ctx.inventory.get(sku, location)
        position.reserved = max(0, position.reserved - quantity)
        self.touch(position)

    def fillable(self, sku: str, location: str) -> int:
        """Units of `sku` an accepted order could reserve at `location` now (what
        `reserve` grants: safety stock included), for sourcing."""
        position = self._ctx.inventory.find(sku, location)
        return 0 if position is None else position.fillable

    def best_dc(self, wanted: Iterable[tuple[str, int]], preferred_region: str = "") -> str:
        """The DC that can fill the most units of the order, nearest region first."""
        book = self._ctx.inventory
        lines = [(book.at_locations(sku), qty) for sku, qty in wanted]
        region_of = self._ctx.topology.region_of
        best, best_units = self._warehouses[0], -1
        for dc in self._warehouses:
            units = 0
            for at, qty in lines:
                position = at.get(dc)
                if position is not None:
                    # `position.available`, inlined (a line times a DC, every web order)
                    free = (
                        position.on_hand
                        - position.reserved
                        - position.safety_stock
                        - position.quarantined
                    )
                    available = free if free > 0 else 0
                    units += qty if qty < available else available
            near = 1 if preferred_region and region_of.get(dc) == preferred_region else 0
            if (units, near) > (best_units, 0) or (units == best_units and near):
                best, best_units = dc, units
        return best

    # -- ATS ---------------------------------------------------------------------

    def ats_ship(self, sku: str) -> int:
        at = self._ctx.inventory.at_locations(sku)
        total = 0
        for dc in self._dcs:
            position = at.get(dc)
            if position is not None:
                total += position.available
        return total

    def ats_store(self, sku: str, store: str) -> int:
        position = self._ctx.inventory.find(sku, store)
        return 0 if position is None else position.available

    def ats_for(self, channel: str, sku: str, store: str = "") -> int:
        if channel == Channel.CLICK_COLLECT:
            return self.ats_store(sku, store)
        return self.ats_ship(sku)

    def offered_to(self, channel: str, sku: str, store: str = "", marketplace: str = "") -> int:
        """What `channel` (a marketplace: the one named) is offered of `ats_for`, by the
        allocation rules."""
        return offered(self._rules, channel, self.ats_for(channel, sku, store), marketplace)

    # -- feeds -----------------------------------------------------------------------

    def touch(self, position: InventoryPosition) -> None:
        """Mark a position's ATS as changed, to be pushed with the next feed."""
        if position.location in self._is_dc:
            self._dirty_ship[position.sku] = None
        else:
            self._dirty_store[(position.sku, position.location)] = None
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._ctx.scheduler.call_later(self._ctx.policy.sync_interval_s, ("feed_flush", None))

    def flush(self) -> None:
        """The feed timer: push what changed, and in batch mode book the next run."""
        ctx = self._ctx
        if ctx.policy.sync_mode == "batch":
            ctx.scheduler.call_later(ctx.policy.sync_interval_s, ("feed_flush", None))
        else:
            self._flush_scheduled = False
        self.publish_now()

    def publish_now(self) -> None:
        """Push every dirty position's ATS to the channels, with its provenance: rows of
        (sku, ats, ((dc, seq), ...)) for ship-to-home and (sku, store, ats, seq) per
        store, where seq is the source's sequence number of the last movement the value
        includes (-1: none reported yet)."""
        ctx = self._ctx
        now = ctx.clock.now()
        if not (self._dirty_ship or self._dirty_store):
            return
        if self._stale_feed and self.feeds_pushed > 0:
            return
        # rows, not one object per SKU: at peak a push carries hundreds of positions
        ship_rows = self._ship_rows(self._dirty_ship)
        by_sku = ctx.inventory.by_sku
        store_rows = []
        rules, offer_all = self._rules, self._offer_all
        for sku, store in self._dirty_store:
            # `inventory.find` and `position.available`, inlined: a row per store
            # position a sale or a reservation touched since the last push
            at = by_sku.get(sku)
            position = None if at is None else at.get(store)
            if position is None:
                store_rows.append((sku, store, 0, -1))
            else:
                units = (
                    position.on_hand
                    - position.reserved
                    - position.safety_stock
                    - position.quarantined
                )
                if units < 0:
                    units = 0
                if not offer_all:
                    units = offered(rules, Channel.CLICK_COLLECT, units)
                store_rows.append((sku, store, units, position.source_seq))
        self._dirty_ship = {}
        self._dirty_store = {}
        web_rows = self._offered_rows(Channel.WEB, ship_rows)
        # the storefront takes ship-to-home and per-store availability in one push
        ctx.transport.publish(
            "web", "inventory", {"items": web_rows, "store_items": store_rows, "sent_at": now}
        )
        if ship_rows:  # each marketplace offered its own share
            for name in ctx.topology.marketplaces:
                marketplace_rows = self._offered_rows(Channel.MARKETPLACE, ship_rows, name)
                ctx.transport.publish(
                    name, "inventory", {"items": marketplace_rows, "sent_at": now}
                )
        self.feeds_pushed += 1

    def _offered_rows(
        self, channel: str, rows: list[ShipRow], marketplace: str = ""
    ) -> list[ShipRow]:
        """The rows as `channel` (a marketplace: the one named) is offered them (the
        same rows with no rule)."""
        if self._offer_all:
            return rows
        rules = self._rules
        return [
            (sku, offered(rules, channel, units, marketplace), seqs) for sku, units, seqs in rows
        ]

    def _ship_rows(self, skus: Iterable[str]) -> list[ShipRow]:
        """(sku, ship-to-home ATS, the source sequence each DC's part of it includes)
        of each SKU: one call a push, not one a SKU."""
        by_sku, dcs = self._ctx.inventory.by_sku, self._dcs
        rows: list[ShipRow] = []
        for sku in skus:
            at = by_sku.get(sku, _NO_POSITIONS)  # `inventory.at_locations`, inlined
            total = 0
            versions = []
            for dc in dcs:
                position = at.get(dc)
                if position is not None:
                    # `position.available`, inlined: a DC of every SKU in every push
                    units = (
                        position.on_hand
                        - position.reserved
                        - position.safety_stock
                        - position.quarantined
                    )
                    if units > 0:
                        total += units
                    versions.append((dc, position.source_seq))
            rows.append((sku, total, tuple(versions)))
        return rows

    def pending_changes(self) -> int:
        return len(self._dirty_ship) + len(self._dirty_store)
