"""What a channel is offered of the stock available: the one rule the hub's feeds, its
own answers and the checker share, so the three cannot drift apart.

The rule is monotone in what is available, so a channel offered the rule's share of a
figure no higher than the locations can sell never offers more than the rule allows of
what they can.
"""

from __future__ import annotations

from hub.model.order import Channel
from hub.policy import AllocationPolicy


def offered(rules: AllocationPolicy, channel: str, available: int) -> int:
    """Units `channel` is offered when `available` units can be sold (ship-to-home stock
    of a SKU for the web and the marketplace, a store position for click-and-collect)."""
    if channel == Channel.MARKETPLACE:
        share = available * rules.marketplace_share_pct // 100
        return max(0, int(share) - rules.marketplace_safety_stock)
    if channel == Channel.CLICK_COLLECT:
        return max(0, available - rules.click_collect_safety_stock)
    return max(0, available - rules.web_safety_stock)
