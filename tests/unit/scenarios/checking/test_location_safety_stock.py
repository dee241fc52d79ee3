"""Safety stock per location (`hub.allocation.locations`): the hub's book holds each
named location's own units back (an id's own entry over its kind's), the checker's
rebuilt available-to-sell holds back the same, a run with them passes, and a hub that
ignores them fails `convergence`, in-process and judged from ground truth alike."""

from __future__ import annotations

from functools import cache

import pytest

from hub.model.allocation import safety_stock_by_location
from hub.model.inventory import InventoryPosition
from hub.policy import AllocationPolicy, LocationSafetyStock
from scenarios.checking.ground_stock import SellableStock
from scenarios.checking.judging import JudgedFrom
from scenarios.checking.verdict import Verdict, judge
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run

RULES = (
    "scenario.scale=0.1",
    "hub.safety_stock=1",
    'hub.allocation.locations=[{location="stores", units=0}, {location="ST-0001", units=2},'
    ' {location="dcs", units=3}]',
)


@cache
def located(defect: bool) -> tuple[RunResult, Verdict, Verdict]:
    """The run, judged in-process and from ground truth."""
    overrides = (*RULES, 'hub.defects=["ignore_allocation"]') if defect else RULES
    result = run(load_scenario("steady-day", overrides))
    ground = judge(result, "steady-day", overrides, judged_from=JudgedFrom.GROUND_TRUTH)
    return result, judge(result, "steady-day", overrides), ground


def _broken(verdict: Verdict) -> set[str]:
    return {str(c.name) for c in verdict.invariants if not c.passed}


def test_an_id_wins_over_its_kind_and_unnamed_locations_keep_the_default() -> None:
    rules = AllocationPolicy(
        locations=(
            LocationSafetyStock("DC-B", 5),
            LocationSafetyStock("dcs", 2),
            LocationSafetyStock("stores", 1),
        )
    )
    held = safety_stock_by_location(rules, ["DC-A", "DC-B"], ["ST-1"])
    assert held == {"DC-A": 2, "DC-B": 5, "ST-1": 1}
    assert safety_stock_by_location(AllocationPolicy(), ["DC-A"], ["ST-1"]) == {}


def test_the_book_and_the_checker_hold_back_each_locations_own() -> None:
    result, verdict, ground = located(defect=False)
    assert verdict.passed, _broken(verdict)
    assert ground.passed, _broken(ground)
    book = result.estate.hub.ctx.inventory
    sellable = SellableStock(result)
    by_location: dict[str, set[int]] = {}
    for position in book.positions():
        by_location.setdefault(position.location, set()).add(position.safety_stock)
        assert sellable.safety_at(position.location) == position.safety_stock
    dcs = [dc.location_id for dc in result.estate.world.dcs]
    assert all(by_location[dc] == {3} for dc in dcs)
    assert by_location["ST-0001"] == {2}
    assert by_location["ST-0002"] == {0}


def test_a_hub_that_ignores_them_fails_convergence() -> None:
    _, verdict, ground = located(defect=True)
    assert "convergence" in _broken(verdict)
    assert "convergence" in _broken(ground)


def test_a_location_the_world_does_not_have_is_refused_before_the_run() -> None:
    scenario = load_scenario(
        "steady-day",
        ("scenario.scale=0.05", 'hub.allocation.locations=[{location="ST-0099", units=1}]'),
    )
    with pytest.raises(ScenarioError, match=r"locations\[0\]\.location.*ST-0099"):
        run(scenario)


def test_safety_stock_is_held_back_from_offers_not_from_accepted_orders() -> None:
    position = InventoryPosition("SKU", "DC-A", on_hand=3, reserved=1, safety_stock=2)
    assert position.available == 0  # nothing more is offered
    assert position.fillable == 2  # but an order a channel took may have the shelf's two


#: a day whose feeds lag enough that orders arrive for the last units
LAGGING_DAY = (
    "scenario.scale=0.5",
    "scenario.duration=12h",
    "hub.allocation.web_safety_stock=1",
    "hub.allocation.marketplace_share_pct=50",
)


@pytest.mark.parametrize(
    "rule", ["hub.safety_stock=2", 'hub.allocation.locations=[{location="dcs", units=2}]']
)
def test_more_safety_stock_never_means_more_oversold(rule: str) -> None:
    oversold = []
    for overrides in (LAGGING_DAY, (*LAGGING_DAY, rule)):
        result = run(load_scenario("steady-day", overrides))
        verdict = judge(result, "steady-day", overrides)
        assert verdict.passed, _broken(verdict)
        oversold.append(verdict.metrics["oversell"]["oversold_units"])
    assert oversold[1] <= oversold[0]
