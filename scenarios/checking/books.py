"""Whether the books kept up, from the backends' own records: the ERP's ledger drift,
duplicated effects, and the backlog of physical facts the ERP has not been told.

Each is a number an SLA can gate, read from the systems of record rather than from the
hub's counters: a hub that quietly mends its own mistakes (an "adjust" reconciliation
writing off the stock it forgot to post) must not look as good as one that made none.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator
from heapq import merge
from typing import Any

from scenarios.checking.order_truths import DELIVERED_FULFILMENTS
from scenarios.checking.ref_slots import RefSlots
from scenarios.checking.truth import PhysicalStock, Truth
from scenarios.twin.run_result import RunResult

#: the reason an ERP goods movement carries when it writes off an inventory difference
WRITE_OFF = "inventory_difference"
#: values of a backlog's span times sorted at once (`deepest_overlap`)
SORT_CHUNK = 16384


def erp_ledger_drift(result: RunResult) -> dict[str, Any]:
    """Stock positions the ERP's ledger had wrong: lines it had to write off as an
    inventory difference during the run, plus positions where its stock differs from
    the physical count (the WMS's and the tills') at the end (a live day still going on
    has postings on their way, so only its write-offs count). A hub that posts every
    movement needs no write-off; one that skips postings and writes the difference off
    later is caught by the first term, one that only reports it by the second."""
    erp = result.estate.erp
    written_off: set[tuple[str, str]] = set()
    units = 0
    for document in erp.documents.values():
        if document.kind == "goods_movement" and document.reason == WRITE_OFF:
            for sku, quantity in document.items:
                written_off.add((sku, document.plant))
                units += abs(quantity)
    off_at_end = 0
    if result.sealed is not None:  # mid-day, postings on their way are not drift
        # read from the rooms where they stand, not copied into a dict and a union of
        # two sets of every position (the judging's highest point at a full-scale peak);
        # a position only the ERP holds counts unless it holds none there either
        physical = PhysicalStock((result.estate.wms.stock, result.estate.pos.stock))
        ledger = erp.stock
        off_at_end = sum(1 for key in physical if physical[key][0] != ledger.get(key, 0))
        off_at_end += sum(1 for key, qty in ledger.items() if qty and key not in physical)
    return {
        "positions_written_off": len(written_off),
        "units_written_off": units,
        "positions_off_at_end": off_at_end,
        "drift": len(written_off) + off_at_end,
    }


def duplicated_effects(truth: Truth) -> dict[str, Any]:
    """Effects the backends carried out more than once: extra ERP sales orders, extra
    captures, extra refunds, as a share of the orders and returns they belong to. The
    network's duplicates are the input; these are what got past the hub."""
    extra_sales_orders = sum(len(n) - 1 for n in truth.erp_sales_orders.values() if len(n) > 1)
    extra_captures = sum(len(a) - 1 for a in truth.captures.values() if len(a) > 1)
    extra_refunds = sum(len(m) - 1 for m in truth.refunds.values() if len(m) > 1)
    extra = extra_sales_orders + extra_captures + extra_refunds
    items = len(truth.orders) + len(truth.returns_received_at)
    return {
        "extra_sales_orders": extra_sales_orders,
        "extra_captures": extra_captures,
        "extra_refunds": extra_refunds,
        "rate_pct": round(100.0 * extra / items, 4) if items else 0.0,
    }


def reconciliation_backlog(result: RunResult, truth: Truth) -> dict[str, Any]:
    """Physical facts the ERP had not yet booked, over the run: orders that left the
    building without an ERP invoice, returns received without a credit memo. Each is
    in the backlog from the moment it happened (the WMS's, the store's clock) to the
    moment the ERP booked its document (the ERP's clock), or to the end of the run.

    The spans are kept as two arrays of doubles, not a tuple each: a multi-day run has
    hundreds of thousands, and their tuples, sorted twice over, were the largest
    transient of the whole judging (34 MiB at peak-weekend's quarter scale)."""
    erp = result.estate.erp
    end = result.sealed.ended_at if result.sealed is not None else result.estate.now
    invoiced = _first_invoiced(result)
    starts, stops = array("d"), array("d")
    items = open_at_end = 0

    def span(start: float, stop: float) -> None:
        nonlocal items, open_at_end
        items += 1
        if stop >= end and start <= end:
            open_at_end += 1
        if stop > start:
            starts.append(start)
            stops.append(stop)

    for ref, order_truth in truth.orders.items():
        if order_truth.fulfilment in DELIVERED_FULFILMENTS:
            booked = invoiced.get(ref)
            span(order_truth.fulfilled_at, end if booked is None else booked)
    for return_id, received in truth.returns_received_at.items():
        memos = [erp.documents[no].booked_at for no in erp.by_ref.get(f"CM-{return_id}", [])]
        span(received, min(memos, default=end))
    return {"max": deepest_overlap(starts, stops), "at_end": open_at_end, "items": items}


def _first_invoiced(result: RunResult) -> RefSlots[float]:
    """The invoices' external ref (a channel order's) -> when the ERP booked the first:
    one walk over the documents, not a look-up of the order per invoice (the orders are
    read as a stream, truth.py), kept without a string per order (ref_slots.py)."""
    invoiced: RefSlots[float] = RefSlots("d", -math.inf)
    for document in result.estate.erp.documents.values():
        if document.kind != "invoice":
            continue
        ref = document.external_ref
        booked = invoiced.get(ref)
        if booked is None or document.booked_at < booked:
            invoiced.set(ref, document.booked_at)
    return invoiced


def deepest_overlap(starts: array[float], stops: array[float]) -> int:
    """The most spans open at once, each from `starts[i]` to `stops[i]` (stop after
    start). At one instant a span that stops is counted before one that starts. Both
    arrays are sorted in place, `SORT_CHUNK` values at a time, and read back in order
    through a merge of the sorted runs: sorting a whole array at once made a list of
    float objects, 32 bytes a value, the largest transient of a multi-day run's judging
    once its per-order dicts were gone."""
    opened, closed = _in_order(starts), _in_order(stops)
    depth = peak = 0
    stop = next(closed, math.inf)
    for start in opened:
        while stop <= start:  # every span stops after it starts: stops stay behind
            depth -= 1
            stop = next(closed, math.inf)
        depth += 1
        peak = max(peak, depth)
    return peak


def _in_order(values: array[float]) -> Iterator[float]:
    """`values`, each run of `SORT_CHUNK` sorted in place, read in ascending order (the
    runs read through views of the array, not copies)."""
    starts = range(0, len(values), SORT_CHUNK)
    for at in starts:
        values[at : at + SORT_CHUNK] = array("d", sorted(values[at : at + SORT_CHUNK]))
    whole = memoryview(values)
    return merge(*(whole[at : at + SORT_CHUNK] for at in starts))
