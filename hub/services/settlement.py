"""Settlement: a channel's payouts reconciled against the hub's own orders and returns.

A settling marketplace pays out on its schedule and sends a report. The hub matches
every line to what it knows (hub/model/settlement.py) and books the payout in the ERP
once all of them are matched: the deposit to the bank, the receivable cleared at its own
figures, the commission and the chargebacks as expenses, and what was paid short as a
claim on the channel. An order or a refund is paid over once: a second line for one
already matched (the report paid it twice) is applied at 0, and what it paid becomes a
claim the other way, owed back. A line that cannot be matched yet is tried again every
`MATCH_RETRY_S`: the report can overtake the hub's own record (a shipment confirmation
whose answer is still on its way). The seeded defect `book_payouts_blindly` books each
line as reported, matched or not, which hides every short payment in the receivable.
"""

from __future__ import annotations

from typing import assert_never

from hub.adapters import erp
from hub.context import HubContext
from hub.messages import PayoutLineIn, SettlementReported
from hub.model.ledger import settlement_posting
from hub.model.payment import PaymentState, RefundState
from hub.model.settlement import (
    MATCHED_TO_RECORDS,
    Payout,
    PayoutLine,
    PayoutLineKind,
    PayoutStatus,
)
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, DeadLettered, Ok, Rejected
from hub.services.erp_writer import ErpWriter

#: the timer that tries a payout's unmatched lines again
MATCH_TIMER = "settlement_match"
#: how long a payout with unmatched lines waits before they are tried again
MATCH_RETRY_S = 300.0


class Settlement:
    def __init__(self, ctx: HubContext, erp_writer: ErpWriter) -> None:
        self._ctx = ctx
        self._writer = erp_writer
        self._blind = ctx.policy.has_defect("book_payouts_blindly")
        #: settlement id -> the payout, as received and reconciled
        self.payouts: dict[str, Payout] = {}
        #: (kind, order or return id) of every order and refund line matched: the
        #: channel pays each over once
        self._paid_over: set[tuple[str, str]] = set()
        erp_writer.on("post_settlement", self._on_posted)

    def on_reported(self, event: SettlementReported) -> None:
        if event.settlement_id in self.payouts:
            self._ctx.count("duplicate_settlements_seen")
            return
        payout = Payout(
            event.settlement_id,
            event.paid_at,
            self._ctx.clock.now(),
            event.deposit_cents,
            [PayoutLine(line) for line in event.lines],
            marketplace=event.marketplace,
        )
        self.payouts[event.settlement_id] = payout
        self._ctx.count("settlements_received")
        self._match(payout)

    def on_match_due(self, settlement_id: str) -> None:
        payout = self.payouts.get(settlement_id)
        if payout is not None and payout.status == PayoutStatus.MATCHING:
            self._match(payout)

    def _match(self, payout: Payout) -> None:
        for line in payout.lines:
            if line.applied_cents is None:
                line.applied_cents = (
                    line.line.amount_cents if self._blind else self._own_figure(line.line)
                )
                if line.applied_cents is not None and not self._blind:
                    line.applied_cents = self._once(line.line, line.applied_cents)
        if payout.unmatched:
            self._ctx.scheduler.call_later(MATCH_RETRY_S, (MATCH_TIMER, payout.settlement_id))
            return
        self._post(payout)

    def _own_figure(self, line: PayoutLineIn) -> int | None:
        """What the line should be by the hub's records (None: it cannot tell yet)."""
        order = self._ctx.orders.get(line.order_id)
        if order is None or not order.paid_by_channel:
            return None
        try:
            kind = PayoutLineKind(line.kind)
        except ValueError:
            return None  # a kind of line the hub does not know waits for a person
        if kind not in MATCHED_TO_RECORDS:
            return line.amount_cents
        if kind == PayoutLineKind.ORDER:
            charged = order.payment_state == PaymentState.CAPTURED
            return order.captured_cents if charged else None
        ret = self._ctx.returns.get(line.return_id)
        if ret is None or ret.order_id != order.order_id:
            return None
        return -ret.refund_total_cents if ret.refund_state == RefundState.REFUNDED else None

    def _once(self, line: PayoutLineIn, figure: int) -> int:
        """`figure` for the first order or refund line of its kind, 0 for any later one
        (already paid over); fees and chargebacks as they are."""
        if line.kind not in MATCHED_TO_RECORDS:
            return figure
        key = (line.kind, line.return_id or line.order_id)
        if key in self._paid_over:
            self._ctx.count("settlement_lines_paid_twice")
            return 0
        self._paid_over.add(key)
        return figure

    def _post(self, payout: Payout) -> None:
        payout.status = PayoutStatus.POSTING
        cleared = payout.total(PayoutLineKind.ORDER, applied=True) + payout.total(
            PayoutLineKind.REFUND, applied=True
        )
        fees = -payout.total(PayoutLineKind.FEE)
        chargebacks = -payout.total(PayoutLineKind.CHARGEBACK)
        # whatever the deposit falls short of the cleared receivable after the
        # channel's own deductions is owed to us (or, negative, by us)
        claims = cleared - payout.deposit_cents - fees - chargebacks
        journal = settlement_posting(payout.deposit_cents, cleared, fees, chargebacks, claims)
        lines = [
            (
                line.line.line_id,
                line.line.kind,
                line.line.order_id,
                line.line.amount_cents,
                line.applied_cents or 0,
            )
            for line in payout.lines
        ]
        self._writer.submit(
            "post_settlement",
            erp.post_settlement(payout.settlement_id, payout.deposit_cents, lines, journal),
            payout.settlement_id,
        )

    def _on_posted(self, call: Call, result: CallResult) -> None:
        payout = self.payouts[call.key]
        match result:
            case Ok(body=body):
                payout.status = PayoutStatus.BOOKED
                payout.booked_at = self._ctx.clock.now()
                payout.erp_document_no = erp.document_number(body)
            case Rejected() | DeadLettered():
                payout.status = PayoutStatus.FAILED
            case _:
                assert_never(result)
