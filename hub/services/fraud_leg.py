"""The fraud leg: an authorised order past the fraud screen before it is released.

When the estate has a fraud screen (`Topology.fraud_screen`), an authorised order goes
to it before the warehouse or the store hears of it. `accept` clears it; `review` holds
it until the screen's analyst decides, which comes as a message: an approval clears it,
a rejection cancels it with everything undone (the orchestrator's cancellation voids
the authorisation, releases the stock and cancels the ERP sales order). A decision can
overtake the screen's own answer on the wire (a slow screen, a retry): it is kept and
applied when the answer comes. The seeded defect `release_before_review` releases a
held order at once, which the checker must catch from the warehouse's and the stores'
records; `drop_review_decisions` loses every tenth decision, leaving its order held.

The orchestrator listens: `cleared` (release it), `rejected` (cancel it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

from hub.adapters import fraud
from hub.context import HubContext
from hub.messages import ReviewDecided
from hub.model.fraud import ReviewState
from hub.model.order import Order, OrderStatus
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, DeadLettered, Ok, Rejected

OrderStep = Callable[[Order], None]
Park = Callable[[str, ReviewDecided], None]


class FraudLeg:
    def __init__(self, ctx: HubContext, park: Park) -> None:
        self._ctx = ctx
        self._park = park
        self.enabled = ctx.topology.fraud_screen
        self.cleared: list[OrderStep] = []
        self.rejected: list[OrderStep] = []
        #: order id -> an analyst's decision heard before the screen's answer
        self._early: dict[str, ReviewDecided] = {}
        self._release_early = ctx.policy.has_defect("release_before_review")
        self._drop_decisions = ctx.policy.has_defect("drop_review_decisions")
        ctx.calls.register("screen", self._on_screened)

    def needs_screening(self, order: Order) -> bool:
        return self.enabled and order.review_state == ReviewState.NONE

    def screen(self, order: Order, amount_cents: int) -> None:
        order.review_state = ReviewState.SCREENING
        self._ctx.calls.submit(
            fraud.SYSTEM, "screen", fraud.screen(order, amount_cents), order.order_id
        )

    def _on_screened(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        now = self._ctx.clock.now()
        match result:
            case Ok(body=body):
                order.clear("fraud")
                if order.review_state != ReviewState.SCREENING:
                    return  # a duplicate answer
                if not fraud.held_for_review(body):
                    self._clear(order, ReviewState.CLEARED)
                    return
                order.review_state = ReviewState.IN_REVIEW
                order.review_case = str(body.get("case_id", ""))
                self._ctx.count("orders_held_for_review")
                early = self._early.pop(order.order_id, None)
                if early is not None:
                    self._decided(order, early)
                elif self._release_early:  # the seeded defect: ships it regardless
                    self._notify(self.cleared, order)
            case Rejected(reason=reason):
                order.flag("fraud", f"fraud screen refused the order: {reason}", now)
            case DeadLettered(reason):
                order.flag("fraud", f"fraud screen dead-lettered: {reason}", now)
            case _:
                assert_never(result)

    def on_review_decided(self, event: ReviewDecided) -> None:
        if self._drop_decisions:  # the seeded defect: every tenth decision is lost
            self._ctx.count("review_decisions_dropped")
            if self._ctx.counters["review_decisions_dropped"] % 10 == 1:
                return
        order = self._ctx.orders.get(event.order_id)
        if order is None:
            self._park(event.order_id, event)
            return
        if order.review_state == ReviewState.SCREENING:
            self._early[order.order_id] = event
            return
        if order.review_state != ReviewState.IN_REVIEW:
            return  # a duplicate, or news about an order cancelled meanwhile
        self._decided(order, event)

    def _decided(self, order: Order, event: ReviewDecided) -> None:
        order.review_decided_at = self._ctx.clock.now()
        if event.approved:
            self._clear(order, ReviewState.APPROVED)
            return
        order.review_state = ReviewState.REJECTED
        self._ctx.count("orders_rejected_in_review")
        self._notify(self.rejected, order)

    def _clear(self, order: Order, state: ReviewState) -> None:
        order.review_state = state
        if order.status != OrderStatus.CANCELLED and not order.release_submitted:
            self._notify(self.cleared, order)

    @staticmethod
    def _notify(listeners: list[OrderStep], order: Order) -> None:
        for listener in listeners:
            listener(order)
