"""Availability: stock positions, reservations and available-to-sell (ATS) per channel.

Stock reports from the WMS and the POS are versioned by the reporting system's
per-position sequence. With ordering on, a report older than the last applied one is a
late arrival and is ignored; this is how reordered and redelivered messages cannot
regress stock. Every change marks the position dirty; dirty positions are pushed to
the channels as an inventory feed, either shortly after the change (event-driven sync,
debounced so a burst becomes one push) or on a fixed interval (batch sync), which is
the design choice architects compare.

ATS for ship-to-home channels is the sum of available units over the DCs; for
click-and-collect it is the store's own available units.
"""

from __future__ import annotations

from collections.abc import Iterable

from hub.context import HubContext
from hub.messages import StockReport
from hub.model.inventory import InventoryPosition
from hub.model.order import Channel


class AvailabilityService:
    def __init__(self, ctx: HubContext) -> None:
        self._ctx = ctx
        self._dcs = ctx.topology.dcs
        self._is_dc = frozenset(ctx.topology.dcs)
        #: sku -> earliest source time of a change not yet pushed
        self._dirty_ship: dict[str, float] = {}
        #: (sku, store) -> earliest source time of a change not yet pushed
        self._dirty_store: dict[tuple[str, str], float] = {}
        self._flush_scheduled = False
        self.feeds_pushed = 0
        self.stale_reports_ignored = 0
        if ctx.policy.sync_mode == "batch":
            self._flush_scheduled = True
            ctx.scheduler.call_later(ctx.policy.sync_interval_s, ("feed_flush", None))

    # -- stock facts ------------------------------------------------------------

    def apply_reports(self, reports: Iterable[StockReport]) -> None:
        ordered = self._ctx.policy.ordering
        book = self._ctx.inventory
        for report in reports:
            position = book.get(report.sku, report.location)
            if report.seq > position.reported_seq:
                position.reported_seq = report.seq
            if ordered and report.seq <= position.source_seq:
                self.stale_reports_ignored += 1
                continue
            position.on_hand = report.on_hand
            position.quarantined = report.quarantined
            position.source_seq = report.seq
            position.source_ts = report.ts
            self.touch(position, report.ts)

    # -- reservations -------------------------------------------------------------

    def reserve(self, sku: str, location: str, quantity: int) -> int:
        """Reserve up to `quantity`; returns how many units could be reserved."""
        position = self._ctx.inventory.get(sku, location)
        granted = min(quantity, position.available)
        if granted > 0:
            position.reserved += granted
            self.touch(position, self._ctx.clock.now())
        return granted

    def release(self, sku: str, location: str, quantity: int) -> None:
        if quantity <= 0:
            return
        position = self._ctx.inventory.get(sku, location)
        position.reserved = max(0, position.reserved - quantity)
        self.touch(position, self._ctx.clock.now())

    def best_dc(self, wanted: Iterable[tuple[str, int]], preferred_region: str = "") -> str:
        """The DC that can fill the most units of the order, nearest region first."""
        book = self._ctx.inventory
        lines = [(book.at_locations(sku), qty) for sku, qty in wanted]
        region_of = self._ctx.topology.region_of
        best, best_units = self._dcs[0], -1
        for dc in self._dcs:
            units = 0
            for at, qty in lines:
                position = at.get(dc)
                if position is not None:
                    units += min(qty, position.available)
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

    # -- feeds -----------------------------------------------------------------------

    def touch(self, position: InventoryPosition, since: float) -> None:
        """Mark a position's ATS as changed since `since` (a source timestamp)."""
        if position.location in self._is_dc:
            previous = self._dirty_ship.get(position.sku)
            if previous is None or since < previous:
                self._dirty_ship[position.sku] = since
        else:
            key = (position.sku, position.location)
            previous = self._dirty_store.get(key)
            if previous is None or since < previous:
                self._dirty_store[key] = since
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
        (sku, ats, changed at) for ship-to-home, (sku, store, ats, changed at) per store,
        where "changed at" is the source time of the oldest change not yet pushed."""
        ctx = self._ctx
        now = ctx.clock.now()
        if not (self._dirty_ship or self._dirty_store):
            return
        if ctx.policy.has_defect("stale_feed") and self.feeds_pushed > 0:
            return
        # rows, not one object per SKU: at peak a push carries hundreds of positions
        ship_rows = [(sku, self.ats_ship(sku), since) for sku, since in self._dirty_ship.items()]
        store_rows = [
            (sku, store, self.ats_store(sku, store), since)
            for (sku, store), since in self._dirty_store.items()
        ]
        self._dirty_ship = {}
        self._dirty_store = {}
        # the storefront takes ship-to-home and per-store availability in one push
        ctx.transport.publish(
            "web", "inventory", {"items": ship_rows, "store_items": store_rows, "sent_at": now}
        )
        if ship_rows:
            ctx.transport.publish("marketplace", "inventory", {"items": ship_rows, "sent_at": now})
        self.feeds_pushed += 1

    def pending_changes(self) -> int:
        return len(self._dirty_ship) + len(self._dirty_store)
