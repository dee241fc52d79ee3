"""Two marketplaces on a small steady day (scenarios.experiments.defect_controls'
TWO_MARKETPLACES_DAY): each its own system for the hub, with its own acknowledgement
window, settlement desk, share of the stock and lane. The second one's seller API is
down for 20 minutes; its acknowledgements wait, the first one's do not. The default
hub passes and the report shows each marketplace's figures; a hub that acknowledges
every marketplace's orders at the first fails the acknowledgement SLA with two
marketplaces and passes with one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hub.model.order import Channel
from scenarios.checking.marketplace_figures import marketplaces_line
from scenarios.checking.verdict import Verdict, judge
from scenarios.experiments.defect_controls import TWO_MARKETPLACES_DAY
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True

DEFECT = 'hub.defects=["ack_first_marketplace_only"]'
#: the same small day with its one marketplace
ONE_MARKETPLACE = ("scenario.scale=0.2", "scenario.duration=12h")


@cache
def day(*extra: str, world: tuple[str, ...] = TWO_MARKETPLACES_DAY) -> tuple[RunResult, Verdict]:
    overrides = (*world, *extra)
    result = run(load_scenario("steady-day", overrides))
    return result, judge(result, "steady-day", overrides)


def acks() -> dict[str, Any]:
    found: dict[str, Any] = day()[1].metrics["marketplace_ack"]
    return found


def test_the_default_hub_passes_with_two_marketplaces() -> None:
    verdict = day()[1]
    assert verdict.passed, [c.detail for c in verdict.invariants if not c.passed] + [
        s.name for s in verdict.sla if not s.passed
    ]
    names = {c.name for c in verdict.invariants}
    assert {"no_lost_order", "exactly_once", "money_balances", "convergence"} <= names


def test_each_marketplace_sells_and_is_acknowledged_in_its_own_window() -> None:
    result = day()[0]
    ebay, amazon = result.estate.marketplaces
    assert (ebay.system, amazon.system) == ("ebay", "amazon")
    assert (ebay.ack_window_s, amazon.ack_window_s) == (600.0, 1800.0)
    assert len(ebay.orders) > 20 and len(amazon.orders) > 10
    assert all(ref.startswith("MP-EBAY-") for ref in ebay.orders)
    each = acks()["by_marketplace"]
    assert each["ebay"]["orders"] == len(ebay.orders)
    assert each["amazon"]["orders"] == len(amazon.orders)
    assert each["ebay"]["within_window_pct"] == each["amazon"]["within_window_pct"] == 100.0
    # the second's API was down for 20 minutes: its acknowledgements waited, within its
    # 30-minute window; the first's lane was not held by the other's outage
    assert each["amazon"]["ack_delay_s"]["max"] > 300
    assert each["ebay"]["ack_delay_s"]["max"] < 60


def test_the_hub_keeps_which_marketplace_each_order_came_from() -> None:
    result = day()[0]
    hub = result.estate.hub
    ours = [o for o in hub.ctx.orders.values() if o.channel == Channel.MARKETPLACE]
    by_name = {o.channel_order_id: o.marketplace for o in ours}
    for marketplace in result.estate.marketplaces:
        assert {by_name[ref] for ref in marketplace.orders} == {marketplace.system}
    assert {"ebay", "amazon"} <= set(hub.ctx.calls.systems())
    # the outage opened the second one's breaker only
    assert hub.ctx.calls.breaker_opens("amazon") > 0 == hub.ctx.calls.breaker_opens("ebay")


def test_each_marketplace_settles_and_every_payout_is_booked() -> None:
    result, verdict = day()
    figures = verdict.metrics["settlement"]
    each = figures["by_marketplace"]
    for name in ("ebay", "amazon"):
        assert each[name]["payouts_booked"] == each[name]["payouts_reported"] >= 2
        assert each[name]["unreconciled_lines"] == 0 and each[name]["fees_cents"] > 0
    assert figures["payouts_booked"] == each["ebay"]["payouts"] + each["amazon"]["payouts"]
    ids = set(result.estate.erp.settlements)
    assert any(i.startswith("STL-EBAY-") for i in ids)
    assert any(i.startswith("STL-AMAZON-") for i in ids)


def test_each_marketplace_is_offered_its_own_share() -> None:
    result = day()[0]
    ebay, amazon = result.estate.marketplaces
    web = result.estate.storefront
    skus = [s.sku_id for s in result.estate.world.skus if web.ship_view.get(s.sku_id, 0) >= 20]
    assert skus
    for sku in skus:
        shown = web.ship_view[sku]
        assert ebay.ship_view[sku] == shown * 50 // 100
        assert amazon.ship_view[sku] == shown * 30 // 100
    oversell = day()[1].metrics["oversell"]
    assert set(oversell["by_marketplace"]) == {"ebay", "amazon"}
    assert "marketplace" in oversell["by_channel"]


def test_acknowledging_at_the_first_marketplace_fails_with_two_and_passes_with_one() -> None:
    verdict = day(DEFECT)[1]
    failed = {s.name for s in verdict.sla if not s.passed}
    assert "marketplace_ack_within_window_pct" in failed
    each = verdict.metrics["marketplace_ack"]["by_marketplace"]
    assert each["ebay"]["within_window_pct"] == 100.0
    assert each["amazon"]["within_window_pct"] < 50
    assert verdict.metrics["marketplace_ack"]["within_window_pct"] < 50  # the worst one
    one = day(DEFECT, world=ONE_MARKETPLACE)[1]
    assert one.passed


def test_the_summary_gives_each_marketplace_a_line_and_one_marketplace_none() -> None:
    line = marketplaces_line(day()[1].metrics)
    assert line is not None
    ebay, amazon = line.split("; ")
    assert ebay.startswith("ebay: ") and "% acknowledged in its window" in ebay
    assert amazon.startswith("amazon: ") and "payouts booked of" in amazon
    assert marketplaces_line(day(world=ONE_MARKETPLACE)[1].metrics) is None
