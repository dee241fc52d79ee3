"""What the live controls ask about the hub's progress with an order or a return, from
wherever it can be known: the built-in hub's own aggregates, or, for a hub in another
process, the records it left in the systems it drives.

Why the controls ask here: an order placed through the API is answered once the hub
has taken it, a cancellation is refused once the order is picked, a return once the
order has not been delivered. The built-in hub can be asked; an external hub cannot,
but everything it does that matters leaves a record (scenarios/checking/traces.py), so
the same questions are answered from those, as the checker judges it.
"""

from __future__ import annotations

from typing import Protocol

from hub.model.order import OrderStatus
from hub.model.returns import ReturnStatus
from scenarios.checking.ground_orders import GroundAggregates, channel_of
from scenarios.checking.traces import left_a_trace
from scenarios.twin.run_result import RunResult


class HubFacts(Protocol):
    def order_status(self, order_id: str) -> OrderStatus | None:
        """How far the order got; None for an order the hub has no record of."""
        ...

    def delivered(self, order_id: str) -> dict[str, int]:
        """Units of each SKU of the order that reached the customer."""
        ...

    def took_order(self, order_id: str) -> bool:
        """The hub has taken the order (it has acted on it)."""
        ...

    def cancel_heard(self, order_id: str) -> bool:
        """The hub has acted on a cancellation request: the order is cancelled, or
        too far gone to be."""
        ...

    def took_return(self, return_id: str) -> bool:
        """The hub has taken the return."""
        ...

    def return_rejected(self, return_id: str) -> bool:
        """The hub refused the return (it then claims none of the order's units)."""
        ...


class InProcessFacts:
    """The built-in hub's answers, read from its aggregates."""

    def __init__(self, result: RunResult) -> None:
        self._result = result

    def order_status(self, order_id: str) -> OrderStatus | None:
        order = self._result.estate.hub.ctx.orders.get(order_id)  # a crash replaces the hub
        return None if order is None else order.status

    def delivered(self, order_id: str) -> dict[str, int]:
        order = self._result.estate.hub.ctx.orders[order_id]
        return {line.sku: line.shipped_quantity for line in order.lines}

    def took_order(self, order_id: str) -> bool:
        return order_id in self._result.estate.hub.ctx.orders

    def cancel_heard(self, order_id: str) -> bool:
        order = self._result.estate.hub.ctx.orders[order_id]
        return order.cancel_requested or order.status is OrderStatus.CANCELLED

    def took_return(self, return_id: str) -> bool:
        return return_id in self._result.estate.hub.ctx.returns

    def return_rejected(self, return_id: str) -> bool:
        ret = self._result.estate.hub.ctx.returns.get(return_id)
        return ret is not None and ret.status is ReturnStatus.REJECTED


class GroundFacts:
    """An external hub's progress, read from the records it left in the systems."""

    def __init__(self, result: RunResult) -> None:
        self._result = result
        self._aggregates = GroundAggregates(result)

    def order_status(self, order_id: str) -> OrderStatus | None:
        channel = channel_of(self._result, order_id)
        if channel is None:
            return None
        return self._aggregates.status(channel.orders[order_id])

    def delivered(self, order_id: str) -> dict[str, int]:
        channel = channel_of(self._result, order_id)
        if channel is None:
            return {}
        placed = channel.orders[order_id]
        got = self._aggregates.delivered(placed)
        return {sku: got.get(sku, 0) for sku, _, _, _ in placed.lines}

    def took_order(self, order_id: str) -> bool:
        channel = channel_of(self._result, order_id)
        if channel is None:
            return False
        authorisations = self._result.estate.payment.authorizations.values()
        return left_a_trace(
            self._result,
            channel.orders[order_id],
            any(auth.reference == order_id for auth in authorisations),
        )

    def cancel_heard(self, order_id: str) -> bool:
        status = self.order_status(order_id)
        return status is not None and (
            status is OrderStatus.CANCELLED or status >= OrderStatus.PICKED
        )

    def took_return(self, return_id: str) -> bool:
        estate = self._result.estate
        return return_id in estate.wms.returns or any(
            return_id in channel.return_statuses
            for channel in (estate.storefront, *estate.marketplaces)
        )

    def return_rejected(self, return_id: str) -> bool:
        estate = self._result.estate
        return any(
            notice.status == ReturnStatus.REJECTED.label
            for channel in (estate.storefront, *estate.marketplaces)
            for notice in channel.return_statuses.get(return_id, ())
        )


def facts_for(result: RunResult) -> HubFacts:
    """The built-in hub's own answers when it runs in this process, else the systems'."""
    if result.estate.external_hub is not None:
        return GroundFacts(result)
    return InProcessFacts(result)
