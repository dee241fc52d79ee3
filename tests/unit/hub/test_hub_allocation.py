"""The allocation rule (hub/model/allocation.py) the hub's feeds and the checker share:
each channel's own safety stock, the marketplace's share, never below nothing, and
never more for less stock (the checker relies on it being monotone)."""

from __future__ import annotations

from hub.model.allocation import offered
from hub.model.order import Channel
from hub.policy import AllocationPolicy

RULES = AllocationPolicy(
    web_safety_stock=1,
    marketplace_safety_stock=2,
    click_collect_safety_stock=3,
    marketplace_share_pct=50.0,
)


def test_no_rule_offers_every_channel_everything() -> None:
    for channel in Channel.ORDER_CHANNELS:
        assert offered(AllocationPolicy(), channel, 7) == 7


def test_each_channel_keeps_its_own_units_back_and_the_marketplace_gets_its_share() -> None:
    assert offered(RULES, Channel.WEB, 10) == 9
    assert offered(RULES, Channel.MARKETPLACE, 11) == 3  # half of 11 rounded down, less 2
    assert offered(RULES, Channel.CLICK_COLLECT, 10) == 7
    assert offered(RULES, Channel.MARKETPLACE, 3) == 0  # never below nothing


def test_less_stock_is_never_offered_as_more() -> None:
    for channel in Channel.ORDER_CHANNELS:
        offers = [offered(RULES, channel, available) for available in range(40)]
        assert offers == sorted(offers)
