"""Orders on account from ground truth: what companies owe by their own books, against
the ERP's receivable.

The B2B portal's companies keep their own accounts payable (simulators/b2b.py): what
each owes for each order whose goods arrived, and every remittance it sent, with the
orders it paid. The ERP keeps its trade receivable and, for every remittance it booked,
what it applied to each order. So the checker can say, without reading the hub:

- no card money moved for a company's order: none is authorised or captured at the
  gateway (its terms are its credit, and it pays against its invoice);
- each remittance was booked once, and applied to the orders it names at what it paid
  on each (a company that paid short still owes the rest);
- the receivable: what the companies owe for the orders the ERP invoiced, less what
  their booked remittances paid, is what the ERP shows owing;
- and how much is open, overdue, or paid but not applied yet (`receivables_metric`,
  with the SLA `unapplied_remittances_max`).
"""

from __future__ import annotations

from typing import Any

from hub.model.ledger import TRADE_RECEIVABLE
from scenarios.checking.latency import run_end
from scenarios.twin.run_result import RunResult
from simulators.b2b import B2bPortal, Remittance
from simulators.erp import Erp


def _invoiced(erp: Erp, ref: str) -> bool:
    return any(
        erp.documents[number].status == "invoiced"
        for number in erp.sales_orders_by_external_ref.get(ref, [])
    )


def invoiced_on_account(result: RunResult) -> int:
    """What companies owe, by their own books, for the orders the ERP invoiced (0
    without a B2B portal): the sales the ERP should hold in the receivable."""
    portal = result.estate.b2b
    if portal is None:
        return 0
    erp = result.estate.erp
    return sum(p.amount_cents for ref, p in portal.payables.items() if _invoiced(erp, ref))


def _booked(portal: B2bPortal, erp: Erp) -> list[Remittance]:
    return [r for r in portal.remittances if r.remittance_id in erp.customer_payments]


def booked_remittances(result: RunResult) -> int:
    """The money companies sent that the ERP has booked, once each (0 without a portal)."""
    portal = result.estate.b2b
    if portal is None:
        return 0
    return sum(r.amount_cents for r in _booked(portal, result.estate.erp))


def _misapplied(remittance: Remittance, erp: Erp) -> str:
    """How a booked remittance was applied otherwise than it paid ("" if it was not)."""
    paid: dict[str, int] = {}
    for line in remittance.lines:
        paid[line.order_ref] = paid.get(line.order_ref, 0) + line.amount_cents
    applied = erp.customer_payments[remittance.remittance_id][0].applied
    wrong = sorted(ref for ref in paid.keys() | applied.keys() if applied.get(ref) != paid.get(ref))
    if not wrong:
        return ""
    ref = wrong[0]
    return (
        f"remittance {remittance.remittance_id} applied {applied.get(ref, 0)} to {ref}, "
        f"it paid {paid.get(ref, 0)}"
    )


def receivable_problems(result: RunResult) -> list[str]:
    """Every way orders on account were booked wrong ([] without a B2B portal)."""
    portal = result.estate.b2b
    if portal is None:
        return []
    erp = result.estate.erp
    problems = [
        f"remittance {rid} booked {len(bookings)} times"
        for rid, bookings in erp.customer_payments.items()
        if len(bookings) > 1
    ]
    payment = result.estate.payment
    on_card = sorted(
        (
            {a.reference for a in payment.authorizations.values()}
            | {m.reference for m in payment.captures}
        )
        & portal.orders.keys()
    )
    problems += [
        f"{ref} is a company's order on account, yet it went through the card gateway"
        for ref in on_card[:3]
    ]
    booked = _booked(portal, erp)
    problems += [p for p in (_misapplied(r, erp) for r in booked) if p][:3]
    owed = invoiced_on_account(result) - sum(r.amount_cents for r in booked)
    shown = -erp.journal.balance(TRADE_RECEIVABLE)
    if owed != shown:
        problems.append(f"ERP shows companies owing {shown} on account, they owe {owed}")
    return problems


def receivables_metric(result: RunResult) -> dict[str, Any]:
    """Invoices on account and their payment, from the companies' and the ERP's books."""
    portal = result.estate.b2b
    if portal is None:
        return {"enabled": False}
    erp = result.estate.erp
    end = run_end(result)
    booked = _booked(portal, erp)
    paid: dict[str, int] = {}
    for remittance in booked:
        for line in remittance.lines:
            paid[line.order_ref] = paid.get(line.order_ref, 0) + line.amount_cents
    invoices = [p for ref, p in portal.payables.items() if _invoiced(erp, ref)]
    open_cents = {p.order_ref: p.amount_cents - paid.get(p.order_ref, 0) for p in invoices}
    overdue = [p for p in invoices if open_cents[p.order_ref] > 0 and p.due_at < end]
    paid_payables = [p for p in portal.payables.values() if p.paid_at >= 0]
    return {
        "enabled": True,
        "accounts": len(portal.companies),
        "orders": len(portal.orders),
        "invoices": len(invoices),
        "invoiced_cents": sum(p.amount_cents for p in invoices),
        "remittances": len(portal.remittances),
        "remittances_sent_twice": sum(1 for r in portal.remittances if r.sends > 1),
        "remittances_applied": len(booked),
        "remittances_unapplied": len(portal.remittances) - len(booked),
        "paid_cents": sum(r.amount_cents for r in booked),
        "payments_late": sum(1 for p in paid_payables if p.pay_at > p.due_at),
        "payments_short": sum(1 for p in paid_payables if p.pay_cents < p.amount_cents),
        "open_invoices": sum(1 for cents in open_cents.values() if cents > 0),
        "open_cents": sum(cents for cents in open_cents.values() if cents > 0),
        "overdue_invoices": len(overdue),
        "overdue_cents": sum(open_cents[p.order_ref] for p in overdue),
        "receivable_cents": -erp.journal.balance(TRADE_RECEIVABLE),
    }
