"""The library's new mechanisms draw only from the scenario seed's named streams: a
cutover, a slow and declining gateway, a metered marketplace, a click-and-collect flash
sale and a marketplace cancel rate give the same digest twice, and another seed gives
another one."""

from __future__ import annotations

from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True

MIXED = (
    "scenario.scale=0.2",
    "scenario.duration=14h",
    "backends.erp.mode=legacy_batch",
    "backends.marketplace.rate_limit_per_s=0.5",
    "demand.cancel_rate_marketplace=0.2",
    'cutovers=[{at="9h",mode="api"}]',
    'demand.flash_sales=[{start="10h",end="12h",hot_skus=5,multiplier=6.0,'
    'channels=["click_collect","marketplace"]}]',
    'faults=[{target="payment",kind="slow",start="10h",duration="1h",rate=80},'
    '{target="payment",kind="decline",start="10h",duration="2h",rate=0.3},'
    '{target="payment",kind="expire",start="8h",duration="2h",rate=1800}]',
)


def _digest(seed: int) -> str:
    return run(load_scenario("steady-day", MIXED, seed)).seal.digest


def test_new_mechanisms_are_deterministic() -> None:
    assert _digest(5) == _digest(5)
    assert _digest(5) != _digest(6)
