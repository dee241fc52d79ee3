"""A settling marketplace's payouts as the read model's rows, and how a payout the hub
reconciles becomes them (payouts.py writes and reads them through SQLAlchemy,
run_file.py writes a finished run's through sqlite3).

Two kinds of hub are shown alike. The built-in hub's payouts carry its own state
(matching, posting, booked, failed). An external hub's cannot be read, so its payouts
are rebuilt from the marketplace's and the ERP's records (scenarios/live): a payout
the ERP booked is `booked`, with each line as the ERP applied it; one reported and not
booked yet is `reported`, since what such a hub has made of it is its own.

Built through `hub.frozen.direct_init`, as the other records are (records.py says why).
"""

from __future__ import annotations

from enum import StrEnum

from hub.adapters.read_model.record_class import frozen_row
from hub.model.settlement import Payout, PayoutLineKind, PayoutStatus


class PayoutState(StrEnum):
    """Where a payout's reconciliation stands: the hub's own PayoutStatus, and
    `reported` for a payout of an external hub that the ERP has not booked."""

    MATCHING = PayoutStatus.MATCHING.value
    POSTING = PayoutStatus.POSTING.value
    BOOKED = PayoutStatus.BOOKED.value
    FAILED = PayoutStatus.FAILED.value
    REPORTED = "reported"


class PayoutLineState(StrEnum):
    """Where one line stands: not matched to the hub's records yet, matched (its
    amount applied at the hub's figure) and waiting for the payout's booking, booked
    with it, or (an external hub's, not booked) reported."""

    UNMATCHED = "unmatched"
    MATCHED = "matched"
    BOOKED = "booked"
    REPORTED = "reported"


@frozen_row
class PayoutRecord:
    id: str
    channel: str
    state: str  # PayoutState
    paid_at: float
    received_at: float
    booked_at: float
    erp_document_no: str
    deposit_cents: int
    line_count: int
    unmatched_count: int
    #: what the channel paid short, over the matched lines (negative: paid over)
    claims_cents: int
    #: the commission, chargebacks and refunds deducted, as positive amounts
    fees_cents: int
    chargebacks_cents: int
    refunds_cents: int
    updated_at: float
    #: the marketplace that paid it, by its name
    marketplace: str = "marketplace"


@frozen_row
class PayoutLineRecord:
    payout_id: str
    seq: int
    line_id: str
    kind: str  # PayoutLineKind
    order_id: str
    return_id: str
    reported_cents: int
    matched: bool
    applied_cents: int
    state: str  # PayoutLineState

    @property
    def claim_cents(self) -> int:
        """What the line was paid short (negative: over); 0 until matched."""
        return self.applied_cents - self.reported_cents if self.matched else 0


@frozen_row
class PayoutSnapshot:
    payout: PayoutRecord
    lines: list[PayoutLineRecord]


def payout_fingerprint(payout: Payout) -> tuple[object, ...]:
    """Everything projected that can move: the status, the lines matched, the booking."""
    return (payout.status, payout.unmatched, payout.booked_at, payout.erp_document_no)


def payout_snapshot(payout: Payout, channel: str, now: float, hub_known: bool) -> PayoutSnapshot:
    """A payout as its rows. `hub_known`: the hub's own state is in `payout` (the
    built-in hub); otherwise only a booking is known, and the rest is `reported`."""
    booked = payout.status is PayoutStatus.BOOKED
    state = PayoutState(payout.status.value) if hub_known or booked else PayoutState.REPORTED
    lines = []
    for seq, line in enumerate(payout.lines):
        matched = line.applied_cents is not None
        if booked:
            line_state = PayoutLineState.BOOKED
        elif not hub_known:
            line_state = PayoutLineState.REPORTED
        else:
            line_state = PayoutLineState.MATCHED if matched else PayoutLineState.UNMATCHED
        lines.append(
            PayoutLineRecord(
                payout.settlement_id,
                seq,
                line.line.line_id,
                line.line.kind,
                line.line.order_id,
                line.line.return_id,
                line.line.amount_cents,
                matched,
                line.applied_cents or 0,
                line_state.value,
            )
        )
    record = PayoutRecord(
        id=payout.settlement_id,
        channel=channel,
        state=state.value,
        paid_at=payout.paid_at,
        received_at=payout.received_at,
        booked_at=payout.booked_at,
        erp_document_no=payout.erp_document_no,
        deposit_cents=payout.deposit_cents,
        line_count=len(payout.lines),
        unmatched_count=payout.unmatched,
        claims_cents=payout.claims_cents,
        fees_cents=-payout.total(PayoutLineKind.FEE),
        chargebacks_cents=-payout.total(PayoutLineKind.CHARGEBACK),
        refunds_cents=-payout.total(PayoutLineKind.REFUND),
        updated_at=now,
        marketplace=payout.marketplace,
    )
    return PayoutSnapshot(record, lines)
