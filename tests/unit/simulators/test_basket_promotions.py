"""Basket-level promotions: the source's truth of a basket's prices, the messages that
start and end them, the books that hold them, and a channel applying one at checkout."""

from __future__ import annotations

from typing import Any

import simpy

from simulators.basket_promotions import BasketPromotion, BasketTerms, deepest, discounted
from simulators.channel import NO_TERMS, SalesChannel
from simulators.price_book import PriceBook
from simulators.pricing import PriceChannel, PricingSource, Promotion
from simulators.storefront import Storefront
from simulators.world import Sku

WEB, MARKETPLACE = PriceChannel.WEB, PriceChannel.MARKETPLACE
SPEND = BasketPromotion("SPEND100", 100.0, 200.0, 10_000, 10.0, (WEB,))


def source(
    *baskets: BasketPromotion, promotions: tuple[Promotion, ...] = ()
) -> tuple[simpy.Environment, PricingSource, list[dict[str, Any]]]:
    env = simpy.Environment()
    sent: list[dict[str, Any]] = []
    made = PricingSource(
        env, {"A": 4000, "B": 2000}, promotions, (), lambda _k, body: sent.append(body), baskets
    )
    return env, made, sent


def test_the_deepest_offer_a_basket_qualifies_for_wins() -> None:
    offers = [BasketTerms("TEN", 10_000, 10.0), BasketTerms("TWENTY", 20_000, 20.0)]
    assert deepest(offers, [(4000, 2)]) is None
    assert deepest(offers, [(4000, 2), (2000, 1)]) == offers[0]
    assert deepest(offers, [(4000, 5)]) == offers[1]
    assert discounted(999, 10.0) == 899 and discounted(1, 90.0) == 1


def test_a_basket_over_the_threshold_is_cut_in_its_channel_and_window_only() -> None:
    env, pim, sent = source(SPEND)
    env.run()
    basket = [("A", 2), ("B", 1)]  # 10,000 at list
    assert [p.price_cents for p in pim.should_charge_basket(WEB, basket, 150.0)] == [3600, 1800]
    assert {p.promotion for p in pim.should_charge_basket(WEB, basket, 150.0)} == {"SPEND100"}
    assert [p.price_cents for p in pim.should_charge_basket(WEB, basket, 99.0)] == [4000, 2000]
    assert [p.price_cents for p in pim.should_charge_basket(WEB, basket, 200.0)] == [4000, 2000]
    assert [p.price_cents for p in pim.should_charge_basket(MARKETPLACE, basket, 150.0)] == [
        4000,
        2000,
    ]
    small = [("A", 1), ("B", 2)]  # 8,000: under the threshold
    assert [p.price_cents for p in pim.should_charge_basket(WEB, small, 150.0)] == [4000, 2000]
    # a start and an end, each its own numbered message, with no price rows
    assert [(m["version"], m["prices"], m["baskets"][0]["live"]) for m in sent] == [
        (1, [], True),
        (2, [], False),
    ]


def test_a_basket_counts_its_sku_promotions_before_the_threshold() -> None:
    half = Promotion("HALF", 0.0, 500.0, ("A",), 50.0, (WEB,))
    env, pim, _ = source(SPEND, promotions=(half,))
    env.run(until=150.0)
    # A at 2,000 after HALF: 2 x 2,000 + 2,000 = 6,000, under the threshold
    assert [p.price_cents for p in pim.should_charge_basket(WEB, [("A", 2), ("B", 1)], 150.0)] == [
        2000,
        2000,
    ]
    both = pim.should_charge_basket(WEB, [("A", 4), ("B", 1)], 150.0)  # 10,000
    assert [(p.price_cents, p.promotion) for p in both] == [
        (1800, "HALF+SPEND100"),
        (1800, "SPEND100"),
    ]


def test_a_book_keeps_the_newest_state_of_each_basket_promotion() -> None:
    book = PriceBook()
    row = {"name": "SPEND100", "min_basket_cents": 10_000, "percent_off": 10.0}
    assert book.apply_baskets([{**row, "live": True, "version": 3}]) == 1
    assert book.apply_baskets([{**row, "live": False, "version": 2}]) == 0  # overtaken
    assert [t.name for t in book.live_baskets()] == ["SPEND100"]
    assert book.apply_baskets([{**row, "live": False, "version": 4}]) == 1
    assert book.live_baskets() == []


def test_the_storefront_applies_the_basket_promotion_it_holds_at_checkout() -> None:
    env = simpy.Environment()
    shop = Storefront(env, lambda _kind, _body: None)
    a = Sku("A", "a", "toys", 4000, 2000, 2000, 1)
    b = Sku("B", "b", "toys", 2000, 1000, 2000, 2)
    shop.ship_view.update({"A": 10, "B": 10})
    shop.on_prices(
        {
            "prices": [],
            "baskets": [
                {
                    "name": "SPEND100",
                    "min_basket_cents": 10_000,
                    "percent_off": 10.0,
                    "live": True,
                    "version": 1,
                }
            ],
        }
    )
    order = shop.place("C-1", "north", [(a, 2), (b, 1)])
    assert order is not None
    assert [(sku, price) for sku, _, price, _ in order.lines] == [("A", 3600), ("B", 1800)]
    assert order.terms == {"A": (4000, "SPEND100"), "B": (2000, "SPEND100")}
    small = shop.place("C-2", "north", [(b, 1)])
    assert small is not None and small.lines[0][2] == 2000
    # a line charged its list price with no promotion keeps no terms of its own
    assert small.terms is NO_TERMS
    assert SalesChannel.line_terms(small, "B", 2000) == (2000, "")
