"""Drop-ship partners: their acknowledgements of the hub's purchase orders, and their
stock feeds.

A part of an order released to a partner (hub/services/fulfilment.py; the partner's
API is a system of its own, `Topology.partners`) must be acknowledged within the
partner's window. One that is not (the PO lost at the partner's desk, or the desk
slow) is flagged in the exception queue (the order's own `partner` facet, until the
partner acknowledges it) and sent again, each window until it is acknowledged or
settled: never left to wait for nothing. A partner that has the PO already answers
409, which is as good as its 202. The seeded defect `ignore_partner_ack_window` arms
no window, so a PO the partner lost is never sent again. The stock feed is each
partner's whole stock, applied as any stock report is (older than what the hub has:
ignored).
"""

from __future__ import annotations

from typing import Any

from hub.adapters import wms
from hub.context import HubContext
from hub.messages import PurchaseOrderAcknowledged, StockFeedReceived
from hub.model.order import FINAL, Order
from hub.services.availability import AvailabilityService
from hub.services.fulfilment import Fulfilment

ACK_TIMER = "partner_ack_due"
#: the exception queue's facet of a PO a partner has not acknowledged: its own, so the
#: partner's answer to the PO sent again (which clears `fulfilment`) does not settle it
FACET = "partner"


def _key(order_id: str, leg: int) -> str:
    return f"{order_id}#{leg}"


class DropShip:
    def __init__(
        self, ctx: HubContext, availability: AvailabilityService, fulfilment: Fulfilment
    ) -> None:
        self._ctx = ctx
        self._availability = availability
        #: (order, part) key -> when its partner acknowledged the PO
        self.acked: dict[str, float] = {}
        fulfilment.released_to_partner.append(self.on_released)

    def on_released(self, order: Order, leg_no: int) -> None:
        """The partner took the PO (202, or 409: it had it): wait its window for the
        acknowledgement."""
        ctx = self._ctx
        if _key(order.order_id, leg_no) in self.acked or ctx.policy.has_defect(
            "ignore_partner_ack_window"
        ):
            return
        window = ctx.topology.partner_ack_window_s.get(_location(order, leg_no), 0.0)
        if window > 0:
            ctx.scheduler.call_later(window, (ACK_TIMER, (order.order_id, leg_no)))

    def on_ack_due(self, payload: Any) -> None:
        order_id, leg_no = str(payload[0]), int(payload[1])
        ctx = self._ctx
        order = ctx.orders.get(order_id)
        if order is None or _key(order_id, leg_no) in self.acked or order.status in FINAL:
            return
        leg = order.leg(leg_no) if order.legs else None
        if (leg.settled if leg is not None else bool(order.shipment_id)) or order.cancel_requested:
            return
        location = _location(order, leg_no)
        system = ctx.topology.system_of(location)
        ctx.count("partner_acks_overdue")
        order.flag(FACET, f"{system} has not acknowledged the PO", ctx.clock.now())
        lines = [line for line in order.lines if leg is None or line.line_no in leg.line_nos]
        ctx.calls.submit(
            system,
            "release_order",
            wms.release_order(order_id, location, lines, leg_no),
            order_id,
        )

    def on_acknowledged(self, event: PurchaseOrderAcknowledged) -> None:
        self.acked.setdefault(_key(event.order_id, event.leg), event.at)
        self._ctx.count("partner_acks")
        order = self._ctx.orders.get(event.order_id)
        if order is not None and not self._overdue(order):
            order.clear(FACET)

    def on_stock_feed(self, event: StockFeedReceived) -> None:
        self._availability.apply_reports(event.stock)

    def _overdue(self, order: Order) -> bool:
        """Whether another of the order's partner parts still waits for its PO's
        acknowledgement (only those flag the facet)."""
        partners = self._ctx.topology.partners
        return any(
            leg.location in partners
            and leg.release_submitted
            and not leg.settled
            and _key(order.order_id, leg.leg_no) not in self.acked
            for leg in order.legs
        ) and bool(order.exceptions and FACET in order.exceptions)


def _location(order: Order, leg_no: int) -> str:
    leg = order.leg(leg_no) if order.legs else None
    return leg.location if leg is not None else order.location
