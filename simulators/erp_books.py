"""What the ERP books: its documents, a channel's payouts and a company's remittances as
booked, and the journal's totals. Apart from `simulators/erp.py`, which books them, so
that the checker's reading of the books and the ERP's service stay small modules each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: a document's (material, qty) lines
Items = tuple[tuple[str, int], ...]


@dataclass(slots=True, init=False)
class ErpDocument:
    number: str
    kind: str
    ref: str
    booked_at: float
    plant: str
    #: (material, qty) lines; a tuple: a document's lines never change once booked
    items: Items
    external_ref: str = ""
    channel: str = ""
    status: str = "open"
    #: why stock moved, for a goods movement ("inventory_difference": a write-off)
    reason: str = ""
    #: when the document last changed (booked, cancelled, invoiced); -1: never since booking
    changed_at: float = -1.0

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted (mypyc compiles only what the source holds), and every document
    # the ERP books, and every one read back from the run's spill, is built here
    def __init__(
        self,
        number: str,
        kind: str,
        ref: str,
        booked_at: float,
        plant: str,
        items: Items,
        external_ref: str = "",
        channel: str = "",
        status: str = "open",
        reason: str = "",
        changed_at: float = -1.0,
    ) -> None:
        self.number = number
        self.kind = kind
        self.ref = ref
        self.booked_at = booked_at
        self.plant = plant
        self.items = items
        self.external_ref = external_ref
        self.channel = channel
        self.status = status
        self.reason = reason
        self.changed_at = changed_at


@dataclass(frozen=True, slots=True)
class SettlementBooking:
    """A channel's payout as the ERP booked it: each line's amount as applied (the
    posting's own figures, which a careful integration takes from its records, not
    from the report)."""

    document_number: str
    booked_at: float
    deposit_cents: int
    applied: dict[str, int]


@dataclass(frozen=True, slots=True)
class CustomerPaymentBooking:
    """A company's remittance as the ERP booked it: what it applied to each order's
    invoice (the receivable it cleared)."""

    document_number: str
    booked_at: float
    deposit_cents: int
    applied: dict[str, int]


@dataclass(slots=True)
class Journal:
    """Totals per account plus the entry count; the checker needs sums, not lines."""

    debits: dict[str, int] = field(default_factory=dict)
    credits: dict[str, int] = field(default_factory=dict)
    entries: int = 0

    def post(self, lines: list[dict[str, Any]]) -> None:
        for line in lines:
            account = line["account"]
            self.debits[account] = self.debits.get(account, 0) + int(line["dr"])
            self.credits[account] = self.credits.get(account, 0) + int(line["cr"])
        self.entries += 1

    def balance(self, account: str) -> int:
        """Credit balance (credits minus debits)."""
        return self.credits.get(account, 0) - self.debits.get(account, 0)
