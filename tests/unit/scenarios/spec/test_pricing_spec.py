"""The pricing keys of a scenario: promotions, list-price changes, `hub.price_sync` and
the stale-price SLA, and the errors a bad one gets."""

from __future__ import annotations

import pytest

from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario
from scenarios.spec.scenario import PromotionSpec
from simulators.price_channels import PriceChannel

PROMOTION = '{name="DOORBUSTER", start="0h", end="2h", hot_skus=20, off_pct=30%s}'


def promotion(extra: str = "") -> str:
    return "pricing.promotions=[" + PROMOTION % extra + "]"


def error_of(*overrides: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario("steady-day", overrides)
    return str(info.value)


def test_a_promotion_and_price_sync_load() -> None:
    scenario = load_scenario(
        "steady-day",
        (promotion(', channels=["marketplace"]'), "hub.price_sync=batch:15m"),
    )
    assert scenario.pricing.promotions == (
        PromotionSpec("DOORBUSTER", 0.0, 7200.0, 20, 30.0, (PriceChannel.MARKETPLACE,)),
    )
    assert (scenario.hub.price_sync_mode, scenario.hub.price_sync_interval_s) == ("batch", 900.0)
    # the sync of stock is its own key
    assert (scenario.hub.sync_mode, scenario.hub.sync_interval_s) == ("event", 2.0)


def test_every_channel_is_the_default_and_scale_shrinks_the_promotion() -> None:
    scenario = load_scenario("steady-day", (promotion(), "scenario.scale=0.1"))
    (promo,) = scenario.pricing.promotions
    assert promo.channels == tuple(PriceChannel) and promo.hot_skus == 2


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ((promotion(', channels=["shop"]'),), 'channels[0]: unknown price channel "shop"'),
        ((promotion(", channels=[]"),), "a promotion needs at least one channel"),
        ((promotion(', channels=["web", "web"]'),), "channel"),
        (("pricing.promotions=[" + PROMOTION.replace("30", "100") % "" + "]",), "below 100"),
        (("pricing.promotions=[" + PROMOTION.replace("30", "0") % "" + "]",), "above 0"),
        (("pricing.promotions=[" + PROMOTION.replace('"2h"', '"0h"') % "" + "]",), "end"),
        (("pricing.promotions=[" + PROMOTION.replace("20", "5000") % "" + "]",), "world.skus"),
        (("pricing.promotions=[" + PROMOTION.replace('"DOORBUSTER"', '" "') % "" + "]",), "name"),
        (
            ("pricing.promotions=[" + ", ".join([PROMOTION % ""] * 2) + "]",),
            'promotions[1].name: pricing.promotions[0] is named "DOORBUSTER" too',
        ),
        (("hub.price_sync=weekly",), 'hub.price_sync: expected "event", "event:DURATION"'),
        (("hub.price_sync_mode=batch",), 'did you mean "hub.price_sync"?'),
        (("pricing.change_max_pct=120",), "between 0 and 100"),
        (("pricing.changes_per_hour=-1",), "non-negative"),
    ],
)
def test_a_bad_pricing_key_names_the_field_and_what_was_expected(
    overrides: tuple[str, ...], fragment: str
) -> None:
    assert fragment in error_of(*overrides)
