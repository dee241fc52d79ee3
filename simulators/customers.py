"""What customers do after they buy: cancel, collect, return.

A few cancel within minutes of ordering. Click-and-collect customers come to the store
some hours after the "ready" message. Some return what they bought, at the channel's
return rate: web customers post it back or bring it to a store; marketplace customers
go through the marketplace; store and click-and-collect customers come to a counter.
These behaviours are what make cancellations race fulfilment, and returns of web orders
land in a store's till.
"""

from __future__ import annotations

import random
from typing import Any

import simpy

from simulators.channel import ChannelOrder
from simulators.later import Later
from simulators.marketplace import Marketplace
from simulators.pos import Pos
from simulators.rng import LogNormal
from simulators.storefront import Storefront
from simulators.world import World


class Customers:
    def __init__(
        self,
        env: simpy.Environment,
        rng: random.Random,
        world: World,
        storefront: Storefront,
        marketplace: Marketplace,
        pos: Pos,
        *,
        cancel_rate: float,
        cancel_rates: dict[str, float] | None = None,
        return_rates: dict[str, float],
        return_in_store_share: float,
        return_delay_h: float,
        collect_delay_h: float,
        more_marketplaces: tuple[Marketplace, ...] = (),
    ) -> None:
        self._env = env
        self._rng = rng
        self._world = world
        self._storefront = storefront
        self._marketplace = marketplace
        #: every marketplace, the first one first: an estate can sell through several
        self._marketplaces = (marketplace, *more_marketplaces)
        self._pos = pos
        self.cancel_rate = cancel_rate
        #: channels whose customers cancel at another rate than `cancel_rate`
        self.cancel_rates = dict(cancel_rates or {})
        self.return_rates = return_rates
        self.return_in_store_share = return_in_store_share
        self._return_delay = LogNormal(rng, return_delay_h * 3600.0, return_delay_h * 3600.0 * 4)
        self._collect_delay = LogNormal(rng, collect_delay_h * 3600.0, collect_delay_h * 3600.0 * 4)
        self.cancellations = 0
        self.returns_started = 0
        self.collections = 0
        self.active = True

    def _later(self, delay_s: float, action: Any, *args: Any) -> None:
        Later(self._env, delay_s, self._run, (action, args))

    def _run(self, event: Any) -> None:
        if not self.active:
            return
        action, args = event.value
        action(*args)

    def order(self, ref: str) -> ChannelOrder | None:
        """The channel order `ref` (a web or marketplace one), if there is one."""
        found = self._storefront.orders.get(ref) or self._marketplace.orders.get(ref)
        if found is None and len(self._marketplaces) > 1:
            found = self._marketplace_of(ref).orders.get(ref)
        return found

    def _marketplace_of(self, ref: str) -> Marketplace:
        """The marketplace that took order `ref` (the first, if none did)."""
        for marketplace in self._marketplaces:
            if ref in marketplace.orders:
                return marketplace
        return self._marketplace

    # -- after ordering ------------------------------------------------------------------

    def on_ordered(self, order: ChannelOrder) -> None:
        if self._rng.random() < self.cancel_rates.get(order.channel, self.cancel_rate):
            self._later(self._rng.uniform(60.0, 1800.0), self._cancel, order)

    def _cancel(self, order: ChannelOrder) -> None:
        self.cancellations += 1
        if order.channel == "marketplace":
            self._marketplace_of(order.ref).request_cancel(order.ref)
        else:
            self._storefront.request_cancel(order.ref)

    # -- after delivery or collection --------------------------------------------------

    def on_shipped(self, ref: str, shipped: list[tuple[str, int]]) -> None:
        order = self.order(ref)
        if order is None or self._rng.random() >= self.return_rates.get(order.channel, 0.0):
            return
        self._later(self._return_delay(), self._return, order, shipped)

    def on_ready(self, ref: str, store: str) -> None:
        self._later(self._collect_delay(), self._collect, ref)

    def _collect(self, ref: str) -> None:
        if self._pos.collect(ref):
            self.collections += 1
            pickup = self._pos.pickups[ref]
            self.on_shipped(ref, pickup.picked)

    def _return(self, order: ChannelOrder, shipped: list[tuple[str, int]]) -> None:
        sku, qty = shipped[self._rng.randrange(len(shipped))]
        self.returns_started += 1
        if order.channel == "marketplace":
            self._marketplace_of(order.ref).request_return(order.ref, [(sku, qty)])
            return
        to_store = order.channel == "click_collect" or (
            self._rng.random() < self.return_in_store_share
        )
        if not to_store:
            self._storefront.request_return(order.ref, [(sku, qty)])
            return
        line = next(line for line in order.lines if line[0] == sku)
        store = (
            order.pickup_store or self._rng.choice(self._world.stores_in(order.region)).location_id
        )
        net = line[2] * qty
        tax = line[3] * qty // line[1]
        self._pos.counter_return(
            store, order.ref, order.channel, [(sku, qty, net, tax)], refund_at_till=False
        )

    # -- store sales -----------------------------------------------------------------------

    def on_store_sale(self, store: str, txn: str, lines: list[tuple[str, int, int, int]]) -> None:
        if self._rng.random() >= self.return_rates.get("store", 0.0):
            return
        sku, qty, price, tax = lines[0]
        self._later(
            self._return_delay(),
            self._pos.counter_return,
            store,
            txn,
            "store",
            [(sku, qty, price * qty, tax)],
            True,
        )
