"""A third-party marketplace selling our catalogue.

It speaks its own dialect (`ORDER_PLACED`, `mpOrderId`), lists our stock from the feed
we send it, and holds us to an acknowledgement window: an order not acknowledged within
`resend_after_s` is pushed again (a real source of duplicates), and one not acknowledged
within `ack_window_s` counts against our seller rating. Its seller API is metered (a
token bucket answering 429, as marketplaces meter their partner APIs), so in a flood the
acknowledgements themselves can queue. Its customers cancel and return through it.

A marketplace that settles (simulators/settlement.py) collects the buyers' money itself:
its orders say so (`paymentCollectedBy`), the seller confirms shipments and refunds
returns through its API, and it pays the seller out on a schedule. One that does not
passes the buyer's card to the seller's own gateway.
"""

from __future__ import annotations

from typing import Any

import simpy

from simulators.channel import ChannelOrder, SalesChannel
from simulators.later import Later, now_of
from simulators.rate_limit import RateLimit
from simulators.rpc import Reply
from simulators.settlement import SettlementDesk
from simulators.types import Emit
from simulators.world import Sku

#: every operation of the seller API `Marketplace.handle` accepts;
#: `simulators.contract.marketplace` documents each one
OPERATIONS = ("acknowledge", "confirm_shipment", "refund_return")
#: the operations only a marketplace that collects the buyers' money has
MONEY_OPERATIONS = frozenset({"confirm_shipment", "refund_return"})
#: what a settling marketplace's orders say about who took the buyer's money
COLLECTED_BY_MARKETPLACE = "MARKETPLACE"
#: the marketplaces' channel name, for readers that need it without an instance, as
#: `simulators.storefront.WEB`
MARKETPLACE = "marketplace"


class Marketplace(SalesChannel):
    name = MARKETPLACE

    def __init__(
        self,
        env: simpy.Environment,
        send: Emit,
        ack_window_s: float,
        resend_after_s: float,
        rate_limit_per_s: float = 0.0,
        price_feed_delay_s: float = 0.0,
        settlement: SettlementDesk | None = None,
        system: str = "marketplace",
    ) -> None:
        super().__init__(env, send)
        #: its name as a system (the hub's lane, a fault's target): one of several
        #: marketplaces has its own, and its order refs carry it (MP-EBAY-0000001) so
        #: two marketplaces never give the same ref
        self.system = system
        self._prefix = "MP" if system == "marketplace" else f"MP-{system.upper()}"
        self.settlement = settlement
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
            self._ref(self._prefix),
            "marketplace",
            customer_id,
            region,
            now_of(self._env),
            lines,
            terms=self.kept_terms(terms, lines),
        )
        self.accept(order)
        self._push(order)
        return order

    def _push(self, order: ChannelOrder) -> None:
        order.sends += 1
        message = {
            "event": "ORDER_PLACED",
            "mpOrderId": order.ref,
            "buyerId": order.customer_id,
            "createdAt": order.placed_at,
            "shipToRegion": order.region,
            "items": [self._item(order, *line) for line in order.lines],
        }
        if self.settlement is not None:
            message["paymentCollectedBy"] = COLLECTED_BY_MARKETPLACE
        self._send("ORDER_PLACED", message)
        # the ref, not the order: by then the order may have left memory, and come back
        # as another object
        Later(self._env, self.resend_after_s, self._resend_if_unacknowledged, order.ref)

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
        ref: str = event.value
        order = self.orders.get(ref)
        if order is not None and order.acked_at < 0 and order.sends < 6:
            order = self.change(ref)
            assert order is not None
            self.resends += 1
            self._push(order)
            self.settle(order)

    def request_cancel(self, ref: str, reason: str = "") -> None:
        self.note_cancel_request(ref, reason)
        self._send(
            "ORDER_CANCELLED",
            {"event": "ORDER_CANCELLED", "mpOrderId": ref, "cancelledAt": now_of(self._env)},
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
                "openedAt": now_of(self._env),
                "items": [{"offerSku": s, "quantity": q} for s, q in lines],
            },
        )
        return return_id

    # -- the seller API the hub calls ------------------------------------------------------

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        if self.down:
            reply(503, {"error": f"{self.system} API unavailable"})
            return
        if not self.rate_limit.admit():
            self.throttled += 1
            reply(429, {"error": "rate limit", "retry_after_s": self.rate_limit.retry_after_s})
            return
        if operation not in OPERATIONS:
            reply(404, {"error": f"unknown operation {operation}"})
            return
        if operation in MONEY_OPERATIONS:
            reply(*self._money(operation, body))
            return
        order = self.orders.get(body.get("mpOrderId", ""))
        if order is None:
            reply(404, {"error": "unknown order"})
            return
        if order.acked_at < 0:
            order = self.change(order.ref)
            assert order is not None
            order.acked_at = now_of(self._env)
            self.settle(order)
        reply(200, {"acknowledged": order.ref})

    def _money(self, operation: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Charge for a confirmed shipment or refund a return, when this marketplace
        collects the money (404 when the seller's gateway does)."""
        if self.settlement is None:
            return 404, {"error": "payments are not collected by this marketplace"}
        try:
            ref, amount = str(body["mpOrderId"]), int(body["amountCents"])
            return_id = str(body["returnId"]) if operation == "refund_return" else ""
        except (KeyError, TypeError, ValueError) as exc:
            return 400, {"error": f"bad request: {type(exc).__name__}: {exc}"}
        order = self.orders.get(ref)
        if order is None:
            return 404, {"error": "unknown order"}
        if operation == "confirm_shipment":
            total = sum(qty * price + tax for _, qty, price, tax in order.lines)
            return self.settlement.charge(ref, amount, total)
        return self.settlement.refund(ref, return_id, amount)

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
