"""The ground-truth checker: every invariant in docs/invariants.md as a named check.

Each check compares what the hub believes (or told the channels) with what the
simulated systems themselves recorded; none takes the hub's word for anything it could
have got wrong. A check reports how many violations it found and names the first few,
so a failing CI run says which order, SKU or return broke which rule.

These are the in-process checks (`CHECKS`), for the built-in hub, whose state the twin
can read. A hub that runs as a process of its own is judged by `GROUND_TRUTH_CHECKS`,
from the systems' records alone (`ground_invariants`); `check` picks by the run.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from heapq import merge

from hub.model.ledger import TAX_TRUE_UP
from hub.model.order import Channel, OrderStatus
from hub.model.payment import PaymentState
from hub.model.returns import ReturnStatus
from scenarios.checking import fraud, ground_invariants, prices, receivables, settlement
from scenarios.checking import tax as taxes
from scenarios.checking.findings import CheckResult, Finding, Invariant, Violations
from scenarios.checking.hub_orders import HubOrder
from scenarios.checking.judging import JudgedFrom, resolve
from scenarios.checking.order_truths import DELIVERED_FULFILMENTS, Fulfilment, OrderTruth
from scenarios.checking.safety_stock import book_holds_back_as_ruled
from scenarios.checking.truth import Truth, charged_problems, gather
from scenarios.twin.run_result import RunResult
from simulators.tax import TaxEngine

__all__ = ["CHECKS", "GROUND_TRUTH_CHECKS", "CheckResult", "Finding", "Invariant", "check"]


_STATUS_RANK = {status.label: int(status) for status in OrderStatus}


def no_lost_order(result: RunResult, truth: Truth) -> Finding:
    """Every accepted order is known to the hub and either settled (fulfilled and
    invoiced, or cancelled with nothing open in the ERP) or still genuinely in flight in
    the fulfilment system. An order in the hub's exception queue is held to the same
    rules: the queue says the hub knows of a problem, not that it solved it (a hub that
    parked every order there would otherwise pass), as the judgement from ground truth
    alone has always held. What it holds is counted beside."""
    bad = Violations()
    in_flight = exceptions = 0
    for (ref, order_truth), order in zip(truth.orders.items(), truth.hub_orders, strict=True):
        if order is None:
            bad.add(f"{ref} ({order_truth.order.channel}) never reached the hub")
            continue
        if order.in_exception_queue:
            exceptions += 1
        sales_orders = truth.erp_sales_orders.get(ref, [])
        fulfilment = order_truth.fulfilment
        if fulfilment in DELIVERED_FULFILMENTS:
            if not sales_orders:
                bad.add(f"{ref} was {fulfilment} but the ERP has no sales order for it")
            elif not _invoiced(result, ref):
                bad.add(f"{ref} was {fulfilment} but never invoiced in the ERP")
            elif not order.is_terminal and not _declined_after_fulfilment(result, ref, order):
                bad.add(
                    f"{ref} was {fulfilment} but the hub left it {order.status.label} "
                    f"(payment {order.payment_state}, invoiced {order.invoiced})"
                )
        elif fulfilment == Fulfilment.IN_FLIGHT:
            in_flight += 1
            if order.status == OrderStatus.CANCELLED:
                bad.add(f"{ref} is still being fulfilled but the hub cancelled it")
        else:
            if order.status != OrderStatus.CANCELLED:
                bad.add(f"{ref} was never fulfilled and the hub left it {order.status.label}")
            else:
                open_erp = [
                    no for no in sales_orders if result.estate.erp.documents[no].status == "open"
                ]
                if open_erp:
                    bad.add(f"{ref} was cancelled but ERP sales order {open_erp[0]} is open")
    returns_open = _returns_accounted_for(result, bad)
    ok = (
        f"{len(truth.orders)} accepted orders accounted for ({in_flight} still in "
        f"fulfilment, {exceptions} in the exception queue); every return that came "
        f"back is refunded and credited ({returns_open} still being inspected)"
    )
    return bad.result(ok, "orders or returns lost or stuck")


def _returns_accounted_for(result: RunResult, bad: Violations) -> int:
    """Goods that physically came back (over a counter, or inspected at a DC) must end
    refunded and credited in the ERP, whether or not the hub queued them as exceptions:
    a refund that never happens is a lost order in reverse. Returns a count of those
    still being inspected at a DC."""
    hub_returns = result.estate.hub.ctx.returns
    settled = ReturnStatus.CLOSED
    for counter in result.estate.pos.returns:
        return_id = counter.txn
        ret = hub_returns.get(return_id)
        if ret is None:
            bad.add(f"return {return_id} came back at {counter.store} but never reached the hub")
        elif ret.status != settled:
            bad.add(
                f"return {return_id} came back at {counter.store} but the hub left it "
                f"{ret.status.label} (refund {ret.refund_state})"
            )
    inspecting = 0
    for return_id, wms_return in result.estate.wms.returns.items():
        if wms_return.status == "expected":
            continue
        ret = hub_returns.get(return_id)
        if ret is None:
            bad.add(f"return {return_id} reached {wms_return.dc} but the hub never heard of it")
        elif wms_return.status == "received":
            inspecting += 1
        elif ret.status != settled:
            bad.add(
                f"return {return_id} was inspected at {wms_return.dc} but the hub left it "
                f"{ret.status.label} (refund {ret.refund_state})"
            )
    return inspecting


def _declined_after_fulfilment(result: RunResult, ref: str, order: HubOrder) -> bool:
    """Goods gone and the card declined on re-authorisation: invoiced without money, a
    debt for collections (the hub's exception queue holds it), not a lost order; the
    gateway's own record of the decline is what counts."""
    return (
        order.payment_state == PaymentState.DECLINED
        and order.invoiced
        and ref in result.estate.payment.declined
    )


def _invoiced(result: RunResult, ref: str) -> bool:
    return any(
        result.estate.erp.documents[no].status == "invoiced"
        for no in result.estate.erp.sales_orders_by_external_ref.get(ref, [])
    )


def exactly_once(result: RunResult, truth: Truth) -> Finding:
    """One ERP document per reference, one capture per shipped order, one refund and one
    credit memo per refunded return, however many times the wire delivered each fact."""
    bad = Violations()
    for ref, numbers in truth.erp_sales_orders.items():
        if len(numbers) > 1:
            bad.add(f"{len(numbers)} ERP sales orders for {ref}")
    for doc_ref, numbers in truth.erp_docs_by_ref.items():
        if len(numbers) > 1 and result.estate.erp.documents[numbers[0]].kind != "sales_order":
            kind = result.estate.erp.documents[numbers[0]].kind
            bad.add(f"{len(numbers)} ERP {kind} documents for {doc_ref}")
    for ref, amounts in truth.captures.items():
        if len(amounts) > 1:
            bad.add(f"{len(amounts)} payment captures for order {ref}")
    for ref, moves in truth.refunds.items():
        if len(moves) > 1:
            bad.add(f"{len(moves)} refunds for return {ref}")
    refunded = set(truth.refunds)  # one set, not two and their union (ref_slots.py)
    refunded.update(truth.till_refunds)
    for return_id in sorted(refunded):
        memos = len(truth.erp_docs_by_ref.get(f"CM-{return_id}", []))
        if memos == 0:
            bad.add(f"return {return_id} was refunded but has no ERP credit memo")
    ok = (
        f"{len(truth.erp_sales_orders)} sales orders, {len(truth.captures)} captures, "
        f"{len(refunded)} refunds, each exactly once"
    )
    return bad.result(ok, "duplicated or missing effects")


def convergence(result: RunResult, truth: Truth) -> Finding:
    """After the drain, the hub's stock equals each location's own count and the ERP's
    stock ledger, and every channel's feed shows what the allocation rules offer it of
    the hub's available-to-sell."""
    bad = Violations()
    book = result.estate.hub.ctx.inventory
    erp_stock = result.estate.erp.stock
    # every position either side holds, in order: the locations' sorted, merged with the
    # few only the ERP holds, not a sorted union of two sets of every position (the
    # judging's highest point: 2.5 MiB traced at peak-weekend's 13,734 positions at 0.25,
    # 0.6 MiB so)
    counted = sorted(truth.stock)
    only_erp = sorted(key for key in erp_stock if key not in truth.stock)
    for key in merge(counted, only_erp):
        sku, location = key
        physical, quarantined = truth.stock.get(key, (0, 0))
        position = book.find(sku, location)
        hub_on_hand = position.on_hand if position is not None else 0
        hub_quarantined = position.quarantined if position is not None else 0
        erp_on_hand = erp_stock.get(key, 0)
        if hub_on_hand != physical or hub_quarantined != quarantined:
            bad.add(
                f"{sku}@{location}: hub on hand {hub_on_hand}/{hub_quarantined} "
                f"quarantined, location counts {physical}/{quarantined}"
            )
        if erp_on_hand != physical:
            bad.add(f"{sku}@{location}: ERP stock {erp_on_hand}, location counts {physical}")
    book_holds_back_as_ruled(result, bad)
    availability = result.estate.hub.availability
    skus = [sku.sku_id for sku in result.estate.world.skus]
    for channel in (result.estate.storefront, *result.estate.marketplaces):
        for sku in skus:
            who = getattr(channel, "system", channel.name)  # a marketplace by its name
            view = channel.ship_view.get(sku, 0)
            ats = availability.offered_to(channel.name, sku, marketplace=who)
            if view != ats:
                bad.add(f"{who} shows {view} of {sku}, hub ATS is {ats}")
    for (sku, store), view in sorted(result.estate.storefront.store_view.items()):
        ats = availability.offered_to(Channel.CLICK_COLLECT, sku, store)
        if view != ats:
            bad.add(f"web shows {view} of {sku} at {store}, hub ATS is {ats}")
    ok = f"{len(truth.stock)} positions and {len(skus)} SKU feeds agree"
    return bad.result(ok, "disagreements")


def no_status_regression(result: RunResult, truth: Truth) -> Finding:
    """No order or return ever moves backwards: the notices the hub sent each channel,
    taken in the hub's own version order, never step back in rank, and the hub is never
    behind what the fulfilment systems physically did."""
    bad = Violations()
    for (ref, order_truth), order in zip(truth.orders.items(), truth.hub_orders, strict=True):
        notices = sorted(order_truth.order.notices)
        rank = -1
        for version, status, _ in notices:
            this = _STATUS_RANK.get(status, -1)
            if this < rank:
                bad.add(f"{ref}: told the channel {status} (v{version}) after a later status")
                break
            rank = this
        if order is None:
            continue
        if order.moved_back:
            bad.add(f"{ref}: the hub moved it {order.moved_back}")
        expected = {"shipped": OrderStatus.SHIPPED, "collected": OrderStatus.COLLECTED}.get(
            order_truth.fulfilment
        )
        if expected is not None and order.status != expected:
            bad.add(f"{ref} was {order_truth.fulfilment} but the hub says {order.status.label}")
    for return_id, ret in result.estate.hub.ctx.returns.items():
        ranks = [int(change.status) for change in ret.history]
        if ranks != sorted(ranks):
            bad.add(f"return {return_id} went back to {ret.status.label}")
        wms_return = result.estate.wms.returns.get(return_id)
        if (
            wms_return is not None
            and wms_return.status == "inspected"
            and ret.status < ReturnStatus.INSPECTED
        ):
            bad.add(f"return {return_id} was inspected but the hub says {ret.status.label}")
    returns = len(result.estate.hub.ctx.returns)
    ok = f"{len(truth.orders)} orders and {returns} returns only moved forward"
    return bad.result(ok, "regressions")


def money_balances(result: RunResult, truth: Truth) -> Finding:
    """The journal balances; the cash it records equals the money the gateway and the
    tills actually moved, and the payouts of a settling marketplace it booked; each
    order was charged exactly what left the building; no refund went out before its
    goods came back; with a tax engine, the liability it holds is filed and reversed
    for every order and refund, and is what the ERP books as tax payable
    (scenarios/checking/tax.py); with a settling marketplace, every payout was booked
    once at what its lines should have been, and the receivable is what the
    marketplace still owes (scenarios/checking/settlement.py); with a B2B portal, no
    company's order went through the card gateway, each remittance was booked once at
    what it paid, and the trade receivable is what the companies still owe
    (scenarios/checking/receivables.py)."""
    bad = Violations()
    journal = result.estate.erp.journal
    debits, credits = sum(journal.debits.values()), sum(journal.credits.values())
    if debits != credits:
        bad.add(f"journal debits {debits} != credits {credits}")
    captured = sum(sum(amounts) for amounts in truth.captures.values())
    refunded = sum(amount for moves in truth.refunds.values() for amount, _ in moves)
    tills = result.estate.pos.totals.values()
    tendered = sum(t.tendered_cents for t in tills)
    till_refunds = sum(t.refunded_cents for t in tills)
    money_moved = captured - refunded + tendered - till_refunds
    # a settling marketplace's money reaches the bank only in its payouts
    settling = settlement.desks(result)
    desk = bool(settling)
    owed_by_marketplace = sum(
        sum(m.amount for m in d.charges) - sum(m.amount for m in d.refunds) for _, d in settling
    )
    paid_in = settlement.booked_deposits(result) + receivables.booked_remittances(result)
    cash_moved = money_moved - owed_by_marketplace + paid_in
    # a company's order on account is a sale the ERP books with no money moved yet
    on_account = receivables.invoiced_on_account(result)
    booked_cash = -journal.balance("1000-cash")
    net_revenue = (
        journal.balance("4000-revenue")
        + journal.balance("4050-sales-discounts")
        + journal.balance("4100-sales-returns")
        + journal.balance(TAX_TRUE_UP)
    )
    tax = journal.balance("2200-tax-payable")
    if booked_cash != cash_moved:
        bad.add(
            f"ERP cash {booked_cash} != money moved {cash_moved} (captures {captured} "
            f"- refunds {refunded} + tills {tendered} - till refunds {till_refunds}"
            + (f" - owed by the marketplace {owed_by_marketplace})" if desk else ")")
        )
    if net_revenue + tax != money_moved + on_account:
        bad.add(
            f"net revenue {net_revenue} + tax {tax} != money moved {money_moved}"
            + (f" + invoiced on account {on_account}" if result.estate.b2b else "")
        )
    for problem in (
        *charged_problems(truth, partial(_charge_problem, result.estate.tax, truth)),
        *taxes.liability_problems(result, truth),
        *settlement.settlement_problems(result),
        *receivables.receivable_problems(result),
    ):
        bad.add(problem)
    for return_id, moves in truth.refunds.items():
        received_at = truth.returns_received_at.get(return_id)
        for _, at in moves:
            if received_at is None or at < received_at:
                bad.add(f"return {return_id} refunded at {at:.0f}s before its goods came back")
    ok = (
        f"journal balances ({debits} cents each side); cash {booked_cash} = money moved; "
        f"{len(truth.captures)} charges match deliveries"
    )
    return bad.result(ok, "money discrepancies")


def _charge_problem(
    engine: TaxEngine | None, truth: Truth, ref: str, order_truth: OrderTruth
) -> str:
    """How a charged order's money disagrees with the goods delivered ("" if not)."""
    charged = sum(truth.captures[ref])
    net = order_truth.fulfilled_net_cents()
    allowed = taxes.acceptable_taxes(engine, order_truth)
    if charged - net in allowed:
        return ""
    return (
        f"{ref} charged {charged}, goods delivered worth {net} before tax "
        f"and {' or '.join(str(t) for t in sorted(allowed))} in tax"
    )


def oversell_measured(result: RunResult, truth: Truth) -> Finding:
    """Oversell is measured, not assumed: every unit a channel sold that no shelf could
    fill is known to the hub as short and was never charged."""
    bad = Violations()
    for (ref, order_truth), order in zip(truth.orders.items(), truth.hub_orders, strict=True):
        if order is None or order_truth.fulfilment not in DELIVERED_FULFILMENTS:
            continue
        hub_short = order.short_units
        shipped = sum(order_truth.fulfilled_units.values())
        if order_truth.ordered_units - shipped != hub_short:
            bad.add(
                f"{ref}: {order_truth.ordered_units - shipped} units unfilled, "
                f"hub recorded {hub_short} short"
            )
    ok = "every unfilled unit is recorded as short"
    return bad.result(ok, "orders with unaccounted shortfalls")


Check = Callable[[RunResult, Truth], Finding]

#: each invariant's check, in the order reports list them
CHECKS: dict[Invariant, Check] = {
    Invariant.NO_LOST_ORDER: no_lost_order,
    Invariant.EXACTLY_ONCE: exactly_once,
    Invariant.CONVERGENCE: convergence,
    Invariant.NO_STATUS_REGRESSION: no_status_regression,
    Invariant.MONEY_BALANCES: money_balances,
    Invariant.OVERSELL_MEASURED: oversell_measured,
    Invariant.PRICES_CONVERGE: lambda result, _truth: prices.prices_converge(result),
    Invariant.HOLDS_RESPECTED: fraud.holds_respected,
}

#: the same invariants judged from the simulated systems' records alone, for a hub the
#: twin cannot look inside (docs/invariants.md, "Judged from ground truth only"):
#: `exactly_once`, `money_balances`, `prices_converge` and `holds_respected` never read
#: the hub, so they serve both ways
GROUND_TRUTH_CHECKS: dict[Invariant, Check] = {
    Invariant.NO_LOST_ORDER: ground_invariants.no_lost_order,
    Invariant.EXACTLY_ONCE: exactly_once,
    Invariant.CONVERGENCE: ground_invariants.convergence,
    Invariant.NO_STATUS_REGRESSION: ground_invariants.no_status_regression,
    Invariant.MONEY_BALANCES: money_balances,
    Invariant.OVERSELL_MEASURED: ground_invariants.oversell_measured,
    Invariant.PRICES_CONVERGE: lambda result, _truth: prices.prices_converge(result),
    Invariant.HOLDS_RESPECTED: fraud.holds_respected,
}


def check(
    result: RunResult, truth: Truth | None = None, *, judged_from: JudgedFrom | None = None
) -> list[CheckResult]:
    """Every invariant, judged as the run calls for (`judging.judged_from`) unless the
    caller says otherwise: `GROUND_TRUTH` reads no hub object at all."""
    truth = truth if truth is not None else gather(result)
    in_process = resolve(result, judged_from) == JudgedFrom.IN_PROCESS
    checks = CHECKS if in_process else GROUND_TRUTH_CHECKS
    findings = ((name, run_check(result, truth)) for name, run_check in checks.items())
    return [CheckResult(name, f.passed, f.detail, f.violations) for name, f in findings]
