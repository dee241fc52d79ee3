"""The tax engine of a scenario that asks for one (`backends.tax.enabled`).

Why here and not in the simulator: the engine takes its rates in its own terms (basis
points per SKU and per region); the catalogue's rates and the draw of each region's own
rate, from the run's `tax` random stream, are the twin's to turn into that. A scenario
without a tax engine draws nothing and runs exactly as before.
"""

from __future__ import annotations

import random

import simpy

from scenarios.spec.scenario import Scenario
from simulators.tax import TaxConfig, TaxEngine, draw_region_rates
from simulators.world import World


def build_tax(
    env: simpy.Environment, scenario: Scenario, world: World, rng: random.Random
) -> TaxEngine | None:
    spec = scenario.backends.tax
    if not spec.enabled:
        return None
    regions = sorted(
        {location.region for location in [*world.dcs, *world.stores]}
        | {customer.region for customer in world.customers}
    )
    config = TaxConfig(
        spec.service_time_median_s,
        spec.lost_response_rate,
        spec.rate_limit_per_s,
        draw_region_rates(rng, regions, spec.region_rate_max_pct),
        {sku.sku_id: sku.tax_rate_bp for sku in world.skus},
    )
    return TaxEngine(env, rng, config)
