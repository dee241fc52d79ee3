"""Fulfilment: an authorised order released to the WMS (or, for click-and-collect, to
its store), picked, and shipped or collected.

Shipped or collected units release their reservation and are captured; lines the
warehouse or store could not fill are recorded short, which is how an oversell becomes
visible, and an order of which nothing left is cancelled. A duplicate shipment or
collection (the same shipment again) is recognised by its shipment id.

An order split over several DCs (hub/model/sourcing.py) is released part by part, each
part to its DC; each part's shipment settles its own lines, and the order is shipped,
charged and invoiced once, when the last part is settled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

from hub.adapters import pos, wms
from hub.context import HubContext
from hub.messages import (
    LineIn,
    OrderPicked,
    PickupCollected,
    PickupReady,
    ShipmentConfirmed,
    StockReport,
)
from hub.model.order import FINAL, Order, OrderLine, OrderStatus
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, DeadLettered, Ok, Rejected
from hub.services.availability import AvailabilityService
from hub.services.cancellation import Cancellation
from hub.services.erp_leg import ErpLeg
from hub.services.order_progress import Park, advance_order, order_or_park
from hub.services.payment_leg import PaymentLeg

# enum members read as globals, not through their class (EnumType.__getattr__'s hook
# on Python 3.11: 67 ns a read against 8): every release, pick and shipment reads them
_SHIPPED = OrderStatus.SHIPPED
_PICKED = OrderStatus.PICKED
_RELEASED = OrderStatus.RELEASED
_READY_FOR_PICKUP = OrderStatus.READY_FOR_PICKUP
_COLLECTED = OrderStatus.COLLECTED


class Fulfilment:
    def __init__(
        self,
        ctx: HubContext,
        availability: AvailabilityService,
        payment_leg: PaymentLeg,
        erp_leg: ErpLeg,
        cancellation: Cancellation,
        park: Park,
    ) -> None:
        self._ctx = ctx
        self._availability = availability
        self._payment = payment_leg
        self._erp = erp_leg
        self._cancellation = cancellation
        self._park = park
        ctx.calls.register("release_order", self._on_released)
        ctx.calls.register("pickup_request", self._on_released)
        cancellation.leg_withdrawn.append(self.complete_if_settled)
        #: told of each release a drop-ship partner took (hub/services/dropship.py)
        self.released_to_partner: list[Callable[[Order, int], None]] = []
        self._partner_systems = frozenset(ctx.topology.partners.values())

    def release(self, order: Order) -> None:
        if order.release_submitted:
            return
        order.release_submitted = True
        if order.legs:
            self._release_legs(order)
        elif order.pickup_store:
            self._ctx.calls.submit(
                "pos",
                "pickup_request",
                pos.pickup_request(order.order_id, order.pickup_store, order.lines),
                order.order_id,
            )
        else:
            self._ctx.calls.submit(
                self._ctx.topology.system_of(order.location),
                "release_order",
                wms.release_order(order.order_id, order.location, order.lines),
                order.order_id,
            )

    def _release_legs(self, order: Order) -> None:
        """Each part of a split order to its own DC, as a release of its own. A part
        whose every line was cut at reservation has nothing to release: it is settled
        at once. The seeded defect `forget_second_leg` releases the first part only."""
        for leg in order.legs:
            lines = [line for line in order.lines if line.line_no in leg.line_nos]
            if not any(line.open_quantity > 0 for line in lines):
                leg.withdrawn = True
                continue
            if leg.leg_no > 1 and self._ctx.policy.has_defect("forget_second_leg"):
                continue
            leg.release_submitted = True
            self._ctx.calls.submit(
                self._ctx.topology.system_of(leg.location),
                "release_order",
                wms.release_order(order.order_id, leg.location, lines, leg.leg_no),
                order.order_id,
            )

    def _on_released(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        leg = order.leg(int(call.body.get("leg", 1))) if order.legs else None
        match result:
            case Ok() | Rejected(status=409):
                pass  # a 409: the warehouse or store has the release already
            case Rejected(reason=reason):
                order.flag("fulfilment", f"release rejected: {reason}", self._ctx.clock.now())
                return
            case DeadLettered(reason):
                order.flag("fulfilment", f"release dead-lettered: {reason}", self._ctx.clock.now())
                return
            case _:
                assert_never(result)
        order.released_ack = True
        if leg is not None:
            leg.released_ack = True
        if call.system in self._partner_systems:
            for told in self.released_to_partner:
                told(order, leg.leg_no if leg is not None else 1)
        order.clear("fulfilment")
        if order.cancel_requested and order.status < _PICKED:
            self._cancellation.request_release_cancel(order, leg)
            return
        advance_order(self._ctx, order, _RELEASED, call.system)

    def on_picked(self, event: OrderPicked) -> None:
        order = order_or_park(self._ctx, self._park, event.order_id, event)
        if order is not None:
            advance_order(self._ctx, order, _PICKED, "wms")

    def on_shipment(self, event: ShipmentConfirmed) -> None:
        self._availability.apply_reports(event.stock)
        order = order_or_park(self._ctx, self._park, event.order_id, event)
        if order is None:
            return
        if order.legs:
            self._on_leg_shipment(order, event)
            return
        if order.shipment_id == event.shipment_id and self._ctx.policy.idempotency:
            return
        order.shipment_id = event.shipment_id
        order.shipped_at = event.at
        self._settle_lines(order, event.shipped, event.short, event.stock)
        if not event.shipped:
            self._cancellation.finish(order, "nothing could be picked")
            return
        advance_order(self._ctx, order, _SHIPPED, "wms")
        self._payment.capture(order)

    def _on_leg_shipment(self, order: Order, event: ShipmentConfirmed) -> None:
        """One part of a split order left its DC: its lines are settled (idempotent by
        the part's shipment id); the order ships once every part is settled."""
        leg = order.leg(event.leg)
        if leg is None:
            self._ctx.count("shipments_for_unknown_leg")
            return
        if leg.shipment_id == event.shipment_id and self._ctx.policy.idempotency:
            return
        leg.shipment_id = event.shipment_id
        leg.shipped_at = event.at
        self._settle_lines(order, event.shipped, event.short, event.stock, leg.location)
        self.complete_if_settled(order)

    def complete_if_settled(self, order: Order) -> None:
        """A split order whose every part has shipped or been withdrawn is done: shipped
        (and charged once, for all its parts: `PaymentLeg.capture` invoices too) if any
        part carried something, otherwise cancelled. Charging once, when the last part
        settles, keeps one capture and one invoice per order, as for an order shipped
        whole; the card's authorisation covers the whole order meanwhile."""
        if not all(leg.settled for leg in order.legs) or order.status in FINAL:
            return
        shipped = [leg for leg in order.legs if leg.shipment_id]
        if shipped:
            last = max(shipped, key=lambda leg: leg.shipped_at)
            order.shipment_id, order.shipped_at = last.shipment_id, last.shipped_at
        if not any(line.shipped_quantity for line in order.lines):
            self._cancellation.finish(order, "nothing could be picked")
            return
        advance_order(self._ctx, order, _SHIPPED, "wms")
        self._payment.capture(order)

    def on_pickup_ready(self, event: PickupReady) -> None:
        order = order_or_park(self._ctx, self._park, event.order_id, event)
        if order is None:
            return
        for short in event.short:
            line = _line(order, short.sku)
            if line is not None and line.short_quantity < short.quantity:
                added = short.quantity - line.short_quantity
                if not self._ctx.policy.has_defect("ignore_shortages"):
                    line.short_quantity = short.quantity
                self._availability.release(line.sku, order.location, added)
        if all(line.open_quantity <= 0 for line in order.lines):
            self._cancellation.finish(order, "nothing could be picked in store")
            return
        advance_order(self._ctx, order, _READY_FOR_PICKUP, "pos")

    def on_pickup_collected(self, event: PickupCollected) -> None:
        self._availability.apply_reports(event.stock)
        order = order_or_park(self._ctx, self._park, event.order_id, event)
        if order is None or (order.shipment_id and self._ctx.policy.idempotency):
            return
        order.shipment_id = f"COL-{event.order_id}"
        order.shipped_at = event.at
        collected = {line.sku for line in event.collected}
        uncollected = tuple(
            LineIn(line.sku, line.open_quantity)
            for line in order.lines
            if line.sku not in collected and line.open_quantity > 0
        )
        self._settle_lines(order, event.collected, uncollected, event.stock)
        if not event.collected:
            self._cancellation.finish(order, "nothing collected")
            return
        advance_order(self._ctx, order, _COLLECTED, "pos")
        self._payment.capture(order)

    def _settle_lines(
        self,
        order: Order,
        moved: tuple[LineIn, ...],
        short: tuple[LineIn, ...],
        stock: tuple[StockReport, ...],
        location: str = "",
    ) -> None:
        """`location`: where the units left from (a split order's part's DC; "": the
        order's location)."""
        where = location or order.location
        left: list[tuple[str, str, int]] = []
        for done in moved:
            line = _line(order, done.sku)
            if line is not None:
                line.shipped_quantity += done.quantity
                left.append((line.sku, where, -done.quantity))
                self._availability.release(line.sku, where, done.quantity)
        # the invoice will take these out of the ERP's stock
        self._erp.ledger.heard(stock, left)
        for missing in short:
            line = _line(order, missing.sku)
            if line is not None:
                if not self._ctx.policy.has_defect("ignore_shortages"):
                    line.short_quantity += missing.quantity
                self._ctx.count("units_short_at_fulfilment", missing.quantity)
                self._availability.release(line.sku, where, missing.quantity)


def _line(order: Order, sku: str) -> OrderLine | None:
    for line in order.lines:
        if line.sku == sku:
            return line
    return None
