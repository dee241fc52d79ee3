"""A third-party marketplace selling our catalogue.

It speaks its own dialect (`ORDER_PLACED`, `mpOrderId`), lists our stock from the feed
we send it, and holds us to an acknowledgement window: an order not acknowledged within
`resend_after_s` is pushed again (a real source of duplicates), and one not acknowledged
within `ack_window_s` counts against our seller rating. Its seller API is metered (a
token bucket answering 429, as marketplaces meter their partner APIs), so in a flood the
acknowledgements themselves can queue. Its customers cancel and return through it.
"""

from __future__ import annotations

from typing import Any

import simpy

from simulators.channel import ChannelOrder, SalesChannel
from simulators.later import Later
from simulators.rate_limit import RateLimit
from simulators.rpc import Reply
from simulators.types import Emit
from simulators.world import Sku

#: every operation of the seller API `Marketplace.handle` accepts;
#: `simulators.contract.marketplace` documents each one
OPERATIONS = ("acknowledge",)


class Marketplace(SalesChannel):
    name = "marketplace"

    def __init__(
        self,
        env: simpy.Environment,
        send: Emit,
        ack_window_s: float,
        resend_after_s: float,
        rate_limit_per_s: float = 0.0,
        price_feed_delay_s: float = 0.0,
    ) -> None:
        super().__init__(env, send)
        self.price_feed_delay_s = price_feed_delay_s
        self.ack_window_s = ack_window_s
        self.resend_after_s = resend_after_s
        self.rate_limit = RateLimit(env, rate_limit_per_s)
        self.throttled = 0
        self.down = False
        self.resends = 0

    def place(
        self, customer_id: str, region: str, wanted: list[tuple[Sku, int]]
    ) -> ChannelOrder | None:
        terms: dict[str, tuple[int, str]] = {}
        lines = self.take_lines(self.ship_view, wanted, lambda sku: sku.sku_id, terms)
        if not lines:
            return None
        order = ChannelOrder(
            self._ref("MP"), "marketplace", customer_id, region, self._env.now, lines, terms=terms
        )
        self.orders[order.ref] = order
        self._push(order)
        return order

    def _push(self, order: ChannelOrder) -> None:
        order.sends += 1
        self._send(
            "ORDER_PLACED",
            {
                "event": "ORDER_PLACED",
                "mpOrderId": order.ref,
                "buyerId": order.customer_id,
                "createdAt": order.placed_at,
                "shipToRegion": order.region,
                "items": [self._item(order, *line) for line in order.lines],
            },
        )
        Later(self._env, self.resend_after_s, self._resend_if_unacknowledged, order)

    def _item(
        self, order: ChannelOrder, sku: str, qty: int, price: int, tax: int
    ) -> dict[str, Any]:
        list_price, promotion = self.line_terms(order, sku, price)
        item: dict[str, Any] = {
            "offerSku": sku,
            "quantity": qty,
            "priceCents": price,
            "taxCents": tax,
        }
        if list_price != price or promotion:  # the offer's sale price, cut from its list price
            item["listPriceCents"] = list_price
            item["promotion"] = promotion
        return item

    def _ingest_prices(self, event: Any) -> None:
        self.on_prices(event.value)

    def _resend_if_unacknowledged(self, event: Any) -> None:
        order: ChannelOrder = event.value
        if order.acked_at < 0 and order.sends < 6:
            self.resends += 1
            self._push(order)

    def request_cancel(self, ref: str, reason: str = "") -> None:
        order = self.orders[ref]
        order.cancel_requested_at = self._env.now
        order.cancel_reason = reason
        self._send(
            "ORDER_CANCELLED",
            {"event": "ORDER_CANCELLED", "mpOrderId": ref, "cancelledAt": self._env.now},
        )

    def request_return(self, ref: str, lines: list[tuple[str, int]]) -> str:
        """Open a return of `lines` of order `ref` (MPR-REF, then MPR-REF-2...)."""
        return_id = self._open_return("MPR", ref, lines).id
        self._send(
            "RETURN_OPENED",
            {
                "event": "RETURN_OPENED",
                "returnId": return_id,
                "mpOrderId": ref,
                "openedAt": self._env.now,
                "items": [{"offerSku": s, "quantity": q} for s, q in lines],
            },
        )
        return return_id

    # -- the seller API the hub calls ------------------------------------------------------

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        if self.down:
            reply(503, {"error": "marketplace API unavailable"})
            return
        if not self.rate_limit.admit():
            self.throttled += 1
            reply(429, {"error": "rate limit", "retry_after_s": self.rate_limit.retry_after_s})
            return
        if operation not in OPERATIONS:
            reply(404, {"error": f"unknown operation {operation}"})
            return
        order = self.orders.get(body.get("mpOrderId", ""))
        if order is None:
            reply(404, {"error": "unknown order"})
            return
        if order.acked_at < 0:
            order.acked_at = self._env.now
        reply(200, {"acknowledged": order.ref})

    def receive(self, topic: str, body: dict[str, Any]) -> None:
        if topic == "inventory":
            self.feeds_received += 1
            self.on_ship_feed(body["items"], body["sent_at"])
        elif topic == "order_status":
            self.on_status(body["mpOrderId"], body["state"].lower(), int(body["version"]))
        elif topic == "prices":
            if self.price_feed_delay_s > 0:  # the feed is processed, then offers change
                Later(self._env, self.price_feed_delay_s, self._ingest_prices, body)
            else:
                self.on_prices(body)
        elif topic == "return_status":
            self.on_return_status(body["rma"], body["status"], float(body["at"]))
