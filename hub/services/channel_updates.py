"""Status notifications to the channel an order came from.

Each notice carries the order's version, so a channel (and the checker) can put notices
back in the hub's order even when the network reorders them: a regression is a later
version with an earlier status, which only a hub that lost its ordering would send.
"""

from __future__ import annotations

from hub.adapters import marketplace, web
from hub.context import HubContext
from hub.model.order import Channel, Order, OrderStatus
from hub.model.returns import Return, ReturnStatus

#: what a marketplace takes from a seller about an order once it is acknowledged: the
#: shipment confirmation and the cancellation (Amazon's order-fulfillment and
#: order-adjustment feeds); the seller's internal steps are none of its business
MARKETPLACE_STATUSES = frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED})
#: the milestones a storefront shows its customer: confirmed, ready to collect, on its
#: way or collected, cancelled; the warehouse's release and pick are internal steps
STOREFRONT_STATUSES = frozenset(
    {
        OrderStatus.ACCEPTED,
        OrderStatus.READY_FOR_PICKUP,
        OrderStatus.SHIPPED,
        OrderStatus.COLLECTED,
        OrderStatus.CANCELLED,
    }
)
#: return milestones a customer (or a marketplace closing its case) is told about
RETURN_STATUSES = frozenset(
    {
        ReturnStatus.AUTHORISED,
        ReturnStatus.RECEIVED,
        ReturnStatus.REFUNDED,
        ReturnStatus.REJECTED,
    }
)


def notify_status(ctx: HubContext, order: Order) -> None:
    if order.channel == Channel.MARKETPLACE:
        if order.status in MARKETPLACE_STATUSES:
            ctx.transport.publish(
                order.marketplace_system,
                "order_status",
                marketplace.status_notice(
                    order.channel_order_id, order.status.label, order.version, ctx.clock.now()
                ),
            )
    elif order.status in STOREFRONT_STATUSES:
        ctx.transport.publish(
            "web",
            "order_status",
            web.status_notice(
                order.channel_order_id, order.status.label, order.version, ctx.clock.now()
            ),
        )


def notify_return(ctx: HubContext, ret: Return) -> None:
    """Tell the channel a return moved on (the marketplace needs it to close its case)."""
    if ret.status not in RETURN_STATUSES:
        return
    system = "web"
    if ret.channel == Channel.MARKETPLACE:  # the marketplace the order came from
        order = ctx.orders.get(ret.order_id)
        system = order.marketplace_system if order is not None else "marketplace"
    ctx.transport.publish(
        system,
        "return_status",
        {
            "rma": ret.return_id,
            "status": ret.status.label,
            "at": ctx.clock.now(),
        },
    )
