"""Shrinking a scenario with named marketplaces: one with demand of its own
(`orders_per_hour`) is halved (dropping `demand.marketplace_orders_per_hour` reaches only
the ones with a `share_pct`), and the result is still a scenario file that loads."""

from __future__ import annotations

from pathlib import Path

from scenarios.experiments.shrink import reductions
from scenarios.spec import round_trip
from scenarios.spec.loader import load_scenario

TWO = ('backends.marketplaces=[{name="amazon", orders_per_hour=20}, {name="ebay", share_pct=50}]',)
STEP = "half the named marketplaces' own orders"


def test_a_marketplace_with_its_own_demand_is_halved_and_the_file_still_loads(
    tmp_path: Path,
) -> None:
    scenario = load_scenario("steady-day", TWO)
    reduce = dict(reductions(scenario))[STEP]
    smaller = reduce(scenario)
    assert smaller is not None
    amazon, ebay = smaller.backends.marketplaces
    assert amazon.orders_per_hour == 10 and ebay.share_pct == 50 and ebay.orders_per_hour == 0
    path = tmp_path / "smaller.toml"
    path.write_text(round_trip.dumps(smaller), encoding="utf-8")
    assert load_scenario(str(path)).backends.marketplaces == smaller.backends.marketplaces


def test_without_named_marketplaces_the_step_does_nothing() -> None:
    scenario = load_scenario("steady-day")
    assert dict(reductions(scenario))[STEP](scenario) is None
