"""`scenario.scale`: rates and the world grow or shrink together, never below their floors."""

from __future__ import annotations

import dataclasses

from scenarios.spec.loader import (
    scaled,
    scenario_from_dict,
)
from scenarios.spec.scaling import orders_scaled
from scenarios.spec.scenario import (
    DemandSpec,
    Scenario,
)


def _scaled_raw(scale: float, **world: int) -> Scenario:
    return scenario_from_dict(
        {
            "scenario": {"name": "n", "description": "d", "scale": scale},
            "world": world,
            "demand": {
                "flash_sales": [
                    {"start": "1h", "end": "2h", "hot_skus": 30, "multiplier": 4},
                ]
            },
        }
    )


def test_scale_multiplies_rates_and_world() -> None:
    scenario = _scaled_raw(0.5, skus=400, stores=12, dcs=3, customers=5000)
    demand = DemandSpec()
    assert scenario.scale == 0.5
    assert scenario.demand.web_orders_per_hour == demand.web_orders_per_hour * 0.5
    assert scenario.demand.marketplace_orders_per_hour == demand.marketplace_orders_per_hour * 0.5
    assert scenario.demand.click_collect_orders_per_hour == (
        demand.click_collect_orders_per_hour * 0.5
    )
    assert scenario.demand.store_sales_per_hour == demand.store_sales_per_hour * 0.5
    assert (scenario.world.skus, scenario.world.stores, scenario.world.customers) == (200, 6, 2500)
    assert scenario.world.dcs == 3
    assert scenario.demand.flash_sales[0].hot_skus == 15


def test_scale_keeps_floors() -> None:
    scenario = _scaled_raw(0.01, skus=400, stores=12, customers=5000)
    assert (scenario.world.skus, scenario.world.stores, scenario.world.customers) == (20, 2, 50)
    assert scenario.demand.flash_sales[0].hot_skus == 1


def test_scale_never_grows_a_small_world() -> None:
    scenario = _scaled_raw(0.5, skus=30, stores=1, customers=40)
    assert (scenario.world.skus, scenario.world.stores, scenario.world.customers) == (20, 1, 40)


def test_scale_one_is_identity() -> None:
    scenario = Scenario(name="n", description="d")
    assert scaled(scenario) is scenario


def test_scale_up() -> None:
    scenario = _scaled_raw(2.0)
    assert scenario.world.skus == 800
    assert scenario.demand.web_orders_per_hour == 120.0


def test_orders_alone_grow_on_the_same_estate() -> None:
    """`orders_scaled`: the busier day of the same retailer, the measure `make bench`
    doubles beside `scale` (which grows the SKUs and stores too)."""
    base = _scaled_raw(1.0, skus=400, stores=12, dcs=3, customers=5000)
    busier = orders_scaled(base, 2.0)
    assert busier.world == base.world and busier.pricing == base.pricing
    assert busier.demand.flash_sales == base.demand.flash_sales
    for name in ("web", "marketplace", "click_collect"):
        field = f"{name}_orders_per_hour"
        assert getattr(busier.demand, field) == 2 * getattr(base.demand, field)
    assert busier.demand.store_sales_per_hour == 2 * base.demand.store_sales_per_hour
    assert orders_scaled(base, 1.0) is base


def test_scale_multiplies_the_orders_as_orders_scaled_does() -> None:
    """One rule for what 'the orders' are: `scale` takes its rates from `orders_scaled`."""
    unscaled = _scaled_raw(1.0, skus=400, stores=12)
    assert _scaled_raw(0.3, skus=400, stores=12).demand == dataclasses.replace(
        orders_scaled(unscaled, 0.3).demand,
        flash_sales=_scaled_raw(0.3, skus=400, stores=12).demand.flash_sales,
    )
