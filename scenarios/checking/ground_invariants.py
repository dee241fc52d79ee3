"""The invariants judged from the simulated systems' records alone: how a hub that runs
as a process of its own (and so has no object the twin could read) is judged.

Each check here puts one invariant of `invariants` another way, reading only what the
backends and the channels recorded (`truth`, `traces`), never a hub object: what the
hub "left an order as" is the last status it told the channel, whether an order
"reached the hub" is whether any system the hub drives has a trace of it. There is no
exception queue to excuse anything: a hub's exception queue is its own claim, and a
problem parked there is, from the systems' side, a problem not solved. docs/invariants.md
("Judged from ground truth only") says what each check holds, and where it is weaker or
stronger than the in-process one.
"""

from __future__ import annotations

from scenarios.checking import tax
from scenarios.checking import traces as seen
from scenarios.checking.findings import Finding, Violations
from scenarios.checking.ground_stock import stock_agrees
from scenarios.checking.latency import run_end
from scenarios.checking.order_truths import DELIVERED_FULFILMENTS, Fulfilment, OrderTruth
from scenarios.checking.traces import Traces, gather_traces
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult
from simulators.b2b import CHANNEL as B2B
from simulators.channel_returns import ReturnNotice
from simulators.till_return import TillReturn

__all__ = ["convergence", "no_lost_order", "no_status_regression", "oversell_measured"]


def no_lost_order(result: RunResult, truth: Truth) -> Finding:
    """Every accepted order left a trace in some system the hub drives, and ended as
    the systems show it: fulfilled, booked, invoiced, charged and the channel told so;
    or never fulfilled, the channel told it was cancelled, nothing open in the ERP and
    none of the customer's money held; or still being fulfilled and not called
    cancelled. Every return whose goods came back was refunded and credited in the ERP.
    No exception queue excuses anything here: it is the hub's own claim."""
    traces = gather_traces(result)
    bad = Violations()
    in_flight = 0
    for ref, order_truth in truth.orders.items():
        order = order_truth.order
        if not seen.reached_hub(result, traces, order):
            bad.add(f"{ref} ({order.channel}) never reached the hub")
        elif order_truth.fulfilment == Fulfilment.IN_FLIGHT:
            in_flight += 1
            if any(status == seen.CANCELLED for _, status, _ in order.notices):
                bad.add(
                    f"{ref} is still being fulfilled but the hub told {order.channel} cancelled"
                )
        elif order_truth.fulfilment in DELIVERED_FULFILMENTS:
            _fulfilled_settled(result, truth, order_truth, bad)
        else:
            _unfulfilled_settled(result, truth, traces, order_truth, bad)
    inspecting = _returns_accounted_for(result, truth, bad)
    ok = (
        f"{len(truth.orders)} accepted orders accounted for from the systems' records "
        f"({in_flight} still in fulfilment); every return that came back is refunded and "
        f"credited ({inspecting} still being inspected)"
    )
    return bad.result(ok, "orders or returns lost or stuck")


def _told(order_truth: OrderTruth) -> str:
    return seen.last_told(order_truth.order) or "nothing"


def _fulfilled_settled(
    result: RunResult, truth: Truth, order_truth: OrderTruth, bad: Violations
) -> None:
    """Shipped or collected: a sales order, an invoice, a capture (unless the gateway
    declined the card, or it is a company's order on account: `money_balances` holds
    its invoice to the receivable) and the channel told so."""
    order, fulfilment = order_truth.order, order_truth.fulfilment
    ref = order.ref
    if not truth.erp_sales_orders.get(ref):
        bad.add(f"{ref} was {fulfilment} but the ERP has no sales order for it")
    elif not _invoiced(result, truth, ref):
        bad.add(f"{ref} was {fulfilment} but never invoiced in the ERP")
    elif (
        order.channel != B2B
        and ref not in truth.captures
        and ref not in result.estate.payment.declined
    ):
        bad.add(f"{ref} was {fulfilment} but the gateway never captured its payment")
    elif seen.last_told(order) != fulfilment:
        bad.add(
            f"{ref} was {fulfilment} but the hub last told {order.channel} {_told(order_truth)}"
        )


def _unfulfilled_settled(
    result: RunResult, truth: Truth, traces: Traces, order_truth: OrderTruth, bad: Violations
) -> None:
    """Never fulfilled: the channel told it was cancelled, no ERP sales order left open
    and no authorisation still holding the customer's money."""
    order = order_truth.order
    ref = order.ref
    if seen.last_told(order) != seen.CANCELLED:
        bad.add(
            f"{ref} was never fulfilled and the hub last told {order.channel} {_told(order_truth)}"
        )
        return
    documents = result.estate.erp.documents
    open_erp = [no for no in truth.erp_sales_orders.get(ref, []) if documents[no].status == "open"]
    if open_erp:
        bad.add(f"{ref} was cancelled but ERP sales order {open_erp[0]} is open")
        return
    held = next(seen.money_held(traces, ref, run_end(result)), None)
    if held is not None:
        bad.add(f"{ref} was cancelled but authorisation {held.auth_id} still holds {held.amount}")


