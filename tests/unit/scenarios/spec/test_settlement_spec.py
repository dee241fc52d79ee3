"""A settling marketplace in a scenario file: its keys load in their units, and what the
twin does not model yet beside it is refused before anything runs."""

from __future__ import annotations

import pytest

from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario


def test_the_settlement_keys_load_in_their_units() -> None:
    marketplace = load_scenario("marketplace-settlement").backends.marketplace
    assert marketplace.settlement_interval_s == 6 * 3600
    assert marketplace.settlement_report_delay_s == 45 * 60
    assert (marketplace.commission_pct, marketplace.settlement_error_rate) == (15.0, 0.02)
    assert load_scenario("steady-day").backends.marketplace.settlement_interval_s == 0


def test_a_settling_marketplace_beside_a_tax_engine_is_refused_by_name() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("marketplace-settlement", ["backends.tax.enabled=true"])
    assert "backends.marketplace.settlement_interval" in str(info.value)
    assert "tax engine" in str(info.value)


def test_a_short_payment_rate_above_one_is_refused() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("steady-day", ["backends.marketplace.settlement_error_rate=1.5"])
    assert "probability between 0 and 1" in str(info.value)
