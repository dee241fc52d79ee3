"""A scenario written as TOML (shrink) or recorded in report.json (replay) comes back
as the same Scenario through the loader."""

from __future__ import annotations

import dataclasses
import tomllib

import pytest

from scenarios.spec import round_trip
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario, scenario_from_dict, scenario_to_dict
from scenarios.spec.shipped import shipped_names

OVERRIDES = (
    "scenario.scale=0.05",
    "hub.sync=batch:15m",
    'hub.defects=["stale_feed"]',
    "sla.order_to_erp_p95=none",
    "hub.call_timeout=0.3",
    "network.latency_p95=0.123",
    "hub.price_sync=batch:1h",
    "pricing.changes_per_hour=2",
    'pricing.promotions=[{name="DOORBUSTER", start="0h", end="2h", hot_skus=20, off_pct=30, '
    'channels=["web", "stores"]}]',
    "sla.stale_price_orders_pct_max=5",
)


@pytest.mark.parametrize("overrides", [(), OVERRIDES], ids=["as shipped", "overridden"])
@pytest.mark.parametrize("name", shipped_names())
def test_round_trips(name: str, overrides: tuple[str, ...]) -> None:
    scenario = load_scenario(name, overrides)
    text = round_trip.dumps(scenario, "a comment\nover two lines")
    assert text.startswith("# a comment\n# over two lines\n")
    # written at scale 1: the sizes in the file are the sizes that run
    assert scenario_from_dict(tomllib.loads(text)) == dataclasses.replace(scenario, scale=1.0)
    assert round_trip.from_spec(scenario_to_dict(scenario)) == scenario


def test_written_durations_read_as_people_write_them() -> None:
    text = round_trip.dumps(load_scenario("erp-outage"))
    assert 'duration = "1d"' in text and 'start = "12h15m"' in text
    assert 'sync = "event:2s"' in text


def test_a_bad_spec_is_a_scenario_error_naming_the_field() -> None:
    plain = scenario_to_dict(load_scenario("steady-day"))
    plain["world"]["skus"] = -3
    with pytest.raises(ScenarioError, match=r"world\.skus"):
        round_trip.from_spec(plain, "report.json: scenario_spec")
    del plain["seed"]
    with pytest.raises(ScenarioError, match="missing key 'seed'"):
        round_trip.from_spec(plain)
