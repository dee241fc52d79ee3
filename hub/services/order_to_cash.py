"""Order to cash: from a channel's order to money captured and an invoice in the ERP.

The happy path: reserve stock at the fulfilling location, authorise payment, book a
sales order in the ERP, release to the WMS (or the store, for click-and-collect), and on
shipment or collection capture the payment and post the delivery invoice. The ERP leg
runs alongside fulfilment rather than in front of it, so an ERP outage delays the books
but not the customer's parcel; the invoice simply waits for its sales order.

Compensations: a cancellation releases the reservation, voids the authorisation and
cancels the ERP sales order; a line the location cannot fill (oversold) is cancelled
alone and never charged. Facts about an order the hub has not seen yet (a cancellation
overtaking its order on the wire) are parked until the order arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

from hub.adapters import erp, marketplace, payment, pos, wms
from hub.context import HubContext
from hub.messages import (
    InboundEvent,
    LineIn,
    OrderCancellationRequested,
    OrderPicked,
    OrderReceived,
    PickupCollected,
    PickupReady,
    ShipmentConfirmed,
    StockReport,
)
from hub.model.ledger import sale_posting
from hub.model.order import FULFILLED, Channel, Order, OrderLine, OrderStatus
from hub.model.payment import PaymentState
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, DeadLettered, Ok, Rejected
from hub.services.availability import AvailabilityService
from hub.services.channel_updates import notify_status
from hub.services.erp_writer import ErpWriter

#: re-authorisations tried when a capture finds the authorisation expired, before the
#: order goes to the exception queue for a person to chase the payment
MAX_REAUTHORISATIONS = 3


class OrderToCash:
    def __init__(
        self,
        ctx: HubContext,
        availability: AvailabilityService,
        erp_writer: ErpWriter,
        park: Callable[[str, InboundEvent], None],
    ) -> None:
        self._ctx = ctx
        self._availability = availability
        self._erp = erp_writer
        self._park = park
        #: told when an order's payment is captured or has finally failed (returns
        #: that came back before that wait for it)
        self.payment_settled: list[Callable[[Order], None]] = []
        calls = ctx.calls
        calls.register("authorize", self._on_authorized)
        calls.register("capture", self._on_captured)
        calls.register("void", self._on_voided)
        calls.register("release_order", self._on_released)
        calls.register("pickup_request", self._on_released)
        calls.register("cancel_release", self._on_release_cancelled)
        calls.register("acknowledge", self._on_acknowledged)
        erp_writer.on("create_sales_order", self._on_sales_order_booked)
        erp_writer.on("cancel_sales_order", self._on_sales_order_cancelled)
        erp_writer.on("post_delivery_invoice", self._on_invoiced)

    # -- helpers ---------------------------------------------------------------

    def _key(self, name: str) -> str | None:
        """An idempotency key for a money movement, unless idempotency is off."""
        return name if self._ctx.policy.idempotency else None

    def _advance(self, order: Order, status: OrderStatus, source: str) -> None:
        if order.advance(status, self._ctx.clock.now(), source, self._ctx.policy.ordering):
            notify_status(self._ctx, order)

    def _order(self, order_id: str, event: InboundEvent) -> Order | None:
        order = self._ctx.orders.get(order_id)
        if order is None:
            self._park(order_id, event)
        return order

    # -- intake ------------------------------------------------------------------

    def on_order_received(self, event: OrderReceived) -> None:
        ctx = self._ctx
        order_id = event.order_id
        if order_id in ctx.orders:
            ctx.count("duplicate_orders_seen")
            if ctx.policy.idempotency:
                return
            order_id = f"{order_id}#{ctx.counters['duplicate_orders_seen'] + 1}"
        now = ctx.clock.now()
        order = Order(
            order_id,
            event.channel,
            event.order_id,
            event.customer_id,
            event.placed_at,
            now,
            [
                OrderLine(i + 1, line.sku, line.quantity, line.unit_price_cents, line.tax_cents)
                for i, line in enumerate(event.lines)
            ],
            pickup_store=event.pickup_store,
        )
        order.advance(OrderStatus.RECEIVED, now, event.channel, True)
        ctx.orders[order_id] = order
        ctx.count("orders_received")
        self._reserve(order)
        if all(line.short_quantity == line.quantity for line in order.lines):
            self._finish_cancel(order, "out of stock")
            return
        self._advance(order, OrderStatus.ACCEPTED, "hub")
        if order.channel == Channel.MARKETPLACE and ctx.policy.marketplace_ack == "on_accept":
            self._acknowledge(order)
        ctx.calls.submit(
            payment.SYSTEM,
            "authorize",
            payment.authorize(order_id, self._open_cents(order), self._key(f"auth:{order_id}")),
            order_id,
        )
        if ctx.policy.has_defect("drop_erp_orders") and ctx.counters["orders_received"] % 50 == 0:
            return
        self._erp.submit(
            "create_sales_order",
            {
                **erp.create_sales_order(order),
                "ExternalRef": order.channel_order_id,
                "DocRef": order_id,
            },
            order_id,
        )

    def _reserve(self, order: Order) -> None:
        if order.pickup_store:
            order.location = order.pickup_store
        else:
            order.location = self._availability.best_dc(
                (line.sku, line.quantity) for line in order.lines
            )
        for line in order.lines:
            granted = self._availability.reserve(line.sku, order.location, line.quantity)
            if granted < line.quantity:
                line.short_quantity = line.quantity - granted
                self._ctx.count("units_short_at_reservation", line.short_quantity)

    @staticmethod
    def _open_cents(order: Order) -> int:
        total = 0
        for line in order.lines:
            fillable = line.quantity - line.short_quantity
            if fillable > 0:
                tax = line.tax_cents * fillable // line.quantity
                total += line.unit_price_cents * fillable + tax
        return total

    def _acknowledge(self, order: Order) -> None:
        operation, body = marketplace.acknowledge(order.channel_order_id)
        self._ctx.calls.submit("marketplace", operation, body, order.order_id)

    def _on_acknowledged(self, call: Call, result: CallResult) -> None:
        """Only an acknowledgement the marketplace took counts against its window; one
        refused or dead-lettered leaves the order unacknowledged."""
        order = self._ctx.orders[call.key]
        if isinstance(result, Ok) and order.acked_at < 0:
            order.acked_at = self._ctx.clock.now()

    # -- payment -------------------------------------------------------------------

    def _on_authorized(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        match result:
            case DeadLettered(reason):
                order.flag("payment", f"payment authorisation dead-lettered: {reason}")
                return
            case Rejected():
                order.payment_state = PaymentState.DECLINED
                if call.context.get("reauth"):
                    order.flag("payment", "payment re-authorisation declined after fulfilment")
                    self._post_delivery(order, with_money=False)
                    self._payment_settled(order)
                else:
                    self._cancel(order, "payment declined")
                return
            case Ok(body=body):
                pass
            case _:
                assert_never(result)
        order.clear("payment")
        order.payment_auth_id = str(body["id"])
        order.payment_state = PaymentState.AUTHORISED
        if call.context.get("reauth"):
            self._capture(order)
        elif order.status == OrderStatus.CANCELLED:
            self._void(order)
        elif order.cancel_requested:
            self._finish_cancel(order, "cancelled by customer")
        else:
            self._release(order)

    def _capture(self, order: Order) -> None:
        amount = order.fulfilled_cents()
        self._ctx.calls.submit(
            payment.SYSTEM,
            "capture",
            # keyed by the authorisation too: a capture after a re-authorisation is a new
            # request, not a retry, and must not get the expired answer replayed
            payment.capture(
                order.payment_auth_id,
                amount,
                self._key(f"cap:{order.order_id}:{order.shipment_id}:{order.payment_auth_id}"),
            ),
            order.order_id,
            {"amount": amount},
        )

    def _on_captured(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        match result:
            case DeadLettered(reason):
                # the capture may be replayed yet: the order waits, uncharged, in the
                # exception queue, and nothing is invoiced
                order.flag("payment", f"capture dead-lettered: {reason}")
                return
            case Rejected(reason=reason):
                self._capture_refused(order, reason)
                return
            case Ok():
                pass
            case _:
                assert_never(result)
        if order.payment_state == PaymentState.CAPTURED:
            self._ctx.count("duplicate_captures")
            return
        order.clear("payment")
        order.payment_state = PaymentState.CAPTURED
        order.captured_cents = int(call.context["amount"])
        self._post_delivery(order, with_money=True)
        self._payment_settled(order)

    def _capture_refused(self, order: Order, reason: str) -> None:
        if reason == "authorization_expired" and order.reauthorisations < MAX_REAUTHORISATIONS:
            order.reauthorisations += 1
            self._ctx.count("reauthorisations")
            self._ctx.calls.submit(
                payment.SYSTEM,
                "authorize",
                payment.authorize(
                    order.order_id,
                    order.fulfilled_cents(),
                    self._key(f"reauth:{order.order_id}:{order.reauthorisations}"),
                ),
                order.order_id,
                {"reauth": True},
            )
            return
        if order.payment_state == PaymentState.CAPTURED:
            return  # a duplicate capture refused by the gateway
        order.payment_state = PaymentState.FAILED
        order.flag("payment", f"capture failed: {reason}")
        self._post_delivery(order, with_money=False)
        self._payment_settled(order)

    def _payment_settled(self, order: Order) -> None:
        for listener in self.payment_settled:
            listener(order)

    def _void(self, order: Order) -> None:
        if order.payment_state != PaymentState.AUTHORISED:
            return
        self._ctx.calls.submit(
            payment.SYSTEM,
            "void",
            payment.void(order.payment_auth_id, self._key(f"void:{order.order_id}")),
            order.order_id,
        )

    def _on_voided(self, call: Call, result: CallResult) -> None:
        """Only a void the gateway did releases the customer's money: a dead-lettered
        one leaves the authorisation standing, so the order stays in the exception
        queue (not voided, not terminal) until a replay goes through."""
        order = self._ctx.orders[call.key]
        match result:
            case Ok():
                order.payment_state = PaymentState.VOIDED
                order.clear("payment")
            case Rejected(reason=reason):
                order.flag("payment", f"void failed: {reason}")
            case DeadLettered(reason):
                order.flag("payment", f"void dead-lettered: {reason}")
            case _:
                assert_never(result)

    # -- ERP ---------------------------------------------------------------------

    def _on_sales_order_booked(self, call: Call, result: CallResult) -> None:
        ctx = self._ctx
        order = ctx.orders[call.key]
        match result:
            case DeadLettered(reason):
                order.flag("erp", f"ERP sales order dead-lettered: {reason}")
                return
            case Rejected(reason=reason):
                order.flag("erp", f"ERP rejected sales order: {reason}")
                return
            case Ok(body=body):
                pass
            case _:
                assert_never(result)
        if order.erp_order_no:
            return
        order.clear("erp")
        order.erp_order_no = erp.document_number(body)
        order.erp_booked_at = ctx.clock.now()
        if order.status == OrderStatus.CANCELLED:
            self._erp.submit(
                "cancel_sales_order",
                {**erp.cancel_sales_order(order.erp_order_no), "DocRef": f"CXL-{order.order_id}"},
                order.order_id,
            )
            return
        if order.channel == Channel.MARKETPLACE and ctx.policy.marketplace_ack == "on_erp":
            self._acknowledge(order)
        if order.invoice_due:
            order.invoice_due = False
            self._post_delivery(order, with_money=order.payment_state == PaymentState.CAPTURED)

    def _on_sales_order_cancelled(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        match result:
            case Ok():
                order.clear("erp")
            case Rejected(reason=reason) | DeadLettered(reason=reason):
                order.flag("erp", f"ERP cancel failed: {reason}")
            case _:
                assert_never(result)

    def _post_delivery(self, order: Order, with_money: bool) -> None:
        if not order.erp_order_no:
            order.invoice_due = True
            return
        items = [(line.sku, line.shipped_quantity) for line in order.lines if line.shipped_quantity]
        journal = []
        if with_money:
            net = sum(line.unit_price_cents * line.shipped_quantity for line in order.lines)
            tax = order.captured_cents - net
            journal = sale_posting(
                net, tax, drop_tax=self._ctx.policy.has_defect("unbalanced_journal")
            )
        self._erp.submit(
            "post_delivery_invoice",
            erp.post_delivery_invoice(
                order.erp_order_no, f"INV-{order.order_id}", order.location, items, journal
            ),
            order.order_id,
            stock=(order.location, [(sku, -quantity) for sku, quantity in items]),
        )

    def _on_invoiced(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        match result:
            case Ok():
                order.clear("erp")
                order.invoiced = True
            case Rejected(reason=reason) | DeadLettered(reason=reason):
                order.flag("erp", f"ERP invoice failed: {reason}")
            case _:
                assert_never(result)

    # -- fulfilment --------------------------------------------------------------------

    def _release(self, order: Order) -> None:
        if order.release_submitted:
            return
        order.release_submitted = True
        if order.pickup_store:
            self._ctx.calls.submit(
                "pos",
                "pickup_request",
                pos.pickup_request(order.order_id, order.pickup_store, order.lines),
                order.order_id,
            )
        else:
            self._ctx.calls.submit(
                "wms",
                "release_order",
                wms.release_order(order.order_id, order.location, order.lines),
                order.order_id,
            )

    def _on_released(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        match result:
            case DeadLettered(reason):
                order.flag("fulfilment", f"release dead-lettered: {reason}")
                return
            case Ok() | Rejected(status=409):
                pass  # a 409: the warehouse or store has the release already
            case Rejected(reason=reason):
                order.flag("fulfilment", f"release rejected: {reason}")
                return
            case _:
                assert_never(result)
        order.released_ack = True
        order.clear("fulfilment")
        if order.cancel_requested and order.status < OrderStatus.PICKED:
            self._request_release_cancel(order)
            return
        self._advance(order, OrderStatus.RELEASED, call.system)

    def on_picked(self, event: OrderPicked) -> None:
        order = self._order(event.order_id, event)
        if order is not None:
            self._advance(order, OrderStatus.PICKED, "wms")

    def on_shipment(self, event: ShipmentConfirmed) -> None:
        self._availability.apply_reports(event.stock)
        order = self._order(event.order_id, event)
        if order is None:
            return
        if order.shipment_id == event.shipment_id and self._ctx.policy.idempotency:
            return
        order.shipment_id = event.shipment_id
        order.shipped_at = event.at
        self._settle_lines(order, event.shipped, event.short, event.stock)
        if not event.shipped:
            self._finish_cancel(order, "nothing could be picked")
            return
        self._advance(order, OrderStatus.SHIPPED, "wms")
        self._capture(order)

    def on_pickup_ready(self, event: PickupReady) -> None:
        order = self._order(event.order_id, event)
        if order is None:
            return
        for short in event.short:
            line = self._line(order, short.sku)
            if line is not None and line.short_quantity < short.quantity:
                added = short.quantity - line.short_quantity
                if not self._ctx.policy.has_defect("ignore_shortages"):
                    line.short_quantity = short.quantity
                self._availability.release(line.sku, order.location, added)
        if all(line.open_quantity <= 0 for line in order.lines):
            self._finish_cancel(order, "nothing could be picked in store")
            return
        self._advance(order, OrderStatus.READY_FOR_PICKUP, "pos")

    def on_pickup_collected(self, event: PickupCollected) -> None:
        self._availability.apply_reports(event.stock)
        order = self._order(event.order_id, event)
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
            self._finish_cancel(order, "nothing collected")
            return
        self._advance(order, OrderStatus.COLLECTED, "pos")
        self._capture(order)

    def _settle_lines(
        self,
        order: Order,
        moved: tuple[LineIn, ...],
        short: tuple[LineIn, ...],
        stock: tuple[StockReport, ...],
    ) -> None:
        left: list[tuple[str, str, int]] = []
        for done in moved:
            line = self._line(order, done.sku)
            if line is not None:
                line.shipped_quantity += done.quantity
                left.append((line.sku, order.location, -done.quantity))
                self._availability.release(line.sku, order.location, done.quantity)
        # the invoice will take these out of the ERP's stock
        self._erp.ledger.heard(stock, left)
        for missing in short:
            line = self._line(order, missing.sku)
            if line is not None:
                if not self._ctx.policy.has_defect("ignore_shortages"):
                    line.short_quantity += missing.quantity
                self._ctx.count("units_short_at_fulfilment", missing.quantity)
                self._availability.release(line.sku, order.location, missing.quantity)

    @staticmethod
    def _line(order: Order, sku: str) -> OrderLine | None:
        for line in order.lines:
            if line.sku == sku:
                return line
        return None

    # -- cancellation --------------------------------------------------------------------

    def on_cancellation_requested(self, event: OrderCancellationRequested) -> None:
        order = self._order(event.order_id, event)
        if order is None:
            return
        self._cancel(order, "cancelled by customer")

    def _cancel(self, order: Order, reason: str) -> None:
        if order.status == OrderStatus.CANCELLED:
            return
        if order.status >= OrderStatus.PICKED:
            self._ctx.count("cancellations_too_late")
            return
        order.cancel_requested = True
        if order.release_submitted:
            if order.released_ack:
                self._request_release_cancel(order)
            return  # the release acknowledgement will send the cancellation on
        self._finish_cancel(order, reason)

    def _request_release_cancel(self, order: Order) -> None:
        system = "pos" if order.pickup_store else "wms"
        self._ctx.calls.submit(
            system, "cancel_release", {"orderRef": order.order_id}, order.order_id
        )

    def _on_release_cancelled(self, call: Call, result: CallResult) -> None:
        """Only a release the warehouse or store gave back lets the cancellation finish;
        a dead-lettered one may still be with them, picking."""
        order = self._ctx.orders[call.key]
        match result:
            case Ok():
                order.clear("fulfilment")
                self._finish_cancel(order, "cancelled by customer")
            case Rejected(status=409):
                order.cancel_requested = False  # too late: it is being picked; it will ship
                self._ctx.count("cancellations_too_late")
            case Rejected(reason=reason):
                order.flag("fulfilment", f"cancel at fulfilment failed: {reason}")
            case DeadLettered(reason):
                order.flag("fulfilment", f"cancel at fulfilment dead-lettered: {reason}")
            case _:
                assert_never(result)

    def _finish_cancel(self, order: Order, reason: str) -> None:
        if order.status == OrderStatus.CANCELLED:
            return
        if order.status in FULFILLED and self._ctx.policy.ordering:
            return  # late news about an order that has already been delivered
        for line in order.lines:
            if line.open_quantity > 0 and order.location:
                self._availability.release(line.sku, order.location, line.open_quantity)
        order.cancel_reason = reason
        self._advance(order, OrderStatus.CANCELLED, "hub")
        self._ctx.count("orders_cancelled")
        if order.payment_state == PaymentState.AUTHORISED:
            self._void(order)
        if order.erp_order_no:
            self._erp.submit(
                "cancel_sales_order",
                {**erp.cancel_sales_order(order.erp_order_no), "DocRef": f"CXL-{order.order_id}"},
                order.order_id,
            )
