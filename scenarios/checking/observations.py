"""The latencies the exported metrics are built from: one adapter over the checker's
records (`scenarios.checking.latency`), so that what Prometheus shows and what
report.json judges are the same items.

Each measure is a list of (label, seconds) per item that finished (an order booked by
the ERP, an order shipped, a stock movement reflected in a channel's feed, a return
refunded), and a list of (label, seconds so far) per item that started and has not
finished: the checker's censored items, counted at the end of the run, or at the
moment of reading while a day runs. At the end of a run they are the orders a design
never booked, which must count against it (issue 13).

Why one small function: the exporter reads the checker's records here and nowhere
else, so a change to how the checker measures reaches the metrics by this module alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from scenarios.checking import fraud, latency
from scenarios.checking.metric_families import LATENCY_BUCKETS_S
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
    #: label -> finished items already counted, as cumulative (le, count) buckets over
    #: `LATENCY_BUCKETS_S` and their sum, for a measure that keeps no item one by one
    #: (the sync lag: `latency.sync_lag_buckets`)
    counted: dict[str, tuple[list[tuple[str, float]], float]] = field(default_factory=dict)


def latency_observations(result: RunResult, truth: Truth) -> dict[str, Observations]:
    """Every latency measure the exporter shows, keyed by measure: `order_to_erp` and
    `order_to_ship` by channel, `sync_lag` by channel, `return_to_refund` by route
    (`gateway`, a refund carried to the card; `till`, cash at a store, 0 s), and
    `fraud_review` by channel (empty without a fraud screen)."""
    return {
        "order_to_erp": _split(latency.order_to_erp(result, truth)),
        "order_to_ship": _split(latency.order_to_ship(result, truth)),
        "sync_lag": Observations(
            [],
            [(item.group, item.seconds) for item in latency.sync_lag_pending(result)],
            latency.sync_lag_buckets(result, LATENCY_BUCKETS_S),
        ),
        "return_to_refund": _split(latency.return_to_refund(result, truth)),
        "fraud_review": _split(_fraud_review(result, truth)),
    }


def _fraud_review(result: RunResult, truth: Truth) -> list[latency.Latency]:
    screen = result.estate.fraud
    if screen is None:
        return []
    channels = {ref: order_truth.order.channel for ref, order_truth in truth.orders.items()}
    return fraud.review_latencies(result, screen, channels)


def _split(items: Iterable[latency.Latency]) -> Observations:
    finished: Records = []
    unfinished: Records = []
    for item in items:
        (unfinished if item.censored else finished).append((item.group, item.seconds))
    return Observations(finished, unfinished)
