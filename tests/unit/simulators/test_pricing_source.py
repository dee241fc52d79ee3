"""The pricing source's truth and its messages, and the books channels and stores keep."""

from __future__ import annotations

from typing import Any

import simpy

from simulators.price_book import PriceBook
from simulators.pricing import ListPriceChange, PriceChannel, PricePoint, PricingSource, Promotion
from simulators.store_prices import StorePrices

WEB, MARKETPLACE, STORES = PriceChannel.WEB, PriceChannel.MARKETPLACE, PriceChannel.STORES


def source(
    promotions: tuple[Promotion, ...] = (), changes: tuple[ListPriceChange, ...] = ()
) -> tuple[simpy.Environment, PricingSource, list[dict[str, Any]]]:
    env = simpy.Environment()
    sent: list[dict[str, Any]] = []
    made = PricingSource(
        env, {"A": 1000, "B": 2000}, promotions, changes, lambda kind, body: sent.append(body)
    )
    return env, made, sent


def test_a_promotion_holds_in_its_channels_for_its_window_only() -> None:
    env, pim, sent = source((Promotion("SALE", 100.0, 200.0, ("A",), 30.0, (WEB, STORES)),))
    env.run()
    assert pim.should_charge(WEB, "A", 99.0) == PricePoint(1000, 1000, "")
    assert pim.should_charge(WEB, "A", 100.0) == PricePoint(700, 1000, "SALE")
    assert pim.should_charge(STORES, "A", 150.0).price_cents == 700
    assert pim.should_charge(MARKETPLACE, "A", 150.0).price_cents == 1000  # not its channel
    assert pim.should_charge(WEB, "A", 200.0) == PricePoint(1000, 1000, "")
    assert pim.should_charge(WEB, "B", 150.0).price_cents == 2000
    # one message at each moment, numbered in order, with only what changed
    assert [(m["version"], m["effective_at"], len(m["prices"])) for m in sent] == [
        (1, 100.0, 2),
        (2, 200.0, 2),
    ]


def test_the_deepest_promotion_wins_and_a_list_change_moves_the_promotional_price() -> None:
    env, pim, _ = source(
        (
            Promotion("TEN", 0.0, 500.0, ("A",), 10.0, (WEB,)),
            Promotion("HALF", 100.0, 200.0, ("A",), 50.0, (WEB,)),
        ),
        (ListPriceChange(300.0, "A", 1200),),
    )
    env.run()
    assert pim.should_charge(WEB, "A", 50.0).price_cents == 900
    assert pim.should_charge(WEB, "A", 150.0) == PricePoint(500, 1000, "HALF")
    assert pim.should_charge(WEB, "A", 250.0).price_cents == 900
    assert pim.should_charge(WEB, "A", 350.0) == PricePoint(1080, 1200, "TEN")
    assert pim.should_charge(MARKETPLACE, "A", 350.0) == PricePoint(1200, 1200, "")
    assert pim.current()[(WEB, "A")] == PricePoint(1200, 1200, "")


def test_a_day_without_a_plan_sends_nothing_and_schedules_nothing() -> None:
    env, pim, sent = source()
    assert env.peek() == float("inf")
    env.run()
    assert sent == [] and pim.current() == {}


def test_a_book_takes_only_newer_prices_and_remembers_when_it_heard_a_promotion() -> None:
    book = PriceBook()
    assert book.price("A", 1000) == 1000
    book.apply([{"sku": "A", "price_cents": 700, "promotion": "SALE", "version": 2}], 10.0)
    assert book.apply([{"sku": "A", "price_cents": 1000, "promotion": "", "version": 1}], 20.0) == 0
    assert book.price("A", 1000) == 700 and book.promotion("A") == "SALE"
    book.apply([{"sku": "A", "price_cents": 1000, "promotion": "", "version": 3}], 30.0)
    assert book.price("A", 1000) == 1000
    assert book.promotion_heard == {("A", "SALE"): 10.0}


def test_an_offline_store_keeps_its_old_prices_until_it_reconnects() -> None:
    stores = StorePrices(["S1", "S2"], frozenset({"A"}))
    online = {"S1": True, "S2": False}
    stores.push(
        [{"sku": "A", "price_cents": 700, "promotion": "SALE", "version": 1}],
        online.__getitem__,
        5.0,
    )
    assert stores.price("S1", "A", 1000) == 700
    assert stores.price("S2", "A", 1000) == 1000
    stores.reconnected("S2", 50.0)
    assert stores.price("S2", "A", 1000) == 700
    assert stores.books["S2"].promotion_heard[("A", "SALE")] == 50.0
    stores.record(
        60.0,
        "S2",
        "T1",
        [{"sku": "A", "qty": 1, "price_cents": 700}, {"sku": "B", "qty": 1, "price_cents": 5}],
    )
    assert [(c.txn, c.sku) for c in stores.charges] == [("T1", "A")]  # B's price never moves
