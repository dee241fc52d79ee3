"""Return to refund: goods back, money back, books corrected.

A return requested online is authorised against what actually shipped, expected at a
DC, received, inspected (resellable goods restocked, damaged ones quarantined), refunded
to the original payment and closed with a credit memo in the ERP. A return over a store
counter is received and inspected on the spot; a store sale is refunded at the till,
while a web order returned in store is refunded to its card through the gateway. Either
way the refund waits for the goods: refunding first is a policy a scenario may choose,
never an accident.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

from hub.adapters import marketplace, payment, wms
from hub.context import HubContext
from hub.messages import InboundEvent, LineIn, ReturnInspected, ReturnReceived, ReturnRequested
from hub.model.order import FULFILLED, Channel, Order, OrderLine
from hub.model.payment import PaymentState, RefundState
from hub.model.returns import Return, ReturnLine, ReturnStatus
from hub.model.tax import TaxState
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, DeadLettered, Ok, Rejected
from hub.services.availability import AvailabilityService
from hub.services.channel_updates import notify_return
from hub.services.erp_leg import ErpLeg


class ReturnToRefund:
    def __init__(
        self,
        ctx: HubContext,
        availability: AvailabilityService,
        erp_leg: ErpLeg,
        park: Callable[[str, InboundEvent], None],
    ) -> None:
        self._ctx = ctx
        self._availability = availability
        self._erp = erp_leg
        self._park = park
        #: order id -> returns received before the order's payment was captured
        self._awaiting_capture: dict[str, list[Return]] = {}
        ctx.calls.register("expect_return", self._on_expected)
        ctx.calls.register("refund", self._on_refunded)
        ctx.calls.register("refund_return", self._on_refunded)
        erp_leg.credit_memo_booked.append(self._on_credit_memo_booked)

    def _advance(self, ret: Return, status: ReturnStatus, source: str) -> None:
        if ret.advance(status, self._ctx.clock.now(), source, self._ctx.policy.ordering):
            notify_return(self._ctx, ret)

    def _reject(self, ret: Return, reason: str) -> None:
        ret.flag("request", reason, self._ctx.clock.now())
        self._ctx.returns[ret.return_id] = ret
        self._advance(ret, ReturnStatus.REJECTED, "hub")

    # -- requested online ------------------------------------------------------------

    def on_requested(self, event: ReturnRequested) -> None:
        ctx = self._ctx
        if event.return_id in ctx.returns and ctx.policy.idempotency:
            return
        order = ctx.orders.get(event.order_id)
        if order is None:
            self._park(event.order_id, event)
            return
        ret = Return(event.return_id, order.order_id, event.channel, event.at, [])
        ret.advance(ReturnStatus.REQUESTED, ctx.clock.now(), event.channel, True)
        if order.status not in FULFILLED:
            self._reject(ret, f"order {order.order_id} is {order.status.label}, not delivered")
            return
        # units already accepted back are counted on the order's first line of the SKU
        # (`OrderLine.returned_quantity`), so they leave memory with the archived order
        asked: dict[str, int] = {}  # a SKU listed twice in one request counts twice
        counted: list[tuple[OrderLine, int]] = []
        for wanted in event.lines:
            line = _first_line(order, wanted.sku)
            if line is None or wanted.quantity > (
                line.shipped_quantity - line.returned_quantity - asked.get(wanted.sku, 0)
            ):
                self._reject(ret, f"{wanted.sku}: {wanted.quantity} not returnable")
                return
            asked[wanted.sku] = asked.get(wanted.sku, 0) + wanted.quantity
            counted.append((line, wanted.quantity))
            ret.lines.append(
                ReturnLine(
                    wanted.sku,
                    wanted.quantity,
                    line.unit_price_cents * wanted.quantity,
                    line.tax_cents * wanted.quantity // line.quantity,
                )
            )
        for line, quantity in counted:
            line.returned_quantity += quantity
        # goods go back to the DC that shipped them (a split order's line, its part's)
        shipped_from = order.location
        if order.legs and ret.lines:
            first = next((line for line in order.lines if line.sku == ret.lines[0].sku), None)
            shipped_from = order.location if first is None else order.location_of(first)
        ret.location = shipped_from if shipped_from in ctx.topology.dcs else ctx.topology.dcs[0]
        ctx.returns[ret.return_id] = ret
        self._advance(ret, ReturnStatus.AUTHORISED, "hub")
        ctx.calls.submit(
            "wms",
            "expect_return",
            wms.expect_return(
                ret.return_id,
                order.order_id,
                ret.location,
                [(line.sku, line.quantity) for line in ret.lines],
            ),
            ret.return_id,
        )
        if ctx.policy.has_defect("refund_before_receipt"):
            self._refund(ret)

    def _on_expected(self, call: Call, result: CallResult) -> None:
        ret = self._ctx.returns[call.key]
        match result:
            case Ok():
                ret.clear("wms")
            case Rejected(reason=reason) | DeadLettered(reason=reason):
                ret.flag("wms", f"WMS refused return: {reason}", self._ctx.clock.now())
            case _:
                assert_never(result)

    # -- goods back ------------------------------------------------------------------

    def on_received(self, event: ReturnReceived) -> None:
        ctx = self._ctx
        self._availability.apply_reports(event.stock)
        if event.grade:  # over a store counter: received and inspected at once
            self._received_in_store(event)
            return
        ret = ctx.returns.get(event.return_id)
        if ret is None:
            self._park(event.return_id, event)
            return
        if ret.received_at < 0:
            ret.received_at = event.at
        self._advance(ret, ReturnStatus.RECEIVED, "wms")

    def _received_in_store(self, event: ReturnReceived) -> None:
        ctx = self._ctx
        if event.return_id in ctx.returns and ctx.policy.idempotency:
            return
        if ctx.policy.has_defect("forget_returns"):
            ctx.count("returns_forgotten")
            if ctx.counters["returns_forgotten"] % 20 == 1:
                return
        ret_id = event.return_id
        if ret_id in ctx.returns:
            ret_id = f"{ret_id}#{len(ctx.returns)}"
        ret = Return(
            ret_id,
            event.order_id,
            event.channel or Channel.STORE,
            event.at,
            [
                ReturnLine(
                    line.sku, line.quantity, line.unit_price_cents, self._tax_back(event, line)
                )
                for line in event.lines
            ],
            location=event.location,
            received_at=event.at,
            grade=event.grade,
            disposition="restock" if event.grade == "resellable" else "quarantine",
        )
        ret.advance(ReturnStatus.RECEIVED, ctx.clock.now(), "pos", True)
        ctx.returns[ret_id] = ret
        self._heard_goods_back(ret, event)
        # goods of an order back over a counter cannot be asked back again online (the
        # order is in memory already when there are lines: `_tax_back` looked it up)
        order = ctx.orders.get(event.order_id) if ret.lines else None
        if order is not None:
            for ret_line in ret.lines:
                line = _first_line(order, ret_line.sku)
                if line is not None:  # a SKU the order lacks can never be asked back
                    line.returned_quantity += ret_line.quantity
        self._advance(ret, ReturnStatus.INSPECTED, "pos")
        if event.refunded_at_till_cents:
            ret.refund_state = RefundState.AT_TILL
            ret.refunded_at = event.at
            self._advance(ret, ReturnStatus.REFUNDED, "pos")
            self._erp.post_credit_memo(ret)
        else:
            self._refund(ret)

    def _tax_back(self, event: ReturnReceived, line: LineIn) -> int:
        """The tax a line brought back over a counter refunds: what the order charged
        for it when a tax engine set the order's tax (the till only knows the channel's
        estimate), else what the till says."""
        order = self._ctx.orders.get(event.order_id)
        if order is None or order.tax_state == TaxState.NONE or event.refunded_at_till_cents:
            return line.tax_cents
        charged = next((ol for ol in order.lines if ol.sku == line.sku), None)
        if charged is None:
            return line.tax_cents
        return charged.tax_cents * line.quantity // charged.quantity

    def on_inspected(self, event: ReturnInspected) -> None:
        self._availability.apply_reports(event.stock)
        ret = self._ctx.returns.get(event.return_id)
        if ret is None:
            self._park(event.return_id, event)
            return
        if ret.grade and self._ctx.policy.idempotency:
            return
        ret.grade = event.grade
        ret.disposition = "restock" if event.grade == "resellable" else "quarantine"
        self._heard_goods_back(ret, event)
        self._advance(ret, ReturnStatus.INSPECTED, "wms")
        self._refund(ret)

    def _heard_goods_back(self, ret: Return, event: ReturnReceived | ReturnInspected) -> None:
        """The goods are back on the location's books (resellable or quarantined): the
        credit memo will put them back into the ERP's stock."""
        self._erp.ledger.heard(
            event.stock, [(line.sku, ret.location, line.quantity) for line in ret.lines]
        )

    # -- money and books ------------------------------------------------------------------

    def _refund(self, ret: Return) -> None:
        if (
            ret.refund_state
            in (RefundState.PENDING, RefundState.REFUNDED, RefundState.AWAITING_CAPTURE)
            and self._ctx.policy.idempotency
        ):
            return
        order = self._ctx.orders.get(ret.order_id)
        if order is None or not (order.payment_auth_id or order.paid_by_channel):
            ret.flag(
                "refund", f"no card payment found for order {ret.order_id}", self._ctx.clock.now()
            )
            return
        if (
            order.payment_state in (PaymentState.DECLINED, PaymentState.FAILED)
            and order.status in FULFILLED
        ):
            # the goods left but the payment finally failed (a re-authorisation declined,
            # a capture refused): no money was taken, so none goes back; the goods are
            # still booked back into stock. Waiting for a capture would wait for ever.
            ret.refund_state = RefundState.NOT_CHARGED
            self._erp.post_credit_memo(ret, with_money=False)
            return
        if order.payment_state != PaymentState.CAPTURED:
            # the goods can come back before the hub hears they left (a lost
            # "collected" message is redelivered half an hour later): money can only go
            # back once it has been taken, so the refund waits for the capture
            ret.refund_state = RefundState.AWAITING_CAPTURE
            self._awaiting_capture.setdefault(order.order_id, []).append(ret)
            return
        ret.refund_state = RefundState.PENDING
        if order.paid_by_channel:  # the channel refunds its buyer, once per return
            operation, body = marketplace.refund_return(
                order.channel_order_id, ret.return_id, ret.refund_total_cents
            )
            self._ctx.calls.submit(order.marketplace_system, operation, body, ret.return_id)
            return
        key = f"refund:{ret.return_id}" if self._ctx.policy.idempotency else None
        self._ctx.calls.submit(
            payment.SYSTEM,
            "refund",
            payment.refund(order.payment_auth_id, ret.refund_total_cents, ret.return_id, key),
            ret.return_id,
        )

    def on_payment_settled(self, order: Order) -> None:
        """The order's payment was captured, or finally failed: returns waiting for it
        are refunded now, or, if no money was ever taken, closed in the books with the
        goods back and nothing to pay out."""
        waiting = self._awaiting_capture.pop(order.order_id, None)
        if not waiting:
            return
        for ret in waiting:
            ret.refund_state = RefundState.NONE
            if order.payment_state == PaymentState.CAPTURED:
                self._refund(ret)
            else:
                ret.refund_state = RefundState.NOT_CHARGED
                self._erp.post_credit_memo(ret, with_money=False)

    def _on_refunded(self, call: Call, result: CallResult) -> None:
        """Only a refund the gateway made is one: a dead-lettered refund may be
        replayed and go through yet, and until then the return waits, unrefunded, in
        the exception queue."""
        ret = self._ctx.returns[call.key]
        match result:
            case Ok(body=body):
                self._refunded(ret, str(body["id"]))
            case Rejected(reason=reason):
                ret.refund_state = RefundState.FAILED
                ret.flag("refund", f"refund failed: {reason}", self._ctx.clock.now())
            case DeadLettered(reason):
                ret.refund_state = RefundState.FAILED
                ret.flag("refund", f"refund dead-lettered: {reason}", self._ctx.clock.now())
            case _:
                assert_never(result)

    def _refunded(self, ret: Return, refund_id: str) -> None:
        if ret.refund_state == RefundState.REFUNDED:
            self._ctx.count("duplicate_refunds")
            return
        ret.clear("refund")
        ret.refund_state = RefundState.REFUNDED
        ret.refund_id = refund_id
        ret.refunded_at = self._ctx.clock.now()
        self._advance(ret, ReturnStatus.REFUNDED, "payment")
        self._erp.post_credit_memo(ret)

    def _on_credit_memo_booked(self, ret: Return) -> None:
        """The books agree with the money: the return is done."""
        self._advance(ret, ReturnStatus.CLOSED, "erp")


def _first_line(order: Order, sku: str) -> OrderLine | None:
    """The order's first line of `sku`: what a return of it is judged against and
    counted on."""
    for line in order.lines:
        if line.sku == sku:
            return line
    return None
