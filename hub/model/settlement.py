"""A channel's payout as the hub reconciles it, line by line.

A settlement report says what the channel paid and why. The hub does not take the
report's word for what an order was worth: it matches each line to its own record (the
order's charge, the return's refund) and applies its own figure, so a line paid short
shows up as a claim on the channel instead of disappearing into the receivable. A line
it cannot match yet (the order's charge not confirmed, the refund not made) waits; the
payout is booked in the ERP only when every line is matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hub.messages import PayoutLineIn


class PayoutLineKind(StrEnum):
    """The kinds of line a settlement report carries (the channel's own words)."""

    ORDER = "ORDER"
    FEE = "FEE"
    REFUND = "REFUND"
    CHARGEBACK = "CHARGEBACK"


#: the kinds of line the hub holds to its own records; fees and chargebacks are the
#: channel's to set, and are booked as reported against an order the hub knows
MATCHED_TO_RECORDS = frozenset({PayoutLineKind.ORDER, PayoutLineKind.REFUND})


class PayoutStatus(StrEnum):
    #: received; some lines wait to be matched
    MATCHING = "matching"
    #: every line matched; sent to the ERP, no answer yet
    POSTING = "posting"
    BOOKED = "booked"
    #: the ERP refused it, or it was dead-lettered (a replay may book it yet)
    FAILED = "failed"


@dataclass(slots=True)
class PayoutLine:
    line: PayoutLineIn
    #: the amount applied, at the hub's own figures (None: not matched yet)
    applied_cents: int | None = None

    @property
    def claim_cents(self) -> int:
        """What the channel owes us beyond the line (negative: it paid us too much)."""
        if self.applied_cents is None:
            return 0
        return self.applied_cents - self.line.amount_cents


@dataclass(slots=True)
class Payout:
    settlement_id: str
    paid_at: float
    received_at: float
    deposit_cents: int
    lines: list[PayoutLine]
    status: PayoutStatus = PayoutStatus.MATCHING
    booked_at: float = -1.0
    erp_document_no: str = ""
    #: the marketplace that paid it, by system name
    marketplace: str = "marketplace"

    @property
    def unmatched(self) -> int:
        return sum(1 for line in self.lines if line.applied_cents is None)

    @property
    def claims_cents(self) -> int:
        return sum(line.claim_cents for line in self.lines)

    def total(self, kind: PayoutLineKind, applied: bool = False) -> int:
        """The lines of one kind, as applied or as reported."""
        return sum(
            (line.applied_cents or 0) if applied else line.line.amount_cents
            for line in self.lines
            if line.line.kind == kind
        )
