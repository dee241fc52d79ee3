"""Order to cash: from a channel's order to money captured and an invoice in the ERP.

The happy path: reserve stock at the fulfilling location, have the tax quoted (when the
estate has a tax engine: hub/services/tax_leg.py), authorise payment, pass the fraud
screen (when there is one: hub/services/fraud_leg.py; a held order waits for its
analyst, a rejected one is cancelled), book a
sales order in the ERP, release to the WMS (or the store, for click-and-collect), and on
shipment or collection capture the payment and post the delivery invoice. Each leg is
its own module (payment_leg, erp_leg, fulfilment, cancellation); this orchestrator
takes the order in and decides what follows an authorisation, which is where the legs
meet: a fresh authorisation releases the order, unless it was cancelled meanwhile (then
the authorisation is voided) or a cancellation waits for it; a decline cancels.

Compensations: a cancellation releases the reservation, voids the authorisation and
cancels the ERP sales order; a line the location cannot fill (oversold) is cancelled
alone and never charged. Facts about an order the hub has not seen yet (a cancellation
overtaking its order on the wire) are parked until the order arrives.
"""

from __future__ import annotations

from hub.adapters import marketplace
from hub.context import HubContext
from hub.messages import OrderReceived
from hub.model.order import Channel, FulfilmentLeg, Order, OrderLine, OrderStatus
from hub.model.sourcing import Part, partner_parts, plan
from hub.policy import SourcingPolicy
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, Ok
from hub.services.availability import AvailabilityService
from hub.services.cancellation import Cancellation
from hub.services.erp_leg import ErpLeg
from hub.services.fraud_leg import FraudLeg
from hub.services.fulfilment import Fulfilment
from hub.services.order_progress import Park, advance_order
from hub.services.payment_leg import OrderStep, PaymentLeg, fillable_cents
from hub.services.tax_leg import TaxLeg

# enum members read as globals: through their class, each read goes through
# EnumType.__getattr__'s hook on Python 3.11 (67 ns against 8), and every order passes
# here
_CANCELLED = OrderStatus.CANCELLED
_MARKETPLACE = Channel.MARKETPLACE
_RECEIVED = OrderStatus.RECEIVED
_ACCEPTED = OrderStatus.ACCEPTED


