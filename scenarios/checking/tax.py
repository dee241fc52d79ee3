"""Tax from ground truth: the liability the tax engine holds, against what was sold,
delivered, refunded and booked.

In an estate with a tax engine, the retailer owes the tax the engine filed: a commit per
order whose money was taken (on the goods that actually left, by the WMS's and the
stores' records), less a reversal per refunded return. Nothing may be left open: an
order charged but never committed is tax collected and never filed; a return refunded
but never reversed is tax the retailer pays on goods it took back. The ERP's tax payable
must then be exactly that liability plus what the tills took in tax less what they paid
back: a journal that booked the estimate and never trued it up is off by the difference.

What a customer may be charged in tax is one of two amounts: the engine's quote, or,
while the engine did not answer, the channel's estimate (`hub.tax_fallback = estimate`),
each for the units that shipped. Nothing here reads the hub.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from hub.model.ledger import TAX_PAYABLE
from scenarios.checking.order_truths import OrderTruth
from scenarios.checking.truth import Truth, charged_problems
from scenarios.twin.run_result import RunResult
from simulators.tax import TaxEngine


def acceptable_taxes(engine: TaxEngine | None, order_truth: OrderTruth) -> set[int]:
    """The tax a customer may have paid for what left the building: the channel's
    estimate, or (with an engine) the engine's quote for the order's region."""
    order = order_truth.order
    region = _region(engine, order_truth) if engine is not None else ""
    estimate = quoted = 0
    delivered = order_truth.fulfilled_units
    for sku, qty, price, tax in order.lines:
        done = delivered.get(sku, 0)
        if done:
            estimate += tax * done // qty
            if engine is not None:
                quoted += engine.tax_cents(sku, region, price * qty) * done // qty
    return {estimate, quoted} if engine is not None else {estimate}


def _region(engine: TaxEngine, order_truth: OrderTruth) -> str:
    """Where the engine taxed the order: its committed transaction's region (a pickup is
    taxed at its store's), else the customer's."""
    held = engine.transactions.get(order_truth.order.ref)
    return held.region if held is not None else order_truth.order.region


def liability_problems(result: RunResult, truth: Truth) -> list[str]:
    """Every way the liability was left open or booked wrong ([] without an engine)."""
    engine = result.estate.tax
    if engine is None:
        return []
    problems = charged_problems(truth, partial(_committed_problem, engine))
    for return_id in truth.refunds:
        if return_id not in engine.reversals:
            problems.append(
                f"return {return_id} was refunded but its tax was never reversed at the "
                "tax engine (the retailer still owes it)"
            )
    booked = result.estate.erp.journal.balance(TAX_PAYABLE)
    tills = result.estate.pos.totals.values()
    till_tax = sum(t.tax_cents - t.refunded_tax_cents for t in tills)
    owed = engine.liability_cents() + till_tax
    if booked != owed:
        problems.append(
            f"ERP tax payable {booked} != liability {owed} (tax engine "
            f"{engine.liability_cents()} + tills {till_tax}): the journal was not trued up "
            "to what the engine filed"
        )
    return problems


def _committed_problem(engine: TaxEngine, ref: str, order_truth: OrderTruth) -> str:
    """How a charged order's committed tax disagrees with what was delivered ("")."""
    held = engine.transactions.get(ref)
    if held is None:
        return f"{ref} was charged but its tax was never committed (unfiled)"
    committed: dict[str, int] = {}
    for line in held.lines:
        committed[line.sku] = committed.get(line.sku, 0) + line.quantity
    delivered = order_truth.fulfilled_units
    if committed != {s: q for s, q in delivered.items() if q}:
        return f"{ref}: tax committed on {committed}, goods delivered {delivered}"
    return ""


def tax_metrics(result: RunResult, truth: Truth) -> dict[str, Any]:
    """What the tax engine filed, and what the estimates cost: tax the customers were
    charged short of the liability (the retailer absorbs it) or over it."""
    engine = result.estate.tax
    if engine is None:
        return {"engine": False}
    absorbed = over = estimated = 0
    for held in engine.transactions.values():
        gap = held.tax_cents - held.collected_cents
        # a quote prorated to the units shipped can be a cent a line off the commit
        if abs(gap) > len(held.lines):
            estimated += 1
        absorbed += max(0, gap)
        over += max(0, -gap)
    unfiled = sum(
        1 for ref in truth.orders if ref in truth.captures and ref not in engine.transactions
    )
    return {
        "engine": True,
        "quotes": engine.quotes,
        "throttled_429": engine.throttled,
        "committed_orders": len(engine.transactions),
        "reversed_returns": len(engine.reversals),
        "liability_cents": engine.liability_cents(),
        "orders_charged_an_estimate": estimated,
        "absorbed_cents": absorbed,
        "over_collected_cents": over,
        "unfiled_orders": unfiled,
        "unreversed_returns": sum(1 for r in truth.refunds if r not in engine.reversals),
    }
