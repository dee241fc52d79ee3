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

Most positions are at rest most of the time (nothing unbooked, no posting open, no
gap): over a peak weekend nine in ten. Such a position is kept as its `heard_seq`
alone, in its location's arrays (hub/model/resting_positions.py: about 13 bytes where a
dict entry and its int were about 40), and a `LedgerPosition` is made again the moment
it is heard of, posted or settled. What that drops is `changed`, which only a snapshot
asked for before it still reads (`changed > stamp`). So a position is folded only once
its `changed` is no newer than every snapshot still to be judged (`asked`, until
`answered`): any later snapshot's stamp is at least the ledger's stamp, which is never
below a position's `changed`, so a position made again with `changed` 0 is judged
exactly as it would have been.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from hub.messages import StockReport
from hub.model.resting_positions import RestingPositions


@dataclass(slots=True)
class LedgerPosition:
    unbooked: int = 0
    heard_seq: int = 0
    open: int = 0
    changed: int = 0
    #: sequence numbers heard beyond a gap, waiting for it to close
    ahead: set[int] | None = None
    #: where its location's arrays held it at rest when it was made again (-1: not
    #: there), so folding it back finds its place without a search if nothing moved it
    rest_at: int = field(default=-1, compare=False, repr=False)

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


#: a position as `ErpStockLedger.at` gives it: busy, or at rest as its `heard_seq`
Held = LedgerPosition | int


class _Location:
    """One location's positions: the busy ones by SKU, the ones at rest in arrays (a
    SKU in both is busy; its sequence there is stale until it folds again)."""

    __slots__ = ("busy", "rest")

    def __init__(self) -> None:
        self.busy: dict[str, LedgerPosition] = {}
        self.rest = RestingPositions()

    def made(self, sku: str) -> LedgerPosition:
        """The busy position for `sku`, made (again) from its sequence if need be."""
        rest = self.rest
        i = rest.index(sku)
        position = self.busy[sku] = LedgerPosition(
            heard_seq=rest.seqs[i] if i >= 0 else 0, rest_at=i
        )
        return position

    def fold(self, sku: str, position: LedgerPosition) -> None:
        """The busy `position` is at rest: kept as its sequence alone."""
        rest, i = self.rest, position.rest_at
        if 0 <= i < len(rest.skus) and rest.skus[i] == sku:
            rest.seqs[i] = position.heard_seq  # where it was made from: a sale's usual case
        else:
            rest.put(sku, position.heard_seq)
        del self.busy[sku]


