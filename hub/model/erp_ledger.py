"""What the hub expects the ERP's stock ledger to say, position by position.

The ERP books stock late by design: store sales go in summaries every quarter of an
hour, a delivery is invoiced after the payment is captured, a credit memo follows the
refund, and at peak the writes wait in the hub's ERP queue. So the ERP's figure for a
position is always behind the shelf, and comparing the two says nothing unless the
hub knows by how much it should be behind. This book keeps exactly that:

* `unbooked`: the net quantity of movements the hub has heard (a sale, a shipment, a
  receipt, a return put back) that the ERP has not booked yet. The ERP's figure plus
  `unbooked` must equal the stock the location reports.
* `heard_seq`: the location's movement sequence up to which every movement has been
  accounted for here. A report can overtake the movement before it (reordering, a
  parked event); until the gap closes, the shelf figure holds a movement this book has
  not counted, and the position cannot be judged.
* `open`: postings sent and not settled. The ERP may have booked them or not; until
  the answer is in, the position cannot be judged either.
* `changed`: a stamp of the last posting settled or sent here, so a snapshot that was
  taken while a posting crossed it can be recognised and the position left alone.

Reconciliation (hub/services/reconciliation.py) judges only positions that are
settled by all three tests; what differs there is real drift: a posting lost,
refused, or booked twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hub.messages import StockReport


@dataclass(slots=True)
class LedgerPosition:
    unbooked: int = 0
    heard_seq: int = 0
    open: int = 0
    changed: int = 0
    #: sequence numbers heard beyond a gap, waiting for it to close
    ahead: set[int] | None = None

    def hear(self, seq: int) -> None:
        if seq <= self.heard_seq:
            return  # a repeat of a movement already counted
        if seq == self.heard_seq + 1:
            self.heard_seq = seq
            ahead = self.ahead
            if ahead:
                while self.heard_seq + 1 in ahead:
                    self.heard_seq += 1
                    ahead.discard(self.heard_seq)
                if not ahead:
                    self.ahead = None
            return
        if self.ahead is None:
            self.ahead = set()
        self.ahead.add(seq)


#: (plant, [(sku, signed quantity)]): what one posting does to the ERP's stock
Posting = tuple[str, list[tuple[str, int]]]


class ErpStockLedger:
    """Positions by location, then SKU: reconciliation asks the ERP one plant at a time."""

    __slots__ = ("_at", "stamp")

    def __init__(self) -> None:
        self._at: dict[str, dict[str, LedgerPosition]] = {}
        #: goes up with every posting sent or settled; a snapshot records it when asked
        self.stamp = 0

    def position(self, sku: str, location: str) -> LedgerPosition:
        at = self._at.get(location)
        if at is None:
            at = self._at[location] = {}
        position = at.get(sku)
        if position is None:
            position = at[sku] = LedgerPosition()
        return position

    def find(self, sku: str, location: str) -> LedgerPosition | None:
        at = self._at.get(location)
        return None if at is None else at.get(sku)

    def locations(self) -> list[str]:
        return list(self._at)

    def at(self, location: str) -> dict[str, LedgerPosition]:
        """The location's positions by SKU; do not modify."""
        return self._at.get(location, {})

    def heard(self, reports: Iterable[StockReport], moves: Iterable[tuple[str, str, int]]) -> None:
        """A movement the hub will post: the stock reports that carried it (whose
        sequence numbers it accounts for) and its signed quantities by (sku, location)."""
        # `position` inlined: a till sale hears a report and a move per line, and the
        # call was a good part of what hearing one costs
        by_location = self._at
        for report in reports:
            at = by_location.get(report.location)
            if at is None:
                at = by_location[report.location] = {}
            position = at.get(report.sku)
            if position is None:
                position = at[report.sku] = LedgerPosition()
            seq = report.seq
            if seq == position.heard_seq + 1 and not position.ahead:
                position.heard_seq = seq  # `hear`'s usual case: the next, no gap
            else:
                position.hear(seq)
        for sku, location, quantity in moves:
            at = by_location.get(location)
            if at is None:
                at = by_location[location] = {}
            position = at.get(sku)
            if position is None:
                position = at[sku] = LedgerPosition()
            position.unbooked += quantity

    def sent(self, posting: Posting) -> None:
        plant, items = posting
        self.stamp += 1
        stamp = self.stamp
        if not items:
            return  # `position` makes no plant for a posting with no lines
        # `position` inlined, the plant looked up once: a posting's every line
        at = self._at.get(plant)
        if at is None:
            at = self._at[plant] = {}
        for sku, _ in items:
            position = at.get(sku)
            if position is None:
                position = at[sku] = LedgerPosition()
            position.open += 1
            position.changed = stamp

    def settled(self, posting: Posting, booked: bool, counts_movements: bool = True) -> None:
        """A posting's final answer. Booked, the movements it carried are in the ERP;
        refused, the hub has given up on them, and reconciliation must find the hole.
        An adjustment (`counts_movements` False) books no heard movement: it only closes."""
        plant, items = posting
        self.stamp += 1
        stamp = self.stamp
        if not items:
            return
        # `position` inlined, as in `sent`
        at = self._at.get(plant)
        if at is None:
            at = self._at[plant] = {}
        for sku, quantity in items:
            position = at.get(sku)
            if position is None:
                position = at[sku] = LedgerPosition()
            position.open -= 1
            position.changed = stamp
            if counts_movements:
                position.unbooked -= quantity

    def unsettled(self) -> int:
        return sum(p.open for at in self._at.values() for p in at.values())
