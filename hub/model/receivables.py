"""A company's remittance as the hub applies it to its invoices.

A company on payment terms pays later, in a payment run that names the orders it pays
(their invoices). The hub holds the remittance until every invoice it names is posted in
the ERP, then applies each line to that invoice's open balance: no more than is open, so
a remittance that pays more (or pays an invoice again) leaves the excess as unapplied
cash rather than a credit on the receivable; a line that pays less (a short payment)
leaves the rest open.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hub.messages import RemittanceLineIn


class RemittanceStatus(StrEnum):
    #: received; some invoice it names is not posted in the ERP yet
    MATCHING = "matching"
    #: every line applied; sent to the ERP, no answer yet
    POSTING = "posting"
    BOOKED = "booked"
    #: the ERP refused it, or it was dead-lettered (a replay may book it yet)
    FAILED = "failed"


@dataclass(slots=True)
class RemittanceLine:
    line: RemittanceLineIn
    #: what was applied to the invoice's open balance (None: not yet)
    applied_cents: int | None = None


@dataclass(slots=True)
class Remittance:
    remittance_id: str
    company_id: str
    received_at: float
    amount_cents: int
    lines: list[RemittanceLine]
    status: RemittanceStatus = RemittanceStatus.MATCHING
    booked_at: float = -1.0
    erp_document_no: str = ""

    @property
    def applied_cents(self) -> int:
        return sum(line.applied_cents or 0 for line in self.lines)
