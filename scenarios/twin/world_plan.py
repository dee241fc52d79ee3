"""The world a scenario trades in, sized from the demand it plans for.

Why a module of its own: opening stock is set from the day's expected demand (cover
days of it), which reads the scenario's demand profile and peaks; the estate only
needs the world that comes out.
"""

from __future__ import annotations

from hub.policy import EVERY_DC, EVERY_STORE
from scenarios.spec.load_errors import choice_error
from scenarios.spec.scenario import Scenario
from scenarios.twin.partner_plan import add_partners
from simulators.rng import Streams
from simulators.world import World, build_world

#: units per order line, on average (baskets mostly hold one of each SKU)
UNITS_PER_LINE = 1.18


def expected_daily_units(scenario: Scenario) -> tuple[float, float]:
    """Units a day of this scenario's demand will ask for, peaks included, so opening
    stock is sized to the day the retailer planned for (cover days of it): (channel
    units, store units)."""
    d = scenario.demand
    day_weight = 0.0
    for hour, weight in enumerate(d.hourly_profile):
        middle = hour * 3600.0 + 1800.0
        for peak in d.peaks:
            if peak.start_s <= middle < peak.end_s:
                weight *= peak.multiplier
        day_weight += weight
    channel = (d.web_orders_per_hour + d.marketplace_orders_per_hour) * day_weight
    store = d.store_sales_per_hour * day_weight
    return (
        channel * d.basket_lines_mean * UNITS_PER_LINE,
        store * d.basket_lines_mean * UNITS_PER_LINE,
    )


def build_scenario_world(scenario: Scenario, streams: Streams) -> World:
    spec, demand = scenario.world, scenario.demand
    channel_units, store_units = expected_daily_units(scenario)
    world = build_world(
        streams.get("world"),
        scenario.seed,
        skus=spec.skus,
        stores=spec.stores,
        dcs=spec.dcs,
        customers=spec.customers,
        regions=spec.regions,
        store_range=spec.store_range,
        zipf_s=demand.zipf_s,
        daily_channel_units=channel_units,
        daily_store_units=store_units,
        dc_cover_days=spec.dc_cover_days,
        store_stock_mean=spec.store_stock_mean,
    )
    add_partners(scenario, world, streams)
    check_named_locations(scenario, world)
    return world


def check_named_locations(scenario: Scenario, world: World) -> None:
    """Refuse, before anything runs, a per-location safety stock for a location this
    world does not have (the stores are numbered after scaling: a reduced run has
    fewer), naming the field and the locations it could name."""
    dcs = [dc.location_id for dc in world.dcs]
    stores = [store.location_id for store in world.stores]
    known = {EVERY_DC, EVERY_STORE, *dcs, *stores}
    for i, rule in enumerate(scenario.hub.allocation.locations):
        if rule.location not in known:
            first, last = (stores[0], stores[-1]) if stores else ("", "")
            choices = [EVERY_DC, EVERY_STORE, *dcs, f"{first}..{last}"]
            raise choice_error(
                f"hub.allocation.locations[{i}].location", "location", rule.location, choices
            )
