"""Price sync: the pricing source's changes reach each channel, event-driven after a
short debounce or batched on a fixed grid, never rolled back by a late change; the
seeded defect keeps promotions from the marketplace."""

from __future__ import annotations

from typing import Any

from hub_fakes import Harness, quiet_policy

from hub.policy import HubPolicy


def change(version: int, at: float, *rows: tuple[str, str, int, str]) -> dict[str, Any]:
    return {
        "type": "price.changed",
        "version": version,
        "effective_at": at,
        "prices": [
            {
                "sku": sku,
                "channel": channel,
                "price_cents": price,
                "list_price_cents": 1000,
                "promotion": promotion,
            }
            for sku, channel, price, promotion in rows
        ],
    }


def pushed(h: Harness, system: str) -> list[dict[str, Any]]:
    return [
        row
        for p in h.transport.published
        if p.system == system and p.topic == "prices"
        for row in p.body["prices"]
    ]


def test_event_sync_pushes_each_channel_its_own_prices_after_the_debounce() -> None:
    h = Harness()
    h.deliver(
        "pricing",
        change(
            1,
            0.0,
            ("A", "web", 700, "SALE"),
            ("A", "marketplace", 800, ""),
            ("A", "stores", 700, "SALE"),
        ),
    )
    assert pushed(h, "web") == []  # not before the debounce interval
    h.advance(HubPolicy().price_sync_interval_s)
    assert [
        (r["sku"], r["price_cents"], r["promotion"], r["version"]) for r in pushed(h, "web")
    ] == [("A", 700, "SALE", 1)]
    assert [r["price_cents"] for r in pushed(h, "marketplace")] == [800]
    assert [r["price_cents"] for r in pushed(h, "pos")] == [700]  # the stores' tills
    assert h.hub.idle()


def test_a_change_overtaken_by_a_later_one_is_not_pushed_over_it() -> None:
    h = Harness()
    h.deliver("pricing", change(2, 60.0, ("A", "web", 900, "")))
    h.advance(5)
    h.deliver("pricing", change(1, 0.0, ("A", "web", 700, "SALE")))  # late, and older
    h.advance(5)
    assert [r["price_cents"] for r in pushed(h, "web")] == [900]
    assert h.hub.price_sync.stale_changes_ignored == 1


def test_batch_sync_holds_changes_until_the_next_slot_of_its_grid() -> None:
    h = Harness(policy=quiet_policy(price_sync_mode="batch", price_sync_interval_s=900.0))
    h.advance(100)
    h.deliver("pricing", change(1, 100.0, ("A", "web", 700, "SALE")))
    h.advance(700)  # t = 800: the 15-minute slot is at 900
    assert pushed(h, "web") == []
    h.advance(100)
    assert [r["price_cents"] for r in pushed(h, "web")] == [700]
    h.deliver("pricing", change(2, 900.0, ("A", "web", 1000, "")))
    h.advance(899)
    assert len(pushed(h, "web")) == 1
    h.advance(1)
    assert [r["price_cents"] for r in pushed(h, "web")] == [700, 1000]


def test_the_seeded_defect_keeps_promotions_from_the_marketplace_alone() -> None:
    h = Harness(policy=quiet_policy(defects=frozenset({"drop_marketplace_promotions"})))
    h.deliver(
        "pricing",
        change(
            1,
            0.0,
            ("A", "marketplace", 700, "SALE"),
            ("B", "marketplace", 1100, ""),
            ("A", "web", 700, "SALE"),
        ),
    )
    h.advance(5)
    assert [r["sku"] for r in pushed(h, "marketplace")] == ["B"]  # the list-price change only
    assert [r["sku"] for r in pushed(h, "web")] == ["A"]


def test_a_malformed_price_message_is_a_dead_letter_with_its_reason() -> None:
    h = Harness()
    h.deliver("pricing", {"type": "price.deleted"})
    letters = h.hub.ctx.dead_letters.take(lambda letter: True)
    assert len(letters) == 1 and "unknown message type 'price.deleted'" in letters[0].reason