def _invoiced(result: RunResult, truth: Truth, ref: str) -> bool:
    documents = result.estate.erp.documents
    return any(documents[no].status == "invoiced" for no in truth.erp_sales_orders.get(ref, []))


def _returns_accounted_for(result: RunResult, truth: Truth, bad: Violations) -> int:
    """Goods that physically came back (over a counter, or inspected at a DC) were
    refunded (at the till, or by the gateway; or there was nothing to refund, the order
    never having been charged) and credited in the ERP (`CM-<return id>`); every return
    a channel opened was either expected at a DC or answered. The built-in hub refunds
    damaged goods too (hub/services/return_to_refund.py): the grade decides where the
    goods go, not whether the money goes back. Returns the number of returns received
    at a DC and not yet inspected."""
    estate = result.estate
    for counter in estate.pos.returns:
        return_id, store = counter.txn, counter.store
        at_till = bool(counter.refunded_at_till_cents)
        never_charged = _never_charged(truth, counter)
        refunded = at_till or return_id in truth.refunds or never_charged
        credited = f"CM-{return_id}" in truth.erp_docs_by_ref
        if not (refunded or credited):
            bad.add(f"return {return_id} came back at {store} but never reached the hub")
        elif not refunded:
            bad.add(f"return {return_id} came back at {store} but was never refunded")
        elif not credited:
            how = "refunded at the till" if at_till else "refunded"
            if never_charged and return_id not in truth.refunds:
                how = "with nothing to refund"
            bad.add(f"return {return_id} came back at {store}, {how}, but was never credited")
    inspecting = 0
    for return_id, wms_return in estate.wms.returns.items():
        if wms_return.status == "expected":
            continue
        if wms_return.status == "received":
            inspecting += 1
            continue
        refunded = return_id in truth.refunds or wms_return.order_ref not in truth.captures
        if not refunded:
            bad.add(f"return {return_id} was inspected at {wms_return.dc} but never refunded")
        elif f"CM-{return_id}" not in truth.erp_docs_by_ref:
            bad.add(f"return {return_id} was inspected at {wms_return.dc} but never credited")
    for channel in seen.channels(result):
        for opened in (r for returns in channel.returns_opened.values() for r in returns):
            if opened.id not in estate.wms.returns and opened.id not in channel.return_statuses:
                bad.add(f"return {opened.id} opened at {channel.name} never reached the hub")
    return inspecting


def _never_charged(truth: Truth, counter: TillReturn) -> bool:
    """A channel order brought back over a counter whose payment was never captured:
    no money went out, so none goes back (the ERP still takes the goods back)."""
    return counter.channel != "store" and counter.order_ref not in truth.captures


def convergence(result: RunResult, truth: Truth) -> Finding:
    """The ERP's stock equals each location's own count; the channels' ship-to-home
    views agree with each other; no view offers more than the locations can sell, and
    a view of stock no open order holds offers exactly what they can sell
    (`ground_stock`)."""
    bad = Violations()
    erp_stock = result.estate.erp.stock
    for key in sorted(set(truth.stock) | set(erp_stock)):
        sku, location = key
        physical, _ = truth.stock.get(key, (0, 0))
        erp_on_hand = erp_stock.get(key, 0)
        if erp_on_hand != physical:
            bad.add(f"{sku}@{location}: ERP stock {erp_on_hand}, location counts {physical}")
    views = stock_agrees(result, truth, bad)
    ok = f"{len(truth.stock)} positions and {views} channel views agree with the locations"
    return bad.result(ok, "disagreements")


def no_status_regression(result: RunResult, truth: Truth) -> Finding:
    """Nothing the channels are told ever moves backwards: each order's notices, in the
    hub's version order, never fall in rank nor change after a final status; each
    return's notices, in the order the hub sent them, never fall in rank; no stock view
    is fed an older state of its source than it showed before; and what a channel was
    last told is not behind what the fulfilment systems and the gateway did."""
    traces = gather_traces(result)
    bad = Violations()
    for ref, order_truth in truth.orders.items():
        order = order_truth.order
        regression = _order_told_back(sorted(order.notices))
        if regression:
            bad.add(f"{ref}: {regression}")
        told = seen.last_told(order)
        if order_truth.fulfilment in DELIVERED_FULFILMENTS and told not in (
            None,
            order_truth.fulfilment,
        ):
            bad.add(
                f"{ref} was {order_truth.fulfilment} but the hub last told {order.channel} "
                f"{_told(order_truth)}"
            )
    for return_id, notices in traces.return_notices.items():
        regression = _return_told_back(seen.ordered_return_notices(notices))
        if regression:
            bad.add(f"return {return_id}: {regression}")
    _returns_told_what_happened(result, truth, traces, bad)
    for channel in seen.channels(result):
        for back in channel.moved_back:
            sku, location = back.position
            bad.add(
                f"{channel.name}'s view of {sku}@{location} went back from source movement "
                f"{back.from_seq} to {back.to_seq} at {back.at:.0f}s"
            )
    ok = (
        f"{len(truth.orders)} orders, {len(traces.return_notices)} returns and every stock "
        f"view were only ever told forward"
    )
    return bad.result(ok, "regressions")


