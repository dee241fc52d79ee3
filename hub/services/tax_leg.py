"""The tax leg: an order's tax at the tax engine, from the quote to the liability filed.

When the estate has a tax engine (`Topology.tax_engine`), the hub asks it for a quote
as it captures an order, and charges the customer the engine's tax rather than the
channel's flat-rate estimate. If the engine does not answer within
`tax_quote_wait_s`, the policy decides (`hub.tax_fallback`): `hold` keeps the order
waiting for the quote (nothing authorised, nothing released, however long the engine
takes), `estimate` goes on at the channel's estimate and lets the commit true the
liability up later. When the goods are delivered and paid for, the leg commits what left
the building (the liability the retailer files) before the invoice books it; when a
return is refunded, it reverses the returned goods' tax before the credit memo books it.
A reversal waits for its order's commit: the engine refuses to reverse what it never
filed.

The orchestrators listen: `settled` (the tax to charge is known: authorise),
`committed` (the liability is filed: invoice), `reversed` (the return's tax is
reversed: credit memo).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

from hub.adapters import tax
from hub.context import HubContext
from hub.model.order import Order, OrderStatus
from hub.model.returns import Return
from hub.model.tax import TaxState
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, DeadLettered, Ok, Rejected

#: the timer that ends an order's wait for its quote under the `estimate` fallback
QUOTE_DUE_TIMER = "tax_quote_due"

OrderStep = Callable[[Order], None]
ReturnStep = Callable[[Return], None]


class TaxLeg:
    def __init__(self, ctx: HubContext) -> None:
        self._ctx = ctx
        #: the estate has an engine: without one, the channel's tax is the tax
        self.enabled = ctx.topology.tax_engine
        self.settled: list[OrderStep] = []
        self.committed: list[OrderStep] = []
        self.reversed: list[ReturnStep] = []
        #: order id -> returns whose reversal waits for the order's commit
        self._awaiting_commit: dict[str, list[Return]] = {}
        #: orders whose commit, and returns whose reversal, was submitted: a second
        #: attempt to invoice or to credit must not send it again
        self._committing: set[str] = set()
        self._reversing: set[str] = set()
        ctx.calls.register("quote", self._on_quoted)
        ctx.calls.register("commit", self._on_committed)
        ctx.calls.register("reverse", self._on_reversed)

    # -- the quote ------------------------------------------------------------------

    def quote(self, order: Order) -> None:
        ctx = self._ctx
        order.tax_state = TaxState.QUOTING
        estimate = ctx.policy.tax_fallback == "estimate"
        # under `estimate` a failed quote is not worth a retry: the estimate takes its place
        ctx.calls.submit(tax.SYSTEM, "quote", tax.quote(order), order.order_id, disposable=estimate)
        if estimate:
            ctx.scheduler.call_later(ctx.policy.tax_quote_wait_s, (QUOTE_DUE_TIMER, order.order_id))

    def on_quote_due(self, order_id: str) -> None:
        """The engine did not answer in time: under `estimate`, go on without it."""
        order = self._ctx.orders.get(order_id)
        if order is not None and order.tax_state == TaxState.QUOTING:
            self._estimate(order)

    def _estimate(self, order: Order) -> None:
        order.tax_state = TaxState.ESTIMATED
        order.tax_estimated = True
        self._ctx.count("orders_taxed_at_estimate")
        self._settle(order)

    def _settle(self, order: Order) -> None:
        if order.status == OrderStatus.CANCELLED:
            return  # cancelled while it waited: nothing to authorise
        for listener in self.settled:
            listener(order)

    def _on_quoted(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        now = self._ctx.clock.now()
        match result:
            case Ok(body=body):
                order.clear("tax")
                if order.tax_state != TaxState.QUOTING:
                    self._ctx.count("tax_quotes_too_late")
                    return
                taxed = [line for line in order.lines if line.quantity > 0]
                for line, line_tax in zip(taxed, tax.line_taxes(body), strict=True):
                    line.tax_cents = line_tax
                order.tax_state = TaxState.QUOTED
                self._settle(order)
            case Rejected(reason=reason):
                # the engine will never quote this order: the estimate is all there is
                order.flag("tax", f"tax quote refused: {reason}", now)
                if order.tax_state == TaxState.QUOTING:
                    self._estimate(order)
            case DeadLettered(reason):
                if order.tax_state != TaxState.QUOTING:
                    return
                if self._ctx.policy.tax_fallback == "estimate":
                    self._estimate(order)
                else:  # held: a replay of the quote releases it
                    order.flag("tax", f"tax quote dead-lettered: {reason}", now)
            case _:
                assert_never(result)

    # -- the liability --------------------------------------------------------------

    def commit(self, order: Order) -> None:
        """File the delivered goods' tax; `committed` hears when it is done."""
        if order.order_id in self._committing:
            return
        self._committing.add(order.order_id)
        net = sum(line.unit_price_cents * line.shipped_quantity for line in order.lines)
        self._ctx.calls.submit(
            tax.SYSTEM, "commit", tax.commit(order, order.captured_cents - net), order.order_id
        )

    def _on_committed(self, call: Call, result: CallResult) -> None:
        order = self._ctx.orders[call.key]
        now = self._ctx.clock.now()
        match result:
            case Ok(body=body):
                order.clear("tax")
                if order.tax_state == TaxState.COMMITTED:
                    return
                order.tax_liability_cents = tax.total_tax(body)
                order.tax_state = TaxState.COMMITTED
                for listener in self.committed:
                    listener(order)
                for ret in self._awaiting_commit.pop(order.order_id, []):
                    self.reverse(ret)
            case Rejected(reason=reason):
                order.flag("tax", f"tax commit refused: {reason}", now)
            case DeadLettered(reason):
                order.flag("tax", f"tax commit dead-lettered: {reason}", now)
            case _:
                assert_never(result)

    def is_committed(self, order: Order) -> bool:
        return order.tax_state == TaxState.COMMITTED

    # -- returns --------------------------------------------------------------------

    def reverse(self, ret: Return) -> None:
        """Give back the returned goods' tax; `reversed` hears when it is done."""
        if ret.return_id in self._reversing:
            return
        order = self._ctx.orders.get(ret.order_id)
        if order is not None and order.tax_state != TaxState.COMMITTED:
            self._awaiting_commit.setdefault(order.order_id, []).append(ret)
            return
        self._reversing.add(ret.return_id)
        self._ctx.calls.submit(tax.SYSTEM, "reverse", tax.reverse(ret), ret.return_id)

    def _on_reversed(self, call: Call, result: CallResult) -> None:
        ret = self._ctx.returns[call.key]
        now = self._ctx.clock.now()
        match result:
            case Ok(body=body):
                ret.clear("tax")
                if ret.tax_reversed_cents >= 0:
                    return
                ret.tax_reversed_cents = tax.total_tax(body)
                for listener in self.reversed:
                    listener(ret)
            case Rejected(reason=reason):
                ret.flag("tax", f"tax reversal refused: {reason}", now)
            case DeadLettered(reason):
                ret.flag("tax", f"tax reversal dead-lettered: {reason}", now)
            case _:
                assert_never(result)