class OrderToCash:
    def __init__(
        self,
        ctx: HubContext,
        availability: AvailabilityService,
        erp_leg: ErpLeg,
        tax_leg: TaxLeg,
        fraud_leg: FraudLeg,
        park: Park,
    ) -> None:
        self._ctx = ctx
        self._availability = availability
        self._erp = erp_leg
        self._tax = tax_leg
        self.fraud = fraud_leg
        self.payment = PaymentLeg(ctx, erp_leg, self._authorised, self._declined)
        self.cancellation = Cancellation(ctx, availability, self.payment, erp_leg, park)
        self.fulfilment = Fulfilment(
            ctx, availability, self.payment, erp_leg, self.cancellation, park
        )
        #: told when an order's payment is captured or has finally failed (returns
        #: that came back before that wait for it)
        self.payment_settled: list[OrderStep] = self.payment.settled
        ctx.calls.register("acknowledge", self._on_acknowledged)
        # the seeded defects read once: the policy is fixed for the hub's life
        self._ack_first_only = ctx.policy.has_defect("ack_first_marketplace_only")
        self._drop_erp_orders = ctx.policy.has_defect("drop_erp_orders")
        #: the seeded defect `source_farthest` turns the distance round
        self._sign = -1 if ctx.policy.has_defect("source_farthest") else 1
        #: the default rule (the fullest DC, whole orders): decided once, not per order
        self._fullest_whole = ctx.policy.sourcing == SourcingPolicy()
        erp_leg.sales_order_booked.append(self._on_sales_order_booked)
        tax_leg.settled.append(self.payment.authorise)
        fraud_leg.cleared.append(self._cleared)
        fraud_leg.rejected.append(
            lambda order: self.cancellation.cancel(order, "rejected by fraud review")
        )

    # -- intake ------------------------------------------------------------------------

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
            # every field up to the promotion by position (short and shipped 0): a
            # class called with keywords gathers them in a dict first, a line each
            [
                OrderLine(
                    i + 1,
                    line.sku,
                    line.quantity,
                    line.unit_price_cents,
                    line.tax_cents,
                    0,
                    0,
                    line.list_price_cents,
                    line.promotion,
                )
                for i, line in enumerate(event.lines)
            ],
            pickup_store=event.pickup_store,
            # tax goes by where the goods are handed over: a pickup store's region
            region=ctx.topology.region_of.get(event.pickup_store, event.region),
            paid_by_channel=event.paid_by_channel,
            company_id=event.company_id,
            po_number=event.po_number,
            net_days=event.net_days,
            marketplace=event.marketplace,
        )
        order.advance(_RECEIVED, now, event.channel, True)
        ctx.orders[order_id] = order
        ctx.count("orders_received")
        self._reserve(order)
        if all(line.short_quantity == line.quantity for line in order.lines):
            self.cancellation.finish(order, "out of stock")
            return
        advance_order(ctx, order, _ACCEPTED, "hub")
        if order.channel == _MARKETPLACE and ctx.policy.marketplace_ack == "on_accept":
            self._acknowledge(order)
        if self._tax.enabled:  # the customer is charged once the tax is known
            self._tax.quote(order)
        else:
            self.payment.authorise(order)
        if self._drop_erp_orders and ctx.counters["orders_received"] % 50 == 0:
            return
        self._erp.book_sales_order(order)

    def _reserve(self, order: Order) -> None:
        """At the pickup store, or where the sourcing rule says (by default the DC that
        can fill the most; hub/model/sourcing.py); what cannot be reserved is short
        from the start."""
        if order.pickup_store:
            order.location = order.pickup_store
        elif self._drop_ships(order):
            self._source(order, partners=True)
        elif self._fullest_whole:
            order.location = self._availability.best_dc(
                [(line.sku, line.quantity) for line in order.lines]
            )
        else:
            self._source(order)
        for line in order.lines:
            where = order.location_of(line)
            granted = self._availability.reserve(line.sku, where, line.quantity)
            if granted < line.quantity:
                line.short_quantity = line.quantity - granted
                self._ctx.count("units_short_at_reservation", line.short_quantity)
                if order.on_account:
                    self._correct_view(line.sku, order.location)

    def _correct_view(self, sku: str, location: str) -> None:
        """A company's order takes whole lines from the store's availability, summed
        over the DCs; the one DC that fills it may hold fewer, and then nothing in the
        hub moves to correct the view the portal drew down: push the SKU again. (A web
        order short at reservation leaves the same gap, far more rarely; it is left as
        it was so every run without a B2B portal keeps its behaviour.)"""
        self._availability.touch(self._ctx.inventory.get(sku, location))

    def _drop_ships(self, order: Order) -> bool:
        """Whether a line's SKU is a drop-ship partner's (none without partners; the
        seeded defect `ship_partner_lines_from_dc` never asks, so the DCs get them)."""
        partner_of = self._ctx.topology.partner_skus
        if not partner_of or self._ctx.policy.has_defect("ship_partner_lines_from_dc"):
            return False
        return any(line.sku in partner_of for line in order.lines)

    def _source(self, order: Order, partners: bool = False) -> None:
        """Sourcing by the scenario's rule: one DC, or parts from several; with
        `partners`, each drop-ship partner's lines first go to it as a part of their
        own (hub/model/sourcing.py `partner_parts`) and the rule sources the rest."""
        ctx = self._ctx
        hops, region_of = ctx.topology.hops, ctx.topology.region_of
        sign = self._sign
        indices = list(range(len(order.lines)))
        drop_shipped: list[Part] = []
        if partners:
            skus = [line.sku for line in order.lines]
            indices, drop_shipped = partner_parts(skus, ctx.topology.partner_skus)
        parts = []
        if indices:
            planned = plan(
                ctx.policy.sourcing,
                [(order.lines[i].sku, order.lines[i].quantity) for i in indices],
                ctx.topology.warehouses,
                self._availability.fillable,
                lambda dc: sign * hops(region_of.get(dc, ""), order.region),
            )
            parts = [Part(p.location, tuple(indices[i] for i in p.lines)) for p in planned]
        parts += drop_shipped
        order.location = parts[0].location
        if len(parts) == 1:
            return
        for leg_no, part in enumerate(parts, start=1):
            for index in part.lines:
                order.lines[index].location = part.location
            order.legs.append(
                FulfilmentLeg(
                    leg_no, part.location, tuple(order.lines[i].line_no for i in part.lines)
                )
            )
        ctx.count("orders_split")

    # -- where the legs meet ---------------------------------------------------------------

    def _authorised(self, order: Order) -> None:
        if order.status == _CANCELLED:
            self.payment.void(order)
        elif self.fraud.needs_screening(order) and not order.cancel_requested:
            # the screen sees the authorised order before any warehouse or store does
            self.fraud.screen(order, fillable_cents(order))
        else:
            self._cleared(order)

    def _cleared(self, order: Order) -> None:
        """Authorised and past the fraud screen (or there is none): release it, unless
        the customer asked to cancel meanwhile."""
        if order.status == _CANCELLED:
            return
        if order.cancel_requested:
            self.cancellation.finish(order, "cancelled by customer")
        else:
            self.fulfilment.release(order)

    def _declined(self, order: Order) -> None:
        self.cancellation.cancel(order, "payment declined")

    def _on_sales_order_booked(self, order: Order) -> None:
        if order.channel == _MARKETPLACE and self._ctx.policy.marketplace_ack == "on_erp":
            self._acknowledge(order)

    # -- the marketplace's acknowledgement ---------------------------------------------

    def _acknowledge(self, order: Order) -> None:
        operation, body = marketplace.acknowledge(order.channel_order_id)
        system = order.marketplace_system
        if self._ack_first_only:  # the seeded defect: a hub that knows one marketplace
            system = self._ctx.topology.marketplaces[0]
        self._ctx.calls.submit(system, operation, body, order.order_id)

    def _on_acknowledged(self, call: Call, result: CallResult) -> None:
        """Only an acknowledgement the marketplace took counts against its window; one
        refused or dead-lettered leaves the order unacknowledged."""
        order = self._ctx.orders[call.key]
        if isinstance(result, Ok) and order.acked_at < 0:
            order.acked_at = self._ctx.clock.now()
