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

from dataclasses import dataclass

from hub.adapters.pricing import price_push
from hub.context import HubContext
from hub.messages import BasketIn, PriceIn, PricesChanged

#: where each of the source's price channels is pushed: the system the hub publishes to
PUSH_TARGETS = {"web": "web", "marketplace": "marketplace", "stores": "pos"}
#: the timer that pushes what changed
FLUSH_TIMER = "price_flush"


@dataclass(frozen=True, slots=True)
class HeldPrice:
    """The newest price the hub holds for one SKU in one channel, and how far its push
    has got: what an operator asks when a channel charges an old price.

    The hub knows what it sent, not what the channel applied: `pushed_version` is the
    change number of the last push it published to the channel, which the channel may
    still be processing (a marketplace's feed takes a while) or may never have received
    (a store offline)."""

    channel: str
    sku: str
    price_cents: int
    list_price_cents: int
    #: the promotion behind the price ("" at list price)
    promotion: str
    #: the pricing source's change number that set it
    version: int
    #: when the hub heard that change (its clock)
    heard_at: float
    #: the change number last pushed to the channel (0: none yet), and when (None: never)
    pushed_version: int
    pushed_at: float | None

    @property
    def unpushed(self) -> bool:
        """A newer change than the last push waits: the channel charges an older price."""
        return self.pushed_version < self.version


class PriceSync:
    def __init__(self, ctx: HubContext) -> None:
        self._ctx = ctx
        #: (channel, sku) -> the newest price heard and the change number that set it
        self.prices: dict[tuple[str, str], tuple[PriceIn, int]] = {}
        #: channel -> sku -> what to push next
        self._pending: dict[str, dict[str, tuple[PriceIn, int]]] = {}
        #: (channel, basket promotion) -> its newest state heard and the change number;
        #: channel -> name -> the basket promotions to push next
        self.baskets: dict[tuple[str, str], tuple[BasketIn, int]] = {}
        self._pending_baskets: dict[str, dict[str, tuple[BasketIn, int]]] = {}
        #: (channel, sku) -> when the held change was heard; and the last push of it
        #: (change number, time): bookkeeping for `held`, which decides nothing
        self._heard_at: dict[tuple[str, str], float] = {}
        self._pushed: dict[tuple[str, str], tuple[int, float]] = {}
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
            self._heard_at[key] = self._ctx.clock.now()
            if self._dropped_by_defect(price):
                continue
            self._pending.setdefault(price.channel, {})[price.sku] = (price, event.version)
        self._take_baskets(event)
        if (self._pending or self._pending_baskets) and not self._flush_scheduled:
            self._flush_scheduled = True
            policy = self._ctx.policy
            delay = policy.price_sync_interval_s
            if policy.price_sync_mode == "batch":
                # a batch runs on the clock's fixed grid, not from the first change
                now = self._ctx.clock.now()
                delay = (now // delay + 1) * delay - now
            self._ctx.scheduler.call_later(delay, (FLUSH_TIMER, None))

    def _take_baskets(self, event: PricesChanged) -> None:
        """The basket promotions a change started or ended, newest change number
        winning, as prices do."""
        for basket in event.baskets:
            if basket.channel not in PUSH_TARGETS:
                self._ctx.count("prices_for_unknown_channels")
                continue
            key = (basket.channel, basket.name)
            held = self.baskets.get(key)
            if held is not None and held[1] >= event.version:
                self.stale_changes_ignored += 1
                continue
            self.baskets[key] = (basket, event.version)
            if self._drop_marketplace_promotions and basket.channel == "marketplace":
                continue
            pending = self._pending_baskets.setdefault(basket.channel, {})
            pending[basket.name] = (basket, event.version)

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
        baskets, self._pending_baskets = self._pending_baskets, {}
        now = self._ctx.clock.now()
        # in the order the channels' changes came, as pushes always went
        for channel in [*pending, *[c for c in baskets if c not in pending]]:
            rows = pending.get(channel, {})
            offers = baskets.get(channel, {})
            push = price_push(rows.values(), now, offers.values())
            for target in self._targets(channel):
                self._ctx.transport.publish(target, "prices", push)
            self.pushes += 1
            for sku, (_, version) in rows.items():
                self._pushed[(channel, sku)] = (version, now)

    def _targets(self, channel: str) -> tuple[str, ...]:
        """The systems a price channel is pushed to: the marketplace channel's prices to
        every marketplace, each with its own feed."""
        if channel == "marketplace":
            return self._ctx.topology.marketplaces
        return (PUSH_TARGETS[channel],)

    def pending_changes(self) -> int:
        waiting = self._pending_baskets.values()
        return sum(len(rows) for rows in self._pending.values()) + sum(map(len, waiting))

    def held(self) -> list[HeldPrice]:
        """Every price the hub holds, with its push state, by channel then SKU: what
        the read model shows per channel (a copy; reading it changes nothing)."""
        rows = []
        for key in sorted(self.prices):
            price, version = self.prices[key]
            pushed_version, pushed_at = self._pushed.get(key, (0, None))
            rows.append(
                HeldPrice(
                    channel=key[0],
                    sku=key[1],
                    price_cents=price.price_cents,
                    list_price_cents=price.list_price_cents,
                    promotion=price.promotion,
                    version=version,
                    heard_at=self._heard_at[key],
                    pushed_version=pushed_version,
                    pushed_at=pushed_at,
                )
            )
        return rows
