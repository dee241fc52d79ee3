"""Goods taken back over a store's counter, as the till records them for the checker."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TillReturn:
    """Goods taken back over a store's counter, as the till keeps them for the checker.

    Final the moment it is made, so a batch run writes it out at once (a `RecordLog`
    sealed into the run's spill) instead of keeping the message it sent the hub: a
    peak day takes tens of thousands of these back, and the message, a dict of dicts
    with the stock it left behind, cost three times as much to hold. Plain values only
    (strings, numbers, tuples of them), so the spill can marshal it."""

    txn: str
    store: str
    #: the order (web, click-and-collect) or till transaction (a store sale) it returns
    order_ref: str
    channel: str
    #: resellable | damaged
    grade: str
    at: float
    #: (sku, quantity, refund net, refund tax) for each line
    lines: tuple[tuple[str, int, int, int], ...]
    #: what the till paid back itself (0: the hub refunds it to the card)
    refunded_at_till_cents: int
