"""The pricing source's day, from the scenario: which SKUs each promotion covers, and
the list-price changes the pricing team makes at random through the day.

Why here and not in the simulator: the source takes a plan in its own terms (SKU ids,
times, prices); turning a scenario's "the 20 hottest SKUs" and "six changes an hour"
into that plan is the twin's job, from its own named random stream, so a scenario
without pricing draws nothing and runs exactly as before.
"""

from __future__ import annotations

import random

import simpy

from scenarios.spec.scenario import Scenario
from simulators.pricing import BasketPromotion, ListPriceChange, PricingSource, Promotion
from simulators.types import Emit
from simulators.world import World


def promotions(scenario: Scenario, world: World) -> tuple[Promotion, ...]:
    """Each promotion over the world's most popular SKUs (the catalogue is by rank)."""
    return tuple(
        Promotion(
            spec.name,
            spec.start_s,
            spec.end_s,
            tuple(sku.sku_id for sku in world.skus[: spec.hot_skus]),
            spec.off_pct,
            spec.channels,
        )
        for spec in scenario.pricing.promotions
    )


def basket_promotions(scenario: Scenario) -> tuple[BasketPromotion, ...]:
    """Each basket promotion, its threshold in cents."""
    return tuple(
        BasketPromotion(
            spec.name,
            spec.start_s,
            spec.end_s,
            round(spec.min_basket * 100),
            spec.off_pct,
            spec.channels,
        )
        for spec in scenario.pricing.basket_promotions
    )


def list_price_changes(
    scenario: Scenario, world: World, rng: random.Random
) -> tuple[ListPriceChange, ...]:
    """A Poisson stream of list-price changes over the trading day: each a random SKU,
    moved by up to `change_max_pct` either way."""
    spec = scenario.pricing
    if spec.changes_per_hour <= 0:
        return ()
    changes = []
    prices = {sku.sku_id: sku.price_cents for sku in world.skus}
    at = rng.expovariate(spec.changes_per_hour / 3600.0)
    while at < scenario.duration_s:
        sku = world.skus[int(rng.random() * len(world.skus))].sku_id
        factor = 1.0 + rng.uniform(-spec.change_max_pct, spec.change_max_pct) / 100.0
        prices[sku] = max(1, round(prices[sku] * factor))
        changes.append(ListPriceChange(at, sku, prices[sku]))
        at += rng.expovariate(spec.changes_per_hour / 3600.0)
    return tuple(changes)


def build_pricing(
    env: simpy.Environment, scenario: Scenario, world: World, rng: random.Random, send: Emit
) -> PricingSource:
    return PricingSource(
        env,
        {sku.sku_id: sku.price_cents for sku in world.skus},
        promotions(scenario, world),
        list_price_changes(scenario, world, rng),
        send,
        basket_promotions(scenario),
    )


def priced_skus(source: PricingSource) -> frozenset[str]:
    """Every SKU whose price the day's plan moves: the ones whose sales the checker
    holds against the source."""
    skus = {sku for promotion in source.promotions for sku in promotion.skus}
    skus.update(change.sku for change in source.changes)
    return frozenset(skus)
