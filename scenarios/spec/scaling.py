"""Shrink or grow a scenario by its `scenario.scale`.

Why this module exists: the same scenario file serves a CI run in seconds and a
full-size run in minutes. `scale` multiplies demand and the world's size together, so a
scaled-down Black Friday still has its shape (peaks, flash sales, faults and their
timing are unchanged) with fewer orders. Floors keep a small run meaningful: a world of
three SKUs or one store would turn contention and store routing into edge cases.
"""

from __future__ import annotations

import dataclasses

from scenarios.spec.scenario import Scenario

__all__ = ["orders_scaled", "scaled"]

#: minimum world sizes `scaled` keeps (unless the unscaled world is already smaller)
_SCALE_FLOORS = {"skus": 20, "stores": 2, "customers": 50}


def scaled(scenario: Scenario) -> Scenario:
    """Shrink or grow the scenario by its `scale`: demand rates, world size, flash
    sales' and promotions' hot SKUs, the pricing source's rate of list-price changes and
    the B2B portal's orders and accounts (at least 3), named marketplaces' orders.
    `scale` itself is kept, so this must be applied once (load_scenario does). Floors:
    skus 20, stores 2, customers 50 (or the unscaled size if smaller), hot_skus 1; dcs
    are never scaled."""
    factor = scenario.scale
    if factor == 1:
        return scenario
    world = scenario.world
    sizes = {
        name: max(min(getattr(world, name), floor), round(getattr(world, name) * factor))
        for name, floor in _SCALE_FLOORS.items()
    }
    world = dataclasses.replace(world, **sizes)
    scenario = orders_scaled(scenario, factor)
    demand = scenario.demand
    sales = tuple(
        dataclasses.replace(sale, hot_skus=min(world.skus, max(1, round(sale.hot_skus * factor))))
        for sale in demand.flash_sales
    )
    demand = dataclasses.replace(demand, flash_sales=sales)
    pricing = scenario.pricing
    promotions = tuple(
        dataclasses.replace(promo, hot_skus=min(world.skus, max(1, round(promo.hot_skus * factor))))
        for promo in pricing.promotions
    )
    pricing = dataclasses.replace(
        pricing, promotions=promotions, changes_per_hour=pricing.changes_per_hour * factor
    )
    backends = scenario.backends
    if backends.b2b.enabled:  # a company's accounts scale as the world does (at least 3)
        b2b = backends.b2b
        b2b = dataclasses.replace(
            b2b, accounts=max(min(b2b.accounts, 3), round(b2b.accounts * factor))
        )
        backends = dataclasses.replace(backends, b2b=b2b)
    return dataclasses.replace(
        scenario, world=world, demand=demand, pricing=pricing, backends=backends
    )


def orders_scaled(scenario: Scenario, factor: float) -> Scenario:
    """The same estate taking `factor` times the orders: every channel's demand rate,
    the B2B portal's and each named marketplace's orders per hour; the catalogue, the
    stores, the customers and the price changes stay as they are.

    `scaled` applies it as part of `scale`, which grows the estate with the orders:
    doubling `scale` doubles the SKUs and the stores too, so the stock positions the
    hub and the systems keep (SKUs by locations) grow about 3.4x for twice the orders.
    A busier day for the same retailer is this alone; `make bench` measures both
    (`benchmarks/doubling.py`)."""
    if factor == 1:
        return scenario
    demand = scenario.demand
    rates = {
        f.name: getattr(demand, f.name) * factor
        for f in dataclasses.fields(demand)
        if f.name.endswith("_per_hour")
    }
    demand = dataclasses.replace(demand, **rates)
    backends = scenario.backends
    if backends.b2b.enabled:  # a company's orders scale as the other channels' do
        b2b = dataclasses.replace(
            backends.b2b, orders_per_hour=backends.b2b.orders_per_hour * factor
        )
        backends = dataclasses.replace(backends, b2b=b2b)
    if backends.marketplaces:  # a marketplace's own demand scales too (shares follow theirs)
        named = tuple(
            dataclasses.replace(entry, orders_per_hour=entry.orders_per_hour * factor)
            for entry in backends.marketplaces
        )
        backends = dataclasses.replace(backends, marketplaces=named)
    return dataclasses.replace(scenario, demand=demand, backends=backends)
