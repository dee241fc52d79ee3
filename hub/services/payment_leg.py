"""The payment leg: an order's money at the gateway.

The hub authorises the fillable value when it accepts an order, captures what actually
left the building when it ships or is collected, and voids the authorisation when the
order is cancelled. An authorisation expires: a capture that finds it expired
re-authorises and captures again, a few times, before the order goes to the exception
queue for a person to chase the payment. Every money movement carries an idempotency
key, so a retry is never a second charge; a capture after a re-authorisation is keyed
by the new authorisation, because it is a new request, not a retry.

An order a channel took the money for (a settling marketplace) never meets the
gateway: it counts as authorised on arrival, its "capture" is the shipment confirmed to
the channel, which charges the buyer that much, and there is nothing to void.

A company's order on payment terms (the B2B portal) never meets the gateway either: it
counts as authorised on arrival (its terms are its credit), on shipment it is invoiced
on account (`PaymentState.ON_ACCOUNT`: the sale is booked against the trade receivable,
hub/services/receivables.py applies the company's payment later), and there is nothing
to void. The seeded defect `capture_b2b_on_card` ignores the terms and takes it through
the gateway like a web order.

What follows an authorisation (release, or the compensations of a cancellation) is the
orchestrator's decision; the leg tells it. Whoever waits for the payment to settle (a
return that came back before the capture) listens on `settled`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

from hub.adapters import marketplace, payment
from hub.context import HubContext
from hub.model.order import Order
from hub.model.payment import PaymentState
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, DeadLettered, Ok, Rejected
from hub.services.erp_leg import ErpLeg

# enum members read as globals on every order's authorisation and capture: through
# their class each read goes through EnumType.__getattr__'s hook on Python 3.11 (67 ns
# against 8)
_AUTHORISED = PaymentState.AUTHORISED
_CAPTURED = PaymentState.CAPTURED
_ON_ACCOUNT = PaymentState.ON_ACCOUNT

#: re-authorisations tried when a capture finds the authorisation expired, before the
#: order goes to the exception queue for a person to chase the payment
MAX_REAUTHORISATIONS = 3

OrderStep = Callable[[Order], None]


def fillable_cents(order: Order) -> int:
    """What the customer will owe if every unit reserved ships, tax included."""
    total = 0
    for line in order.lines:
        fillable = line.quantity - line.short_quantity
        if fillable > 0:
            tax = line.tax_cents * fillable // line.quantity
            total += line.unit_price_cents * fillable + tax
    return total


class PaymentLeg:
    def __init__(
        self,
        ctx: HubContext,
        erp_leg: ErpLeg,
        authorised: OrderStep,
        declined: OrderStep,
    ) -> None:
        """`authorised` and `declined` are told the outcome of an order's first
        authorisation (a re-authorisation is the leg's own business)."""
        self._ctx = ctx
        self._erp = erp_leg
        self._authorised = authorised
        self._declined = declined
        #: told when an order's payment is captured or has finally failed
        self.settled: list[OrderStep] = []
        self._park_expired = ctx.policy.has_defect("park_expired_authorisations")
        self._card_for_all = ctx.policy.has_defect("capture_b2b_on_card")
        ctx.calls.register("authorize", self._on_authorized)
        ctx.calls.register("capture", self._on_captured)
        ctx.calls.register("confirm_shipment", self._on_captured)
        ctx.calls.register("void", self._on_voided)

    def _key(self, name: str) -> str | None:
        """An idempotency key for a money movement, unless idempotency is off."""
        return name if self._ctx.policy.idempotency else None

    def _on_terms(self, order: Order) -> bool:
        """Whether the order is invoiced on account rather than charged (B2B)."""
        return order.on_account and not self._card_for_all

    def _settled(self, order: Order) -> None:
        for listener in self.settled:
            listener(order)

    # -- authorisation -----------------------------------------------------------------

    def authorise(self, order: Order) -> None:
        order_id = order.order_id
        if order.paid_by_channel or self._on_terms(order):
            # the channel holds the buyer's money already, or the company's terms are
            # its credit: nothing to hold at the gateway
            order.payment_state = _AUTHORISED
            self._authorised(order)
            return
        self._ctx.calls.submit(
            payment.SYSTEM,
            "authorize",
            payment.authorize(order_id, fillable_cents(order), self._key(f"auth:{order_id}")),
            order_id,
        )

    def _reauthorise(self, order: Order) -> None:
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

    def _on_authorized(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        reauth = bool(call.context.get("reauth"))
        match result:
            case Ok(body=body):
                order.clear("payment")
                order.payment_auth_id = str(body["id"])
                order.payment_state = _AUTHORISED
                if reauth:
                    self.capture(order)
                else:
                    self._authorised(order)
            case Rejected():
                order.payment_state = PaymentState.DECLINED
                if reauth:
                    order.flag(
                        "payment",
                        "payment re-authorisation declined after fulfilment",
                        self._ctx.clock.now(),
                    )
                    self._erp.post_delivery(order, with_money=False)
                    self._settled(order)
                else:
                    self._declined(order)
            case DeadLettered(reason):
                order.flag(
                    "payment",
                    f"payment authorisation dead-lettered: {reason}",
                    self._ctx.clock.now(),
                )
            case _:
                assert_never(result)

    # -- capture -----------------------------------------------------------------------

    def capture(self, order: Order) -> None:
        amount = order.fulfilled_cents()
        if self._on_terms(order):
            self._invoice_on_account(order, amount)
            return
        if order.paid_by_channel:
            operation, body = marketplace.confirm_shipment(order.channel_order_id, amount)
            self._ctx.calls.submit(
                order.marketplace_system, operation, body, order.order_id, {"amount": amount}
            )
            return
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

    def _invoice_on_account(self, order: Order, amount: int) -> None:
        """What shipped is invoiced on the company's account: no money moves now."""
        if order.payment_state == _ON_ACCOUNT:
            return
        order.clear("payment")
        order.payment_state = _ON_ACCOUNT
        order.captured_cents = amount
        self._ctx.count("orders_invoiced_on_account")
        self._erp.post_delivery(order, with_money=True)
        self._settled(order)

    def _on_captured(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        match result:
            case Ok(body=body):
                if order.payment_state == _CAPTURED:
                    self._ctx.count("duplicate_captures")
                    return
                if order.paid_by_channel:  # the channel's charge is the order's payment
                    order.payment_auth_id = str(body.get("id", ""))
                order.clear("payment")
                order.payment_state = _CAPTURED
                order.captured_cents = int(call.context["amount"])
                self._erp.post_delivery(order, with_money=True)
                self._settled(order)
            case Rejected(reason=reason):
                self._capture_refused(order, reason)
            case DeadLettered(reason):
                # the capture may be replayed yet: the order waits, uncharged, in the
                # exception queue, and nothing is invoiced
                order.flag("payment", f"capture dead-lettered: {reason}", self._ctx.clock.now())
            case _:
                assert_never(result)

    def _capture_refused(self, order: Order, reason: str) -> None:
        if reason == "authorization_expired" and self._park_expired:
            order.flag("payment", "authorisation expired before capture", self._ctx.clock.now())
            return  # the seeded defect: queued for a person, neither charged nor invoiced
        if reason == "authorization_expired" and order.reauthorisations < MAX_REAUTHORISATIONS:
            self._reauthorise(order)
            return
        if order.payment_state == _CAPTURED:
            return  # a duplicate capture refused by the gateway
        order.payment_state = PaymentState.FAILED
        order.flag("payment", f"capture failed: {reason}", self._ctx.clock.now())
        self._erp.post_delivery(order, with_money=False)
        self._settled(order)

    # -- void --------------------------------------------------------------------------

    def void(self, order: Order) -> None:
        """Release the authorisation of an order that will not ship."""
        if order.payment_state != _AUTHORISED:
            return
        if order.paid_by_channel or self._on_terms(order):  # nothing held at our gateway
            order.payment_state = PaymentState.VOIDED
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
                order.flag("payment", f"void failed: {reason}", self._ctx.clock.now())
            case DeadLettered(reason):
                order.flag("payment", f"void dead-lettered: {reason}", self._ctx.clock.now())
            case _:
                assert_never(result)
