"""The B2B portal's receivables as metric families (scenarios/checking/receivables.py
fills them; 0 without a portal): what companies were invoiced on account and paid, what
they still owe and how much of it is overdue, and remittances not applied."""

from __future__ import annotations

from scenarios.checking.family import Family

RECEIVABLE_FAMILIES = (
    Family(
        "retailtwin_receivables_invoiced_cents_total",
        "counter",
        "What companies were invoiced on account for the orders the ERP invoiced, by "
        "their own books (0 without a B2B portal).",
    ),
    Family(
        "retailtwin_receivables_paid_cents_total",
        "counter",
        "What the companies' remittances the ERP booked paid.",
    ),
    Family(
        "retailtwin_receivables_open_cents",
        "gauge",
        "What the companies still owe on their invoices.",
    ),
    Family(
        "retailtwin_receivables_overdue_cents",
        "gauge",
        "Of that, what is past its due date.",
    ),
    Family(
        "retailtwin_remittances_unapplied",
        "gauge",
        "Remittances the companies sent that the ERP has not booked.",
    ),
)
