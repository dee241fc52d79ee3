"""The retailer's own web storefront: ship-to-home and click-and-collect orders.

It speaks the hub's house dialect (`order.created`, `return.requested`) and holds two
views: ship-to-home availability per SKU, and per-store availability for collection.
"""

from __future__ import annotations

from typing import Any

import simpy

from simulators.channel import ChannelOrder, SalesChannel
from simulators.later import now_of
from simulators.types import Emit
from simulators.world import Sku

#: the storefront's channel name, for readers that need it without an instance (the
#: checker's sync-lag measure): compiled, `Storefront.name` read off the class is the
#: attribute's descriptor, not its value
WEB = "web"


class Storefront(SalesChannel):
    name = WEB

    # the base class's parameters named, not passed on as `*args, **kwargs`: mypyc
    # (2.4.1) compiles `super().__init__(*args, **kwargs)` into a call that hands the
    # whole `args` tuple to each of the base's parameters (`self._env` became a tuple)
    def __init__(self, env: simpy.Environment, send: Emit) -> None:
        super().__init__(env, send)
        self.store_view: dict[tuple[str, str], int] = {}

    def on_store_feed(self, rows: list[tuple[str, str, int, int]], sent_at: float) -> None:
        """Apply a push's (sku, store, ats, source seq) rows, unless a newer push set them."""
        now = now_of(self._env)
        sent_before, view, reflected = self.feed_sent_at, self.store_view, self.reflected_seq
        for sku, store, ats, seq in rows:
            key = (sku, store)
            if sent_before.get(key, -1.0) > sent_at:
                continue
            sent_before[key] = sent_at
            view[key] = ats
            if reflected.find(key) != seq:  # see `note_reflected`
                self.note_reflected(key, seq, now)

    def place(
        self, customer_id: str, region: str, wanted: list[tuple[Sku, int]], pickup_store: str = ""
    ) -> ChannelOrder | None:
        terms: dict[str, tuple[int, str]] = {}
        if pickup_store:
            lines = self.take_lines(
                self.store_view, wanted, lambda sku: (sku.sku_id, pickup_store), terms
            )
        else:
            lines = self.take_lines(self.ship_view, wanted, lambda sku: sku.sku_id, terms)
        if not lines:
            return None
        order = ChannelOrder(
            self._ref("CC" if pickup_store else "W"),
            "click_collect" if pickup_store else "web",
            customer_id,
            region,
            now_of(self._env),
            lines,
            pickup_store,
            terms=self.kept_terms(terms, lines),
        )
        self.accept(order)
        self._send(
            "order.created",
            {
                "type": "order.created",
                "order_ref": order.ref,
                "customer_ref": customer_id,
                "placed_at": order.placed_at,
                "pickup_store": pickup_store or None,
                "ship_to_region": region,
                "lines": [self._line(order, *line) for line in lines],
            },
        )
        order.sends += 1
        return order

    def take_on_account(self, order: ChannelOrder, payload: dict[str, Any]) -> None:
        """A company's order from the B2B portal (simulators/b2b.py): the store's
        company side, so it is recorded and sent as the store's own orders are."""
        self.accept(order)
        self._send("order.created", payload)
        order.sends += 1

    def send_again(self, ref: str, payload: dict[str, Any]) -> None:
        """Send order `ref`'s `order.created` again (a company's buyer submitting its PO
        twice), counting the send on the order's record."""
        self._send("order.created", payload)
        order = self.change(ref)
        if order is not None:
            order.sends += 1
            self.settle(order)

    def send(self, kind: str, payload: dict[str, Any]) -> None:
        """Send the hub a message over the store's link (the B2B portal's too)."""
        self._send(kind, payload)

    def _line(
        self, order: ChannelOrder, sku: str, qty: int, price: int, tax: int
    ) -> dict[str, Any]:
        list_price, promotion = self.line_terms(order, sku, price)
        line: dict[str, Any] = {"sku": sku, "qty": qty, "unit_price_cents": price, "tax_cents": tax}
        if list_price != price or promotion:  # only what a discount adds: the plain line as before
            line["list_price_cents"] = list_price
            line["promotion"] = promotion
        return line

    def request_cancel(self, ref: str, reason: str = "") -> None:
        self.note_cancel_request(ref, reason)
        self._send(
            "order.cancel_requested",
            {"type": "order.cancel_requested", "order_ref": ref, "at": now_of(self._env)},
        )

    def request_return(self, ref: str, lines: list[tuple[str, int]]) -> str:
        """Open a return of `lines` of order `ref` (RMA-REF, then RMA-REF-2...)."""
        rma = self._open_return("RMA", ref, lines).id
        self._send(
            "return.requested",
            {
                "type": "return.requested",
                "rma": rma,
                "order_ref": ref,
                "at": now_of(self._env),
                "lines": [{"sku": s, "qty": q} for s, q in lines],
            },
        )
        return rma

    def receive(self, topic: str, body: dict[str, Any]) -> None:
        if topic == "inventory":
            self.feeds_received += 1
            sent_at = body["sent_at"]
            self.on_ship_feed(body["items"], sent_at)
            self.on_store_feed(body["store_items"], sent_at)
        elif topic == "order_status":
            self.on_status(body["order_ref"], body["status"], int(body["version"]))
        elif topic == "prices":
            self.on_prices(body)
        elif topic == "return_status":
            self.on_return_status(body["rma"], body["status"], float(body["at"]))
