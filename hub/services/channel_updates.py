"""Status notifications to the channel an order came from.

Each notice carries the order's version, so a channel (and the checker) can put notices
back in the hub's order even when the network reorders them: a regression is a later
version with an earlier status, which only a hub that lost its ordering would send.
"""

from __future__ import annotations

from hub.adapters import marketplace, web
from hub.context import HubContext
from hub.model.order import Channel, Order
from hub.model.returns import Return


def notify_status(ctx: HubContext, order: Order) -> None:
    now = ctx.clock.now()
    status = order.status.label
    if order.channel == Channel.MARKETPLACE:
        ctx.transport.publish(
            "marketplace", "order_status",
            marketplace.status_notice(order.channel_order_id, status, order.version, now),
        )
    else:
        ctx.transport.publish(
            "web", "order_status", web.status_notice(order.channel_order_id, status,
                                                     order.version, now),
        )


def notify_return(ctx: HubContext, ret: Return) -> None:
    """Tell the channel a return moved on (the marketplace needs it to close its case)."""
    system = "marketplace" if ret.channel == Channel.MARKETPLACE else "web"
    ctx.transport.publish(system, "return_status", {
        "rma": ret.return_id, "status": ret.status.label, "at": ctx.clock.now(),
    })