def _order_told_back(notices: list[tuple[int, str, float]]) -> str:
    """How an order's notices, in version order, went backwards ("" if they never did):
    a lower rank after a higher one, or another status after a final one."""
    rank, final = -1, ""
    for version, status, _ in notices:
        this = seen.ORDER_RANK.get(status, -1)
        if this < rank:
            return f"told the channel {status} (v{version}) after a later status"
        if final and status != final:
            return f"told the channel {status} (v{version}) after {final}"
        rank = this
        if status in seen.FINAL_ORDER:
            final = status
    return ""


def _return_told_back(notices: list[ReturnNotice]) -> str:
    """How a return's notices, in the order the hub sent them, went backwards ("" if
    they never did)."""
    rank, final = -1, ""
    for notice in notices:
        this = seen.RETURN_RANK.get(notice.status, -1)
        sent = f"{notice.status} (sent at {notice.sent_at:.0f}s)"
        if this < rank:
            return f"told the channel {sent} after a later status"
        if final and notice.status != final:
            return f"told the channel {sent} after {final}"
        rank = this
        if notice.status in seen.FINAL_RETURN:
            final = notice.status
    return ""


def _returns_told_what_happened(
    result: RunResult, truth: Truth, traces: Traces, bad: Violations
) -> None:
    """The channel's last word on a return is not behind the goods and the money: a
    return received at a DC was last told at least received, and any return of a
    channel order refunded (at a DC or over a counter) was last told refunded. Returns
    of store sales are the till's business: no channel need hear of them."""
    refunds, till_refunds = truth.refunds, truth.till_refunds
    # looked up in both, not copied into a set of every refunded return's id
    wanted: list[tuple[str, str, str]] = []
    for return_id, wms_return in result.estate.wms.returns.items():
        if wms_return.status != "expected":
            refunded = return_id in refunds or return_id in till_refunds
            want = seen.REFUNDED if refunded else seen.RECEIVED
            wanted.append((return_id, wms_return.dc, want))
    for counter in result.estate.pos.returns:
        return_id = counter.txn
        if counter.channel != "store" and (return_id in refunds or return_id in till_refunds):
            wanted.append((return_id, counter.store, seen.REFUNDED))
    for return_id, location, want in wanted:
        notices = seen.ordered_return_notices(traces.return_notices.get(return_id, []))
        last = notices[-1].status if notices else "nothing"
        if seen.RETURN_RANK.get(last, -1) < seen.RETURN_RANK[want]:
            bad.add(
                f"return {return_id} came back at {location} and was {want} but the channel "
                f"was last told {last}"
            )


def oversell_measured(result: RunResult, truth: Truth) -> Finding:
    """Oversell is measured, not assumed: an order's unfilled units were never billed
    and never charged. Every ERP invoice of an order lists exactly the units that left
    the building, and the gateway took no more than the goods delivered are worth (an
    order nothing left for: no invoice, no charge). The hub's own record of shortfalls
    is not visible; what a hub that lost track of them would get wrong is."""
    traces = gather_traces(result)
    bad = Violations()
    for ref, order_truth in truth.orders.items():
        delivered = (
            order_truth.fulfilled_units if order_truth.fulfilment in DELIVERED_FULFILMENTS else {}
        )
        delivered = {sku: units for sku, units in delivered.items() if units}
        unfilled = order_truth.ordered_units - sum(delivered.values())
        for invoice in traces.invoices.get(ref, []):
            billed: dict[str, int] = {}
            for sku, units in invoice.items:
                billed[sku] = billed.get(sku, 0) + units
            if billed != delivered:
                bad.add(
                    f"{ref}: invoice {invoice.number} bills {sum(billed.values())} units, "
                    f"{sum(delivered.values())} left the building ({unfilled} unfilled)"
                )
        worth = (
            order_truth.fulfilled_net_cents()
            + max(tax.acceptable_taxes(result.estate.tax, order_truth))
            if delivered
            else 0
        )
        charged = sum(truth.captures.get(ref, []))
        if charged > worth:
            bad.add(
                f"{ref}: charged {charged}, goods delivered worth {worth} ({unfilled} unfilled)"
            )
    ok = "no unfilled unit was invoiced or charged"
    return bad.result(ok, "orders billed for units never delivered")
