"""Ledger postings the hub sends to the ERP's journal.

The ERP is the financial system of record, but it books what integrations post. The hub
builds each posting as balanced double entry: cash in equals revenue plus tax out, and a
refund reverses it through the sales-returns account. Goods sold below their list price
(a promotion) book revenue at list price and the discount against it, so the ERP sees
what promotions cost. The ERP values stock itself, so
cost of goods never appears here.
"""

from __future__ import annotations

from dataclasses import dataclass

CASH = "1000-cash"
TAX_PAYABLE = "2200-tax-payable"
REVENUE = "4000-revenue"
SALES_RETURNS = "4100-sales-returns"
SALES_DISCOUNTS = "4050-sales-discounts"


@dataclass(frozen=True, slots=True)
class JournalLine:
    account: str
    debit_cents: int
    credit_cents: int

    def as_wire(self) -> dict[str, object]:
        return {"account": self.account, "dr": self.debit_cents, "cr": self.credit_cents}


def sale_posting(
    net_cents: int, tax_cents: int, drop_tax: bool = False, discount_cents: int = 0
) -> list[JournalLine]:
    """Money received for goods handed over (`net_cents` as charged, before tax), of
    which `discount_cents` below list price. `drop_tax` is the seeded
    `unbalanced_journal` defect: cash debited without its tax part."""
    cash = net_cents if drop_tax else net_cents + tax_cents
    lines = [JournalLine(CASH, cash, 0)]
    if discount_cents:
        lines.append(JournalLine(SALES_DISCOUNTS, discount_cents, 0))
    lines += [
        JournalLine(REVENUE, 0, net_cents + discount_cents),
        JournalLine(TAX_PAYABLE, 0, tax_cents),
    ]
    return lines


def refund_posting(net_cents: int, tax_cents: int) -> list[JournalLine]:
    """Money paid back for goods returned: revenue and tax reversed, cash out."""
    return [
        JournalLine(SALES_RETURNS, net_cents, 0),
        JournalLine(TAX_PAYABLE, tax_cents, 0),
        JournalLine(CASH, 0, net_cents + tax_cents),
    ]