def test_held_prices_show_when_each_change_was_heard_and_pushed() -> None:
    h = Harness(policy=quiet_policy(price_sync_mode="batch", price_sync_interval_s=900.0))
    h.advance(100)
    h.deliver("pricing", change(1, 100.0, ("A", "web", 700, "SALE"), ("A", "stores", 800, "")))
    stores, web = h.hub.price_sync.held()  # by channel, then SKU
    assert (web.channel, web.price_cents, web.promotion, web.version) == ("web", 700, "SALE", 1)
    assert web.heard_at == 100.0 and web.pushed_at is None and web.pushed_version == 0
    assert web.unpushed and stores.unpushed  # waiting for the 15-minute slot
    h.advance(800)  # t = 900: the slot pushes both
    assert [(r.pushed_version, r.pushed_at, r.unpushed) for r in h.hub.price_sync.held()] == [
        (1, 900.0, False),
        (1, 900.0, False),
    ]
    h.advance(100)
    h.deliver("pricing", change(2, 1000.0, ("A", "web", 1000, "")))
    web = next(r for r in h.hub.price_sync.held() if r.channel == "web")
    # the newer change waits; the hub still knows what it last pushed, and when
    assert (web.version, web.heard_at, web.pushed_version, web.pushed_at) == (2, 1000.0, 1, 900.0)
    assert web.unpushed and web.promotion == ""


def test_a_price_the_defect_never_pushes_stays_unpushed() -> None:
    """The hub's own record shows the marketplace was never sent the promotion, even
    though nothing waits in its queue: what an operator needs to see."""
    h = Harness(policy=quiet_policy(defects=frozenset({"drop_marketplace_promotions"})))
    h.deliver("pricing", change(1, 0.0, ("A", "marketplace", 700, "SALE")))
    h.advance(60)
    (row,) = h.hub.price_sync.held()
    assert row.unpushed and row.pushed_at is None and h.hub.price_sync.pending_changes() == 0


def basket_change(version: int, live: bool, *channels: str) -> dict[str, Any]:
    return {
        "type": "price.changed",
        "version": version,
        "effective_at": 0.0,
        "prices": [],
        "baskets": [
            {
                "name": "SPEND100",
                "channel": channel,
                "min_basket_cents": 10_000,
                "percent_off": 10.0,
                "live": live,
            }
            for channel in channels
        ],
    }


def pushed_baskets(h: Harness, system: str) -> list[dict[str, Any]]:
    return [
        row
        for p in h.transport.published
        if p.system == system and p.topic == "prices"
        for row in p.body.get("baskets", ())
    ]


def test_a_basket_promotion_is_pushed_to_its_channels_newest_change_winning() -> None:
    h = Harness()
    h.deliver("pricing", basket_change(1, True, "web", "marketplace"))
    h.advance(5)
    assert [(r["name"], r["live"], r["version"]) for r in pushed_baskets(h, "web")] == [
        ("SPEND100", True, 1)
    ]
    assert len(pushed_baskets(h, "marketplace")) == 1
    h.deliver("pricing", basket_change(3, False, "web"))
    h.deliver("pricing", basket_change(2, True, "web"))  # overtaken on the wire
    h.advance(5)
    assert [r["live"] for r in pushed_baskets(h, "web")] == [True, False]
    assert h.hub.idle()


def test_the_seeded_defect_keeps_basket_promotions_from_the_marketplace_too() -> None:
    h = Harness(policy=quiet_policy(defects=frozenset({"drop_marketplace_promotions"})))
    h.deliver("pricing", basket_change(1, True, "web", "marketplace"))
    h.advance(5)
    assert pushed_baskets(h, "marketplace") == [] and len(pushed_baskets(h, "web")) == 1
