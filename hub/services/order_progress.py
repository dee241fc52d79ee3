"""What every leg of order to cash does with an order: find the order a fact is about
(or park the fact until the order arrives), and move the order on, telling its channel.

Facts can overtake the order they are about on the wire (a cancellation sent a moment
after the order, a shipment confirmation redelivered early), so a leg never assumes
the order exists: the fact is parked and handled again once the order is received.
"""

from __future__ import annotations

from collections.abc import Callable

from hub.context import HubContext
from hub.messages import InboundEvent
from hub.model.order import Order, OrderStatus
from hub.services.channel_updates import notify_status

#: holds a fact about an aggregate the hub has not seen yet, under that aggregate's id
Park = Callable[[str, InboundEvent], None]


def order_or_park(ctx: HubContext, park: Park, order_id: str, event: InboundEvent) -> Order | None:
    """The order `event` is about, or None once the event is parked for it."""
    order = ctx.orders.get(order_id)
    if order is None:
        park(order_id, event)
    return order


def advance_order(ctx: HubContext, order: Order, status: OrderStatus, source: str) -> None:
    """Move the order on (never back, with ordering on) and tell its channel."""
    if order.advance(status, ctx.clock.now(), source, ctx.policy.ordering):
        notify_status(ctx, order)
