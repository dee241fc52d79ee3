"""Prices and promotions judged from ground truth on promotion-launch (a quarter of its
scale): event-driven price sync against a quarter-hourly price file over three seeds,
the marketplace's slow price feed, the stores that open offline, and the money at
stake both ways. The seeded defect that keeps promotions from the marketplace is a
defect control (tests/e2e/test_defect_controls.py)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from scenarios.checking import prices
from scenarios.checking.verdict import Verdict, judge
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True

SCALE = "scenario.scale=0.25"
SEEDS = (1, 2, 3)
DESIGNS = ("event", "batch:15m")


@cache
def verdict(seed: int, design: str) -> Verdict:
    overrides = (SCALE, f"hub.price_sync={design}")
    scenario = load_scenario("promotion-launch", overrides, seed=seed)
    return judge(run(scenario), "promotion-launch", overrides)


def pricing(seed: int, design: str) -> dict[str, Any]:
    metrics: dict[str, Any] = verdict(seed, design).metrics["pricing"]
    return metrics


def stale(seed: int, design: str, *channels: str) -> int:
    by_channel = pricing(seed, design)["by_channel"]
    return sum(by_channel[c]["stale_price_orders"] for c in channels or by_channel)


@pytest.mark.parametrize("seed", SEEDS)
def test_event_sync_keeps_every_invariant_and_the_stale_price_sla(seed: int) -> None:
    event = verdict(seed, "event")
    assert event.passed, [c.detail for c in event.invariants if not c.passed] + [
        s.name for s in event.sla if not s.passed
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_quarter_hourly_price_file_charges_many_more_stale_prices(seed: int) -> None:
    """The negative control of price sync: batch is the worse design on every seed, in
    the online channels above all, and misses the stale-price SLA event sync meets."""
    assert stale(seed, "batch:15m") > 1.5 * stale(seed, "event")
    assert stale(seed, "event", "web", "click_collect") <= 1
    assert stale(seed, "batch:15m", "web", "click_collect") >= 5
    batch = verdict(seed, "batch:15m")
    assert [s.name for s in batch.sla if not s.passed] == ["stale_price_orders_pct_max"]
    assert all(c.passed for c in batch.invariants)  # late, but every book converges
    # a promotion that ends late in the channels gives money away
    assert pricing(seed, "batch:15m")["undercharged_cents"] > 5 * max(
        1, pricing(seed, "event")["undercharged_cents"]
    )


def test_the_marketplace_charges_a_promotion_only_once_its_feed_is_processed() -> None:
    reach = pricing(1, "event")["promotion_reach_s"]
    delay = load_scenario("promotion-launch").backends.marketplace.price_feed_delay_s
    assert reach["web"]["max"] < 10.0  # pushed two seconds after the change
    assert delay <= reach["marketplace"]["p50"] < delay + 10.0
    assert stale(1, "event", "marketplace") > 0  # the doorbuster's first minutes there


def test_stores_offline_at_the_launch_charge_the_old_price_until_they_reconnect() -> None:
    scenario = load_scenario("promotion-launch")
    (outage,) = scenario.faults
    stores = pricing(1, "event")["promotion_reach_s"]["stores"]
    assert stores["p50"] < 10.0  # the stores that were connected heard it at once
    assert stores["max"] == pytest.approx(outage.duration_s, abs=60.0)
    assert stale(1, "event", "stores") > 0
    # customers charged the list price during the doorbuster: money at stake
    assert pricing(1, "event")["overcharged_cents"] > 0


def test_the_same_seed_gives_the_same_prices_and_digest() -> None:
    overrides = (SCALE, "hub.price_sync=batch:15m")
    again = judge(run(load_scenario("promotion-launch", overrides, seed=2)), "x", overrides)
    assert again.digest == verdict(2, "batch:15m").digest
    assert again.metrics["pricing"] == pricing(2, "batch:15m")


@cache
def basket_charges(design: str) -> list[prices.Charge]:
    """The lines of baskets SPEND100 bears on, at seed 1, as the checker holds them."""
    overrides = (SCALE, f"hub.price_sync={design}")
    result = run(load_scenario("promotion-launch", overrides, seed=1))
    start = 18 * 3600.0
    return [c for c in prices.charges(result) if c.channel != prices.STORES and start - 1 <= c.at]


def test_a_basket_promotion_is_charged_in_its_window_and_late_under_a_price_file() -> None:
    """SPEND100 cuts every line of an online basket of $100 or more from 18:00 to 22:00.
    Event sync has the storefront apply it from its start to its end, every line as the
    source says; a quarter-hourly file starts and stops it late, and the checker holds
    those baskets' lines against the source's basket price both ways."""
    event = basket_charges("event")
    web = [c for c in event if c.channel in ("web", "click_collect")]
    cut = [c for c in web if c.should_cents < c.charged_cents or c.charged_cents < c.should_cents]
    assert len(web) > 50 and cut == []
    late = [c for c in basket_charges("batch:15m") if c.charged_cents != c.should_cents]
    assert any(c.charged_cents > c.should_cents for c in late), "not cut at the start"
    assert any(c.charged_cents < c.should_cents for c in late), "still cut after the end"