class ErpStockLedger:
    """Positions by location, then SKU: reconciliation asks the ERP one plant at a time."""

    __slots__ = ("_asked", "_at", "stamp")

    def __init__(self) -> None:
        self._at: dict[str, _Location] = {}
        #: goes up with every posting sent or settled; a snapshot records it when asked
        self.stamp = 0
        #: the stamps of the snapshots asked for and still to be judged
        self._asked: list[int] = []

    def _location(self, location: str) -> _Location:
        at = self._at.get(location)
        if at is None:
            at = self._at[location] = _Location()
        return at

    def position(self, sku: str, location: str) -> LedgerPosition:
        """The position, made (again) if need be, to be changed."""
        at = self._location(location)
        position = at.busy.get(sku)
        return at.made(sku) if position is None else position

    def find(self, sku: str, location: str) -> LedgerPosition | None:
        """The position as it stands (one at rest as a new `LedgerPosition`); do not modify."""
        at = self._at.get(location)
        if at is None:
            return None
        position = at.busy.get(sku)
        if position is None:
            i = at.rest.index(sku)
            return LedgerPosition(heard_seq=at.rest.seqs[i]) if i >= 0 else None
        return position

    def locations(self) -> list[str]:
        return list(self._at)

    def at(self, location: str) -> dict[str, Held]:
        """The location's positions by SKU, one at rest as its `heard_seq`: a dict made
        for the caller (reconciliation reads one location at a time); do not modify
        what it holds."""
        at = self._at.get(location)
        if at is None:
            return {}
        held: dict[str, Held] = dict(at.rest.items())
        held.update(at.busy)
        return held

    def heard(self, reports: Iterable[StockReport], moves: Iterable[tuple[str, str, int]]) -> None:
        """A movement the hub will post: the stock reports that carried it (whose
        sequence numbers it accounts for) and its signed quantities by (sku, location)."""
        # `position` inlined: a till sale hears a report and a move per line, and the
        # call was a good part of what hearing one costs
        by_location = self._at
        for report in reports:
            at = by_location.get(report.location)
            if at is None:
                at = by_location[report.location] = _Location()
            seq = report.seq
            position = at.busy.get(report.sku)
            if position is None:
                rest = at.rest
                i = rest.index(report.sku)
                if i >= 0 and seq == rest.seqs[i] + 1:
                    rest.seqs[i] = seq  # at rest still: the next, no gap
                    continue
                position = at.busy[report.sku] = LedgerPosition(
                    heard_seq=rest.seqs[i] if i >= 0 else 0, rest_at=i
                )
            if seq == position.heard_seq + 1 and not position.ahead:
                position.heard_seq = seq  # `hear`'s usual case: the next, no gap
            else:
                position.hear(seq)
        for sku, location, quantity in moves:
            at = by_location.get(location)
            if at is None:
                at = by_location[location] = _Location()
            position = at.busy.get(sku)
            if position is None:
                position = at.made(sku)
            position.unbooked += quantity

    def sent(self, posting: Posting) -> None:
        plant, items = posting
        self.stamp += 1
        stamp = self.stamp
        if not items:
            return  # `position` makes no plant for a posting with no lines
        # `position` inlined, the plant looked up once: a posting's every line
        at = self._location(plant)
        busy = at.busy
        for sku, _ in items:
            position = busy.get(sku)
            if position is None:
                position = at.made(sku)
            position.open += 1
            position.changed = stamp

    def settled(self, posting: Posting, booked: bool, counts_movements: bool = True) -> None:
        """A posting's final answer. Booked, the movements it carried are in the ERP;
        refused, the hub has given up on them, and reconciliation must find the hole.
        An adjustment (`counts_movements` False) books no heard movement: it only closes.
        A position this leaves at rest is folded to its `heard_seq` unless a snapshot is
        still to be judged (it then waits for `answered`)."""
        plant, items = posting
        self.stamp += 1
        stamp = self.stamp
        if not items:
            return
        # `position` inlined, as in `sent`
        at = self._location(plant)
        busy = at.busy
        fold = not self._asked
        for sku, quantity in items:
            position = busy.get(sku)
            if position is None:
                position = at.made(sku)
            position.open -= 1
            position.changed = stamp
            if counts_movements:
                position.unbooked -= quantity
            if fold and not position.open and not position.unbooked and position.ahead is None:
                at.fold(sku, position)

    def asked(self) -> int:
        """A snapshot of the ERP's ledger is asked for: the stamp it is to be judged by."""
        self._asked.append(self.stamp)
        return self.stamp

    def answered(self, stamp: int) -> None:
        """The snapshot asked for at `stamp` has had its final answer (judged, or
        refused): fold every position at rest that no snapshot still to come can find
        crossed by a posting. A dead-lettered snapshot may be replayed and answer yet,
        so it is not answered."""
        self._asked.remove(stamp)
        horizon = min(self._asked, default=self.stamp)
        for at in self._at.values():
            resting = [
                (sku, position)
                for sku, position in at.busy.items()
                if not position.open
                and not position.unbooked
                and position.ahead is None
                and position.changed <= horizon
            ]
            for sku, position in resting:
                at.fold(sku, position)

    def unsettled(self) -> int:
        return sum(p.open for at in self._at.values() for p in at.busy.values())
