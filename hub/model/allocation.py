"""What a channel is offered of the stock available: the one rule the hub's feeds, its
own answers and the checker share, so the three cannot drift apart.

The rule is monotone in what is available, so a channel offered the rule's share of a
figure no higher than the locations can sell never offers more than the rule allows of
what they can.
"""

from __future__ import annotations

from collections.abc import Iterable

from hub.model.order import Channel
from hub.policy import EVERY_DC, EVERY_STORE, AllocationPolicy


def offered(rules: AllocationPolicy, channel: str, available: int, marketplace: str = "") -> int:
    """Units `channel` is offered when `available` units can be sold (ship-to-home stock
    of a SKU for the web and the marketplace, a store position for click-and-collect);
    for a marketplace, `marketplace` names which (its own share, when it has one)."""
    if channel == Channel.MARKETPLACE:
        share_pct, safety_stock = rules.marketplace_rule(marketplace)
        share = available * share_pct // 100
        return max(0, int(share) - safety_stock)
    if channel == Channel.CLICK_COLLECT:
        return max(0, available - rules.click_collect_safety_stock)
    return max(0, available - rules.web_safety_stock)


def safety_stock_by_location(
    rules: AllocationPolicy, dcs: Iterable[str], stores: Iterable[str]
) -> dict[str, int]:
    """The safety stock of each location the rules name, directly or by its kind (a
    location they do not name keeps `hub.safety_stock`): the hub's book, the checker's
    rebuilt available-to-sell and a projection of an external hub all read this."""
    kinds = {EVERY_DC: list(dcs), EVERY_STORE: list(stores)}
    held: dict[str, int] = {}
    for rule in sorted(rules.locations, key=lambda rule: rule.location not in kinds):
        for location in kinds.get(rule.location, [rule.location]):
            held[location] = rule.units
    return held
