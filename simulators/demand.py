"""Demand: when customers arrive, on which channel, and what they want.

Arrivals are Poisson with a rate that is piecewise constant: the scenario's baseline per
channel, times the hour-of-day profile, times any peak window. A flash sale adds an
extra stream of orders for its hot SKUs on its channels, so the hottest SKUs see demand
multiplied while the rest of the catalogue does not. Because Poisson arrivals are
memoryless, redrawing the gap at each rate change is exact, not an approximation.

Baskets draw SKUs by Zipf popularity (store sales from the store's own range); most
lines are for one unit.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from math import log
from typing import Any

import simpy

from simulators.customers import Customers
from simulators.demand_profile import DemandProfile
from simulators.later import now_of
from simulators.marketplace import Marketplace
from simulators.pos import Pos
from simulators.storefront import Storefront
from simulators.world import Popularity, Sku, World


def arrivals(
    env: simpy.Environment,
    profile: DemandProfile,
    rng: random.Random,
    start_s: float,
    on_arrival: Callable[[], None],
) -> Generator[Any, Any, None]:
    """A non-homogeneous Poisson arrival process; a SimPy process."""
    if start_s > now_of(env):
        yield env.timeout(start_s - now_of(env))
    end = profile.end_s
    draw = rng.random
    rate, change = 0.0, -1.0
    while (now := now_of(env)) < end:
        if now >= change:  # the rate is constant until the next change: look it up once
            rate = profile.rate(now)
            change = profile.next_change(now)
        # `rng.expovariate(rate)`, written out as Python 3.11 computes it: the same draw,
        # bit for bit, without a call into the interpreted `random` module per arrival
        gap = -log(1.0 - draw()) / rate if rate > 0 else float("inf")
        if now + gap >= change:
            yield env.timeout(change - now)
            continue
        yield env.timeout(gap)
        on_arrival()


class Demand:
    def __init__(
        self,
        env: simpy.Environment,
        rng: random.Random,
        world: World,
        storefront: Storefront,
        marketplace: Marketplace,
        pos: Pos,
        customers: Customers,
        basket_lines_mean: float,
    ) -> None:
        self._env = env
        self._rng = rng
        self._world = world
        self._storefront = storefront
        self._marketplace = marketplace
        self._pos = pos
        self._customers = customers
        self._extra_line_p = 1.0 - 1.0 / max(1.0, basket_lines_mean)
        self._stores_by_region = {
            region: world.stores_in(region) for region in {c.region for c in world.customers}
        }

    # -- baskets -------------------------------------------------------------------------

    def _quantity(self) -> int:
        draw = self._rng.random()
        return 1 if draw < 0.85 else 2 if draw < 0.97 else 3

    def _basket(self, popularity: Popularity) -> list[tuple[Sku, int]]:
        skus = self._world.skus
        chosen = {popularity.draw(self._rng)}
        while self._rng.random() < self._extra_line_p and len(chosen) < 8:
            chosen.add(popularity.draw(self._rng))
        return [(skus[i], self._quantity()) for i in sorted(chosen)]

    def _customer(self) -> tuple[str, str]:
        customers = self._world.customers
        # int(random() * n), not randrange: the same uniform pick at a fraction of the cost
        return customers.id_and_region(int(self._rng.random() * len(customers)))

    # -- arrivals ------------------------------------------------------------------------

    def web_order(self) -> None:
        customer_id, region = self._customer()
        order = self._storefront.place(customer_id, region, self._basket(self._world.popularity))
        if order is not None:
            self._customers.on_ordered(order)

    def click_collect_order(self) -> None:
        customer_id, region = self._customer()
        stores = self._stores_by_region[region]
        store = stores[int(self._rng.random() * len(stores))].location_id
        basket = self._basket(self._world.store_ranges[store])
        order = self._storefront.place(customer_id, region, basket, pickup_store=store)
        if order is not None:
            self._customers.on_ordered(order)

    def marketplace_order(self) -> None:
        self._marketplace_order(self._marketplace)

    def marketplace_order_at(self, marketplace: Marketplace) -> Callable[[], None]:
        """Arrivals at one of several marketplaces."""
        return lambda: self._marketplace_order(marketplace)

    def _marketplace_order(self, marketplace: Marketplace) -> None:
        customer_id, region = self._customer()
        order = marketplace.place(customer_id, region, self._basket(self._world.popularity))
        if order is not None:
            self._customers.on_ordered(order)

    def store_sale(self) -> None:
        stores = self._world.stores
        store = stores[int(self._rng.random() * len(stores))].location_id
        book = self._pos.prices.books[store]
        lines = []
        for sku, qty in self._basket(self._world.store_ranges[store]):
            price = book.price(sku.sku_id, sku.price_cents)
            lines.append((sku.sku_id, qty, price, sku.tax_cents(qty, price)))
        txn = self._pos.walk_in_sale(store, lines)
        if txn is not None:
            self._customers.on_store_sale(store, txn, lines)

    def flash_order(
        self, channel: str, hot: Popularity, marketplace: Marketplace | None = None
    ) -> Callable[[], None]:
        """An order from a flash sale's extra stream: one hot SKU, shipped home, or
        collected from a store in the customer's region (if that store's view shows it);
        a marketplace's at `marketplace` (by default the first)."""
        at = marketplace or self._marketplace

        def arrive() -> None:
            customer_id, region = self._customer()
            wanted = [(self._world.skus[hot.draw(self._rng)], self._quantity())]
            if channel == "marketplace":
                order = at.place(customer_id, region, wanted)
            elif channel == "click_collect":
                stores = self._stores_by_region[region]
                store = stores[int(self._rng.random() * len(stores))].location_id
                order = self._storefront.place(customer_id, region, wanted, pickup_store=store)
            else:
                order = self._storefront.place(customer_id, region, wanted)
            if order is not None:
                self._customers.on_ordered(order)

        return arrive
