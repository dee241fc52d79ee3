"""The latencies the exported metrics are built from: one adapter over the checker's
records, so that what Prometheus shows and what report.json judges are the same items.

Each measure is a list of (label, seconds) per item that finished (an order booked by
the ERP, an order shipped, a stock change reflected in a channel's feed, a return
refunded), and a list of (label, seconds so far) per item that started and has not
finished: censored at the moment of reading. At the end of a run the censored ones are
the orders a design never booked, which must count against it (issue 13).

Why one small function: the checker's records (`scenarios.checking.metrics`) are being
reworked (censored items, sync lag from ground truth); this is the one place the
exporter reads them, so it follows that work by changing this module alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scenarios.checking import metrics
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult

#: label value -> seconds
Records = list[tuple[str, float]]


@dataclass(frozen=True, slots=True)
class Observations:
    """One measure's items: finished ones with their latency, and unfinished ones with
    their age (a lower bound on a latency they have not reached yet)."""

    finished: Records
    unfinished: Records = field(default_factory=list)


def latency_observations(result: RunResult, truth: Truth) -> dict[str, Observations]:
    """Every latency measure the exporter shows, keyed by measure: `order_to_erp` and
    `order_to_ship` by channel, `sync_lag` by channel, `return_to_refund` by route
    (`gateway`, a refund carried to the card; `till`, cash at a store, 0 s)."""
    now = result.estate.hub.ctx.clock.now()
    return {
        "order_to_erp": Observations(
            metrics.order_to_erp_records(result, truth), _never_booked(truth, now)
        ),
        "order_to_ship": Observations(metrics.order_to_ship_records(truth)),
        "sync_lag": Observations(
            [
                (channel.name, lag)
                for channel in (result.estate.storefront, result.estate.marketplace)
                for lag in channel.sync_lag_s
            ]
        ),
        "return_to_refund": Observations(_return_to_refund_records(truth)),
    }


def _never_booked(truth: Truth, now: float) -> Records:
    """Orders a channel accepted that the ERP has not booked (a cancelled order need
    never be): their age so far."""
    return [
        (t.order.channel, now - t.order.placed_at)
        for ref, t in truth.orders.items()
        if not truth.erp_sales_orders.get(ref) and t.fulfilment != "cancelled"
    ]


def _return_to_refund_records(truth: Truth) -> Records:
    """The records behind the checker's `return_to_refund_s`: received (by the WMS's or
    the till's clock) to the gateway's first refund; till refunds at 0 s."""
    records = [
        ("gateway", moves[0][1] - truth.returns_received_at[return_id])
        for return_id, moves in truth.refunds.items()
        if return_id in truth.returns_received_at
    ]
    records += [("till", 0.0) for _ in truth.till_refunds]
    return records
