"""The pricing keys of a scenario: promotions, list-price changes, `hub.price_sync` and
the stale-price SLA, and the errors a bad one gets."""

from __future__ import annotations

import pytest

from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario
from scenarios.spec.pricing_spec import PromotionSpec
from simulators.price_channels import PriceChannel

PROMOTION = '{name="DOORBUSTER", start="0h", end="2h", hot_skus=20, off_pct=30%s}'


BASKET = (
    'pricing.basket_promotions=[{name="SPEND100", start="18h", end="22h", min_basket=100, '
    'off_pct=10, channels=["web"]}]'
)


def test_a_basket_promotion_loads_its_threshold_in_currency_units() -> None:
    (basket,) = load_scenario("steady-day", (BASKET,)).pricing.basket_promotions
    assert (basket.min_basket, basket.off_pct, basket.channels) == (
        100.0,
        10.0,
        (PriceChannel.WEB,),
    )


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
        (
            (BASKET.replace('"web"', '"stores"'),),
            "basket_promotions[0].channels[0]: a basket promotion runs online only",
        ),
        ((BASKET.replace("min_basket=100", "min_basket=0"),), "min_basket"),
        (
            (promotion(), BASKET.replace('"SPEND100"', '"DOORBUSTER"')),
            'another promotion is named "DOORBUSTER" too',
        ),
        (("pricing.changes_per_hour=-1",), "non-negative"),
    ],
)
def test_a_bad_pricing_key_names_the_field_and_what_was_expected(
    overrides: tuple[str, ...], fragment: str
) -> None:
    assert fragment in error_of(*overrides)
