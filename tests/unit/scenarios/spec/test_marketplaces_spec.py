"""Several marketplaces in a scenario file (`[[backends.marketplaces]]`): each loads
with its name, its demand and every setting a single marketplace has; one without them
is the one marketplace named "marketplace" it always was; names, demand, shares and
fault targets that make no sense are refused before anything runs, naming the field."""

from __future__ import annotations

import pytest

from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario

TWO = (
    'backends.marketplaces=[{name="ebay", share_pct=60, ack_window="10m"}, '
    '{name="amazon", orders_per_hour=12, settlement_interval="4h", token_lifetime="1h"}]'
)


def error_of(*overrides: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario("steady-day", overrides)
    return str(info.value)


def test_without_names_the_one_marketplace_is_named_marketplace() -> None:
    scenario = load_scenario("steady-day")
    (only,) = scenario.marketplaces()
    assert only.name == "marketplace"
    assert only.spec is scenario.backends.marketplace
    assert only.orders_per_hour == scenario.demand.marketplace_orders_per_hour == 25


def test_two_marketplaces_load_with_their_own_settings_and_demand() -> None:
    scenario = load_scenario("steady-day", [TWO])
    ebay, amazon = scenario.marketplaces()
    assert (ebay.name, amazon.name) == ("ebay", "amazon")
    assert ebay.orders_per_hour == 25 * 0.6 and amazon.orders_per_hour == 12
    assert ebay.spec.ack_window_s == 600 and amazon.spec.ack_window_s == 900
    assert amazon.spec.settlement_interval_s == 4 * 3600 and ebay.spec.settlement_interval_s == 0
    assert scenario.backends.token_lifetimes() == {"amazon": 3600.0}


def test_a_marketplace_s_own_demand_scales_with_the_scenario() -> None:
    scenario = load_scenario("steady-day", [TWO, "scenario.scale=0.5"])
    ebay, amazon = scenario.marketplaces()
    assert amazon.orders_per_hour == 6
    assert ebay.orders_per_hour == scenario.demand.marketplace_orders_per_hour * 0.6


@pytest.mark.parametrize(
    ("entries", "field", "fragment"),
    [
        ('[{name="ebay", share_pct=50}, {name="ebay", share_pct=50}]', "[1].name", "too"),
        ('[{name="erp", share_pct=50}]', "[0].name", "another system's name"),
        ('[{name="Big Shop", share_pct=50}]', "[0].name", "lower-case letters"),
        ("[{share_pct=50}]", "[0].name", "lower-case letters"),
        ('[{name="ebay"}]', "[0].orders_per_hour", "exactly one of"),
        ('[{name="ebay", share_pct=50, orders_per_hour=3}]', "[0].orders_per_hour", "exactly one"),
        ('[{name="a", share_pct=70}, {name="b", share_pct=40}]', ":", "add up to"),
        ('[{name="ebay", share_pct=50, ack_windw="1m"}]', "[0]", "ack_windw"),
    ],
)
def test_nonsense_marketplaces_are_refused_by_field(
    entries: str, field: str, fragment: str
) -> None:
    message = error_of(f"backends.marketplaces={entries}")
    assert f"backends.marketplaces{field}" in message
    assert fragment in message


def test_the_single_marketplace_table_beside_named_ones_is_refused() -> None:
    message = error_of(TWO, "backends.marketplace.ack_window=5m")
    assert "backends.marketplace:" in message and "its own entry" in message


def test_a_settling_named_marketplace_beside_a_tax_engine_is_refused() -> None:
    message = error_of(TWO, "backends.tax.enabled=true")
    assert "backends.marketplaces[1].settlement_interval" in message


def test_faults_name_a_marketplace_by_its_name() -> None:
    outage = 'faults=[{target="amazon", kind="outage", start="1h", duration="10m"}]'
    assert load_scenario("steady-day", [TWO, outage]).faults[0].target == "amazon"
    link = (
        'faults=[{target="link:ebay->hub", kind="duplicate", start="1h", duration="1m", rate=0.1}]'
    )
    assert load_scenario("steady-day", [TWO, link]).faults[0].target == "link:ebay->hub"


@pytest.mark.parametrize(
    ("target", "kind", "fragment"),
    [
        ("marketplace", "outage", 'unknown fault target "marketplace"'),
        ("ebya", "outage", 'did you mean "ebay"'),
        ("link:hub->amazn", "outage", 'unknown system "amazn" as DST'),
        ("ebay", "revoke", "takes no access token"),
        ("ebay", "slow", "marketplace cannot have a slow fault"),
    ],
)
def test_faults_on_marketplaces_the_estate_lacks_are_refused(
    target: str, kind: str, fragment: str
) -> None:
    fault = f'faults=[{{target="{target}", kind="{kind}", start="1h", duration="10m", rate=2}}]'
    message = error_of(TWO, fault)
    assert "faults[0]" in message and fragment in message


def test_a_token_fault_on_the_marketplace_with_a_token_is_taken() -> None:
    fault = 'faults=[{target="amazon", kind="revoke", start="1h", duration="10m"}]'
    assert load_scenario("steady-day", [TWO, fault]).faults[0].kind == "revoke"


def test_allocation_shares_name_marketplaces_the_estate_has() -> None:
    shares = 'hub.allocation.marketplaces=[{name="ebay", share_pct=40}]'
    rules = load_scenario("steady-day", [TWO, shares]).hub.allocation
    assert rules.marketplace_rule("ebay") == (40.0, 0)
    assert rules.marketplace_rule("amazon") == (100.0, 0)  # the single-marketplace rules
    message = error_of(TWO, 'hub.allocation.marketplaces=[{name="ebya", share_pct=40}]')
    assert "hub.allocation.marketplaces[0].name" in message and 'did you mean "ebay"' in message
    message = error_of(TWO, 'hub.allocation.marketplaces=[{name="ebay", share_pct=140}]')
    assert "hub.allocation.marketplaces[0].share_pct" in message
