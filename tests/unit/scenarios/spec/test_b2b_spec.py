"""A B2B portal in a scenario: off unless asked for, its ranges low to high, scaled with
the run, and refused beside what the twin does not model with it yet."""

from __future__ import annotations

import pytest

from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario

ON = "backends.b2b.enabled=true"


def test_the_portal_is_off_by_default_and_scales_with_the_run() -> None:
    assert not load_scenario("steady-day").backends.b2b.enabled
    b2b = load_scenario("steady-day", [ON, "scenario.scale=0.5"]).backends.b2b
    assert (b2b.orders_per_hour, b2b.accounts) == (2.0, 10)
    assert (b2b.lines_per_order, b2b.units_per_line, b2b.net_days) == ((10, 80), (5, 50), 30)
    assert load_scenario("steady-day", [ON, "scenario.scale=0.01"]).backends.b2b.accounts == 3


@pytest.mark.parametrize(
    ("override", "field", "words"),
    [
        ("backends.b2b.lines_per_order=[40, 10]", "lines_per_order", "low <= high"),
        ("backends.b2b.units_per_line=[0, 10]", "units_per_line", "at least 1"),
        ("backends.b2b.late_payment_rate=1.5", "late_payment_rate", "probability"),
        ("backends.b2b.accounts=0", "accounts", "greater than 0"),
        ("backends.tax.enabled=true", "enabled", "tax"),
        ("backends.fraud.enabled=true", "enabled", "fraud"),
    ],
)
def test_bad_portal_settings_are_refused_by_name(override: str, field: str, words: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("steady-day", [ON, override])
    assert f"backends.b2b.{field}" in str(info.value)
    assert words in str(info.value)
