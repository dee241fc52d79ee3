"""[hub.sourcing] in a scenario file: the defaults source as the hub always did, the keys
load, and a split with nowhere to send a part, or an unknown strategy, is refused by
name before anything runs."""

from __future__ import annotations

import pytest

from hub.policy import SourcingPolicy
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario


def test_the_defaults_are_one_dc_the_fullest_and_the_keys_load() -> None:
    assert load_scenario("steady-day").hub.sourcing == SourcingPolicy("fullest", split=False)
    loaded = load_scenario(
        "black-friday", ["hub.sourcing.strategy=nearest", "hub.sourcing.split=true"]
    )
    assert loaded.hub.sourcing == SourcingPolicy("nearest", split=True)


def test_a_split_with_one_dc_is_refused_by_name() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("steady-day", ["hub.sourcing.split=true", "world.dcs=1"])
    assert "hub.sourcing.split" in str(info.value)
    assert "two DCs or more" in str(info.value)


def test_an_unknown_strategy_is_refused_with_the_choices() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("steady-day", ["hub.sourcing.strategy=closest"])
    assert "hub.sourcing.strategy" in str(info.value)
    assert "fullest, nearest" in str(info.value)
