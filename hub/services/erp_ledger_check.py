"""Reconciliation against the ERP's stock ledger: is the book of record what the
shelves say, once the postings still on their way are allowed for?

The ERP is where stock is valued, so a hole in it is a hole in the accounts: a store
summary refused, an invoice booked twice by a blind retry, a credit memo that never
went. The hub asks the ERP for its stock ledger and judges each position the hub can
vouch for (hub/model/erp_ledger.py says which): the ERP's figure plus what is still
unbooked must equal what the location counts. A difference is drift. With
`erp_reconcile = "adjust"` the hub books it as an inventory difference, as a stock
controller would after a count, because the location's count is the truth about stock;
with "report" it only counts it, for architects who want to see the holes.
"""

from __future__ import annotations

from hub.adapters import MalformedPayload, erp
from hub.context import HubContext
from hub.model.erp_ledger import ErpStockLedger
from hub.resilience.calls import Call
from hub.resilience.dead_letter import DeadLetter
from hub.resilience.results import CallResult, DeadLettered, Ok, Rejected
from hub.services.erp_writer import ErpWriter

#: findings kept for the operations view; the counts cover them all
_FINDINGS_KEPT = 20


class ErpLedgerCheck:
    def __init__(self, ctx: HubContext, erp_writer: ErpWriter) -> None:
        self._ctx = ctx
        self._erp = erp_writer
        self._ledger: ErpStockLedger = erp_writer.ledger
        self.runs = 0
        self.positions_judged = 0
        self.positions_unsettled = 0
        #: positions whose ERP figure was wrong, over the run
        self.drift = 0
        self.last_drift = 0
        self.adjusted_units = 0
        self.findings: list[str] = []

    @property
    def enabled(self) -> bool:
        return self._ctx.policy.erp_reconcile != "off"

    def request(self) -> None:
        """Ask for the ERP's stock ledger, remembering how far postings had got."""
        self.runs += 1
        self._ctx.calls.submit(
            erp.SYSTEM,
            "stock_snapshot",
            erp.stock_snapshot(),
            "ledger",
            {"stamp": self._ledger.asked()},
        )

    def on_snapshot(self, call: Call, result: CallResult) -> None:
        stamp = int(call.context["stamp"])
        if isinstance(result, DeadLettered):
            return  # the next run asks again; this one may still be replayed
        self._read(result, stamp)
        # after judging: the ledger may fold what this snapshot alone still held apart
        self._ledger.answered(stamp)

    def _read(self, result: Ok | Rejected, stamp: int) -> None:
        ctx = self._ctx
        if not isinstance(result, Ok):
            return  # refused: the next run asks again
        try:
            rows = erp.parse_snapshot(result.body)
        except (MalformedPayload, KeyError, TypeError, ValueError) as exc:
            ctx.dead_letters.add(
                DeadLetter(
                    "snapshot",
                    "erp:stock_snapshot",
                    f"unreadable ERP stock ledger: {exc}",
                    ctx.clock.now(),
                    None,
                )
            )
            return
        self._judge(rows, stamp)

    def _judge(self, erp_stock: dict[str, erp.PlantStock], stamp: int) -> None:
        """Every position the ERP or the hub's ledger knows, location by location (no
        key per position while the ERP's whole export is held, and a dict of one
        location's at a time: `erp.plant_stock`), each location's in SKU order; the
        findings kept are the first in (sku, location) order."""
        by_sku, ledger = self._ctx.inventory.by_sku, self._ledger
        plants = set(erp_stock)
        plants.update(ledger.locations())
        differences: dict[str, list[tuple[str, int]]] = {}
        #: (sku, location, ERP, unbooked, counted) of this run's differences, while
        #: findings are still kept
        found: list[tuple[str, str, int, int, int]] = []
        keep = len(self.findings) < _FINDINGS_KEPT
        drift = 0
        for plant in sorted(plants):
            erp_at = erp.plant_stock(erp_stock.get(plant, []))
            mine_at = ledger.at(plant)
            for sku in sorted(erp_at.keys() | mine_at.keys()):
                mine = mine_at.get(sku)
                unbooked = heard_seq = 0
                if isinstance(mine, int):
                    heard_seq = mine  # at rest, and no posting crossed the snapshot
                elif mine is not None:
                    if mine.open or mine.changed > stamp:
                        # a posting is on its way, or crossed the snapshot
                        self.positions_unsettled += 1
                        continue
                    unbooked, heard_seq = mine.unbooked, mine.heard_seq
                at = by_sku.get(sku)  # `inventory.find` inlined: every position, every run
                position = None if at is None else at.get(plant)
                if position is None or position.source_seq != heard_seq:
                    # the shelf figure holds a movement not accounted for yet (a report
                    # that overtook it, a snapshot ahead of reports), or is behind one
                    self.positions_unsettled += 1
                    continue
                self.positions_judged += 1
                erp_qty = erp_at.get(sku, 0)
                difference = position.on_hand - erp_qty - unbooked
                if difference:
                    drift += 1
                    differences.setdefault(plant, []).append((sku, difference))
                    if keep:
                        found.append((sku, plant, erp_qty, unbooked, position.on_hand))
        found.sort()
        for sku, plant, erp_qty, unbooked, counted in found[: _FINDINGS_KEPT - len(self.findings)]:
            self.findings.append(
                f"{sku}@{plant}: ERP {erp_qty}, {unbooked:+d} unbooked, location counts {counted}"
            )
        self.last_drift = drift
        self.drift += drift
        if self._ctx.policy.erp_reconcile == "adjust":
            self._adjust(differences)

    def _adjust(self, differences: dict[str, list[tuple[str, int]]]) -> None:
        """One inventory-difference document per plant, like a count's write-off."""
        for plant, items in sorted(differences.items()):
            self.adjusted_units += sum(abs(quantity) for _, quantity in items)
            self._erp.submit(
                "post_goods_movement",
                erp.post_goods_movement(
                    f"ADJ-{self.runs:03d}-{plant}", plant, items, "inventory_difference"
                ),
                plant,
                stock=(plant, items),
                adjustment=True,
            )
