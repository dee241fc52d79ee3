"""A settling marketplace's payouts and money, for a hub that cannot be read (an
external one): rebuilt from the marketplace payments desk's and the ERP's records.

The built-in hub's projector shows each payout as the hub reconciles it. A hub in
another process keeps its matching to itself, so only what it left in the systems is
shown: a payout whose report the marketplace has sent is there; if the ERP booked it,
it is `booked`, each line applied as the ERP holds it, with the ERP's document and the
time the ERP booked it; otherwise it is `reported`, its lines unmatched (no applied
amount), since which lines such a hub has matched is its own. A payout whose report has
not left the marketplace is in no hub's hands and is not shown. The time a payout was
"received" is the time its report was sent (the webhook's delivery is the network's).

An order the marketplace collects is, as for the built-in hub, paid by its channel:
captured once the desk has charged the buyer, and refunded by the desk's refunds.
"""

from __future__ import annotations

from hub.messages import PayoutLineIn
from hub.model.order import Order, OrderStatus
from hub.model.payment import PaymentState
from hub.model.settlement import Payout, PayoutLine, PayoutStatus
from scenarios.twin.projection.cross_system import GatewayIndex
from scenarios.twin.run_result import RunResult
from simulators import settlement
from simulators.erp import SettlementBooking


def _rebuilt(
    paid: settlement.Payout, booking: SettlementBooking | None, marketplace: str
) -> Payout:
    lines = [
        PayoutLine(
            PayoutLineIn(
                line.line_id, line.kind.value, line.order_ref, line.return_id, line.reported_cents
            ),
            None if booking is None else booking.applied.get(line.line_id),
        )
        for line in paid.lines
    ]
    payout = Payout(
        paid.settlement_id,
        paid.paid_at,
        paid.reported_at,
        paid.deposit_cents,
        lines,
        marketplace=marketplace,
    )
    if booking is not None:
        payout.status = PayoutStatus.BOOKED
        payout.booked_at = booking.booked_at
        payout.erp_document_no = booking.document_number
    return payout


class GroundPayouts:
    """The payouts as the desk and the ERP record them, each rebuilt only when its
    report is sent or its booking made."""

    def __init__(self) -> None:
        self._built: dict[str, tuple[bool, Payout]] = {}

    def payouts(self, result: RunResult) -> list[Payout]:
        erp = result.estate.erp
        shown = []
        paid_by = [
            (m.system, paid)
            for m in result.estate.marketplaces
            if m.settlement is not None
            for paid in m.settlement.payouts
        ]
        for name, paid in paid_by:
            if paid.reported_at < 0:
                continue
            bookings = erp.settlements.get(paid.settlement_id)
            built = self._built.get(paid.settlement_id)
            if built is None or built[0] != bool(bookings):
                built = (bool(bookings), _rebuilt(paid, bookings[0] if bookings else None, name))
                self._built[paid.settlement_id] = built
            shown.append(built[1])
        return shown


def collected_by_channel(order: Order, index: GatewayIndex) -> int:
    """Make `order` one its settling marketplace collected, paid as the desk records it,
    and return what the desk refunded of it."""
    movements = index.desk_movements_by_order.get(order.order_id, [])
    sales = [movement for kind, movement in movements if kind == "sale"]
    charged = [movement.amount for movement in sales]
    order.paid_by_channel = True
    # the marketplace's charge is the order's payment: none before the goods ship
    order.payment_auth_id = sales[0].movement_id if sales else ""
    order.captured_cents = sum(charged)
    if charged:
        order.payment_state = PaymentState.CAPTURED
    elif order.status is OrderStatus.CANCELLED:
        order.payment_state = PaymentState.VOIDED
    else:
        order.payment_state = PaymentState.AUTHORISED
    return sum(movement.amount for kind, movement in movements if kind == "desk_refund")
