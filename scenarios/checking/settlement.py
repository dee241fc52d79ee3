"""Marketplace settlement from ground truth: the payouts the marketplace made, against
what the ERP booked for them.

A settling marketplace (simulators/settlement.py) keeps, for every payout line, what
it reported and paid and what the line should have been. The ERP keeps, for every
payout it booked, each line's amount as applied. So the checker can say, without
reading the hub:

- the bank: the ERP's cash holds every deposit it booked, once (`booked_deposits`);
- the buyers paid the marketplace, so none of its orders is authorised at the gateway;
- the receivable: what the marketplace still owes by its own records (charges less
  refunds less the lines paid over) is what the ERP shows owing;
- each line booked was applied at what it should have been: a line paid short and
  booked at the report's figure hides the shortfall in the receivable;
- and how much is not reconciled yet: lines of payouts the ERP has not booked (the
  report late, a line the hub could not match) or booked wrong, and their money
  (`settlement_metric`, with the SLA `unreconciled_payout_lines_max`).
"""

from __future__ import annotations

from typing import Any

from hub.model.ledger import CHARGEBACKS, MARKETPLACE_FEES, MARKETPLACE_RECEIVABLE
from scenarios.twin.run_result import RunResult
from simulators.erp import Erp
from simulators.settlement import LineType, Payout, SettlementDesk


def desks(result: RunResult) -> list[tuple[str, SettlementDesk]]:
    """Each settling marketplace's payments desk, by the marketplace's name."""
    return [
        (m.system, m.settlement) for m in result.estate.marketplaces if m.settlement is not None
    ]


def booked_deposits(result: RunResult) -> int:
    """The money the marketplaces paid in that the ERP has booked (0 without one)."""
    erp = result.estate.erp
    return sum(
        p.deposit_cents
        for _, desk in desks(result)
        for p in desk.payouts
        if p.settlement_id in erp.settlements
    )


def _wrong_lines(payout: Payout, erp: Erp) -> list[str]:
    """The lines of a booked payout the ERP holds at another amount than they should be."""
    bookings = erp.settlements.get(payout.settlement_id)
    if not bookings:
        return []
    applied = bookings[0].applied
    return [
        f"{line.line_id} ({line.kind.value} of {line.order_ref}) booked at "
        f"{applied.get(line.line_id)}, should be {line.correct_cents} "
        f"(reported {line.reported_cents})"
        for line in payout.lines
        if applied.get(line.line_id) != line.correct_cents
    ]


def _outstanding(desk: SettlementDesk, booked: set[str]) -> int:
    """What the marketplace owes by its own records, for the payouts the ERP booked:
    charges less refunds, less order lines paid over plus refund lines deducted."""
    owed = sum(m.amount for m in desk.charges) - sum(m.amount for m in desk.refunds)
    for payout in desk.payouts:
        if payout.settlement_id in booked:
            owed -= sum(
                line.correct_cents
                for line in payout.lines
                if line.kind in (LineType.ORDER, LineType.REFUND)
            )
    return owed


def settlement_problems(result: RunResult) -> list[str]:
    """Every way a payout was booked wrong ([] without a settling marketplace); with
    several, each one's payouts line by line, and what they owe together (they share
    the receivable and fee accounts)."""
    settling = desks(result)
    if not settling:
        return []
    erp = result.estate.erp
    journal = erp.journal
    booked = set(erp.settlements)
    problems = [
        f"payout {sid} booked {len(bookings)} times"
        for sid, bookings in erp.settlements.items()
        if len(bookings) > 1
    ]
    # its buyers paid the marketplace: a hold or a charge at our gateway is a second one
    marketplace_refs = {ref for m in result.estate.marketplaces if m.settlement for ref in m.orders}
    at_gateway = sorted(
        {auth.reference for auth in result.estate.payment.authorizations.values()}
        & marketplace_refs
    )
    problems += [
        f"{ref} was paid to the marketplace, yet authorised at the gateway"
        for ref in at_gateway[:3]
    ]
    for _, desk in settling:  # a line's id names its marketplace's payout
        for payout in desk.payouts:
            problems += _wrong_lines(payout, erp)[:3]
    owed = sum(_outstanding(desk, booked) for _, desk in settling)
    shown = -journal.balance(MARKETPLACE_RECEIVABLE)
    if owed != shown:
        problems.append(f"ERP shows the marketplace owing {shown}, it owes {owed}")
    for account, kind in ((MARKETPLACE_FEES, LineType.FEE), (CHARGEBACKS, LineType.CHARGEBACK)):
        deducted = -sum(
            line.correct_cents
            for _, desk in settling
            for payout in desk.payouts
            if payout.settlement_id in booked
            for line in payout.lines
            if line.kind == kind
        )
        if -journal.balance(account) != deducted:
            problems.append(f"ERP {account} {-journal.balance(account)} != deducted {deducted}")
    return problems


def settlement_metric(result: RunResult) -> dict[str, Any]:
    """Payouts and their reconciliation, from the marketplaces' and the ERP's records:
    all of them together, and each on its own (`by_marketplace`) when there are several."""
    settling = desks(result)
    if not settling:
        return {"enabled": False}
    erp = result.estate.erp
    metric = _payouts_metric([p for _, desk in settling for p in desk.payouts], erp)
    if len(result.estate.marketplaces) > 1:
        metric["by_marketplace"] = {
            name: _payouts_metric(desk.payouts, erp) for name, desk in settling
        }
    return metric


def _payouts_metric(payouts: list[Payout], erp: Erp) -> dict[str, Any]:
    """The settlement figures of these payouts."""
    unreconciled_lines = unreconciled_cents = short_lines = short_cents = 0
    over_lines = over_cents = 0
    lags: list[float] = []
    for payout in payouts:
        bookings = erp.settlements.get(payout.settlement_id)
        wrong = {w.split(" ", 1)[0] for w in _wrong_lines(payout, erp)}
        for line in payout.lines:
            if line.reported_cents < line.correct_cents:
                short_lines += 1
                short_cents += line.correct_cents - line.reported_cents
            elif line.reported_cents > line.correct_cents:  # an order paid twice
                over_lines += 1
                over_cents += line.reported_cents - line.correct_cents
            if not bookings or line.line_id in wrong:
                unreconciled_lines += 1
                unreconciled_cents += abs(line.correct_cents)
        if bookings and payout.reported_at >= 0:
            lags.append(bookings[0].booked_at - payout.reported_at)
    lags.sort()
    return {
        "enabled": True,
        "payouts": len(payouts),
        "payouts_reported": sum(1 for p in payouts if p.reported_at >= 0),
        "payouts_booked": sum(1 for p in payouts if p.settlement_id in erp.settlements),
        "lines": sum(len(p.lines) for p in payouts),
        "deposits_cents": sum(p.deposit_cents for p in payouts),
        "fees_cents": -sum(
            line.correct_cents for p in payouts for line in p.lines if line.kind == LineType.FEE
        ),
        "chargebacks": sum(
            1 for p in payouts for line in p.lines if line.kind == LineType.CHARGEBACK
        ),
        "lines_paid_short": short_lines,
        "paid_short_cents": short_cents,
        "lines_overpaid": over_lines,
        "overpaid_cents": over_cents,
        "unreconciled_lines": unreconciled_lines,
        "unreconciled_cents": unreconciled_cents,
        "report_to_booking_max_s": round(lags[-1], 1) if lags else 0.0,
    }
