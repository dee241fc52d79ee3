"""Price and promotion propagation: the pricing source's changes carried to the
channels that charge them (the storefront, the marketplace, the stores' tills).

Two designs an architect compares (`hub.price_sync`): event-driven, where a change is
pushed a debounce interval after it arrives, and batch, where what changed is pushed on
a fixed timer, as a nightly or quarter-hourly price file is. Either way the hub keeps
the newest price per SKU and channel by the source's change number, so a change that
arrives after a later one (the wire reorders) is dropped, not pushed over it. Between
a change and its push, a channel charges the old price: the checker counts those
orders as taken at a stale price.
"""

from __future__ import annotations

from hub.adapters.pricing import price_push
from hub.context import HubContext
from hub.messages import PriceIn, PricesChanged

#: where each of the source's price channels is pushed: the system the hub publishes to
PUSH_TARGETS = {"web": "web", "marketplace": "marketplace", "stores": "pos"}
#: the timer that pushes what changed
FLUSH_TIMER = "price_flush"


class PriceSync:
    def __init__(self, ctx: HubContext) -> None:
        self._ctx = ctx
        #: (channel, sku) -> the newest price heard and the change number that set it
        self.prices: dict[tuple[str, str], tuple[PriceIn, int]] = {}
        #: channel -> sku -> what to push next
        self._pending: dict[str, dict[str, tuple[PriceIn, int]]] = {}
        self._flush_scheduled = False
        self._drop_marketplace_promotions = ctx.policy.has_defect("drop_marketplace_promotions")
        self.pushes = 0
        self.stale_changes_ignored = 0

    def on_prices_changed(self, event: PricesChanged) -> None:
        for price in event.prices:
            if price.channel not in PUSH_TARGETS:
                self._ctx.count("prices_for_unknown_channels")
                continue
            key = (price.channel, price.sku)
            held = self.prices.get(key)
            if held is not None and held[1] >= event.version:
                self.stale_changes_ignored += 1
                continue
            self.prices[key] = (price, event.version)
            if self._dropped_by_defect(price):
                continue
            self._pending.setdefault(price.channel, {})[price.sku] = (price, event.version)
        if self._pending and not self._flush_scheduled:
            self._flush_scheduled = True
            policy = self._ctx.policy
            delay = policy.price_sync_interval_s
            if policy.price_sync_mode == "batch":
                # a batch runs on the clock's fixed grid, not from the first change
                now = self._ctx.clock.now()
                delay = (now // delay + 1) * delay - now
            self._ctx.scheduler.call_later(delay, (FLUSH_TIMER, None))

    def _dropped_by_defect(self, price: PriceIn) -> bool:
        """The seeded defect: the marketplace never hears of a promotion."""
        return (
            self._drop_marketplace_promotions
            and price.channel == "marketplace"
            and bool(price.promotion)
        )

    def flush(self) -> None:
        """Push every pending price to its channel."""
        self._flush_scheduled = False
        pending, self._pending = self._pending, {}
        now = self._ctx.clock.now()
        for channel, rows in pending.items():
            self._ctx.transport.publish(
                PUSH_TARGETS[channel], "prices", price_push(rows.values(), now)
            )
            self.pushes += 1

    def pending_changes(self) -> int:
        return sum(len(rows) for rows in self._pending.values())
