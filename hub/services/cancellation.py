"""Cancellation: undoing what was done for an order that will not ship.

Before release the order is cancelled at once. Once released, the warehouse or store
must first give the release back (`cancel_release`); a 409 means it is already being
picked, so the cancellation is too late and the order ships. From PICKED on a request
is refused outright. A split order gives back each part's release; a part too late to
stop ships, and the parts given back are not charged. Finishing a cancellation runs the
compensations: the reservation is released, the authorisation voided and the ERP sales
order cancelled, each as soon as there is something to undo (an authorisation or a
sales order that arrives later is undone when it arrives).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

from hub.adapters import wms
from hub.context import HubContext
from hub.messages import OrderCancellationRequested
from hub.model.order import FULFILLED, FulfilmentLeg, Order, OrderStatus
from hub.model.payment import PaymentState
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, DeadLettered, Ok, Rejected
from hub.services.availability import AvailabilityService
from hub.services.erp_leg import ErpLeg
from hub.services.order_progress import Park, advance_order, order_or_park
from hub.services.payment_leg import PaymentLeg


class Cancellation:
    def __init__(
        self,
        ctx: HubContext,
        availability: AvailabilityService,
        payment_leg: PaymentLeg,
        erp_leg: ErpLeg,
        park: Park,
    ) -> None:
        self._ctx = ctx
        self._availability = availability
        self._payment = payment_leg
        self._erp = erp_leg
        self._park = park
        #: told when a part of a split order is withdrawn and others remain
        self.leg_withdrawn: list[Callable[[Order], None]] = []
        ctx.calls.register("cancel_release", self._on_release_cancelled)

    def on_cancellation_requested(self, event: OrderCancellationRequested) -> None:
        order = order_or_park(self._ctx, self._park, event.order_id, event)
        if order is not None:
            self.cancel(order, "cancelled by customer")

    def cancel(self, order: Order, reason: str) -> None:
        """Cancel if it is not too late; a released order is taken back first."""
        if order.status == OrderStatus.CANCELLED:
            return
        if order.status >= OrderStatus.PICKED:
            self._ctx.count("cancellations_too_late")
            return
        order.cancel_requested = True
        if order.release_submitted:
            if order.released_ack:
                self.request_release_cancel(order)
            return  # the release acknowledgement will send the cancellation on
        self.finish(order, reason)

    def request_release_cancel(self, order: Order, leg: FulfilmentLeg | None = None) -> None:
        """Ask for the release back: the order's, or for a split order each released
        part's (only `leg`, when given: a part whose release was just acknowledged)."""
        if order.legs:
            legs = [leg] if leg is not None else order.legs
            for part in legs:
                if part.released_ack and not part.settled:
                    self._ctx.calls.submit(
                        self._ctx.topology.system_of(part.location),
                        "cancel_release",
                        wms.cancel_release(order.order_id, part.leg_no),
                        order.order_id,
                    )
            return
        system = "pos" if order.pickup_store else self._ctx.topology.system_of(order.location)
        self._ctx.calls.submit(
            system, "cancel_release", {"orderRef": order.order_id}, order.order_id
        )

    def _on_release_cancelled(self, call: Call, result: CallResult) -> None:
        """Only a release the warehouse or store gave back lets the cancellation finish;
        a dead-lettered one may still be with them, picking."""
        order = self._ctx.orders[call.key]
        leg = order.leg(int(call.body.get("leg", 1))) if order.legs else None
        match result:
            case Ok() if leg is not None:
                order.clear("fulfilment")
                self._withdrawn(order, leg)
            case Ok():
                order.clear("fulfilment")
                self.finish(order, "cancelled by customer")
            case Rejected(status=409):
                order.cancel_requested = False  # too late: it is being picked; it will ship
                self._ctx.count("cancellations_too_late")
            case Rejected(reason=reason):
                order.flag(
                    "fulfilment", f"cancel at fulfilment failed: {reason}", self._ctx.clock.now()
                )
            case DeadLettered(reason):
                order.flag(
                    "fulfilment",
                    f"cancel at fulfilment dead-lettered: {reason}",
                    self._ctx.clock.now(),
                )
            case _:
                assert_never(result)

    def _withdrawn(self, order: Order, leg: FulfilmentLeg) -> None:
        """A split order's part given back. Once every part is, the order is cancelled;
        while another part is still picking (too late to stop), this part's lines are
        not shipped and not charged (recorded short), their reservation released, and
        the order ships what its other parts carry."""
        if leg.withdrawn:
            return
        leg.withdrawn = True
        if all(part.withdrawn for part in order.legs):
            self.finish(order, "cancelled by customer")
            return
        for line in order.lines:
            if line.line_no in leg.line_nos and line.open_quantity > 0:
                self._ctx.count("units_withdrawn_with_leg", line.open_quantity)
                self._availability.release(line.sku, leg.location, line.open_quantity)
                line.short_quantity += line.open_quantity
        for told in self.leg_withdrawn:
            told(order)

    def finish(self, order: Order, reason: str) -> None:
        """Cancel the order and run the compensations."""
        if order.status == OrderStatus.CANCELLED:
            return
        if order.status in FULFILLED and self._ctx.policy.ordering:
            return  # late news about an order that has already been delivered
        for line in order.lines:
            if line.open_quantity > 0 and order.location:
                self._availability.release(line.sku, order.location_of(line), line.open_quantity)
        order.cancel_reason = reason
        advance_order(self._ctx, order, OrderStatus.CANCELLED, "hub")
        self._ctx.count("orders_cancelled")
        if order.payment_state == PaymentState.AUTHORISED:
            self._payment.void(order)
        if order.erp_order_no:
            self._erp.cancel_sales_order(order)
