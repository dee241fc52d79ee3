"""Scheduled reconciliation: compare what the hub believes with what the WMS and the
stores count, and correct the hub where the source has newer truth; and, in the same
run, hold the ERP's stock ledger to those counts (hub/services/erp_ledger_check.py).

Events can be lost for longer than any window, and a bug can drift a position; the
periodic snapshot is the backstop. Drift, a metric in the SLA report, counts positions
the hub really had wrong, because a reconciliation that keeps finding drift is hiding a
problem: a position whose numbers differ from the source's at the same version, or one
the snapshot moved ahead of reports that then never arrived (checked at the next run).
A snapshot that merely overtakes reports still on the wire is a catch-up, counted apart:
at peak there are thousands of those, and calling them drift would hide the real thing.
"""

from __future__ import annotations

from hub.adapters import MalformedPayload, pos, wms
from hub.context import HubContext
from hub.resilience.calls import Call
from hub.resilience.dead_letter import DeadLetter
from hub.resilience.results import CallResult, Ok
from hub.services.availability import AvailabilityService
from hub.services.erp_ledger_check import ErpLedgerCheck


class Reconciliation:
    def __init__(
        self, ctx: HubContext, availability: AvailabilityService, erp_ledger: ErpLedgerCheck
    ) -> None:
        self._ctx = ctx
        self._availability = availability
        self.erp_ledger = erp_ledger
        self._outstanding = 0
        self.runs = 0
        self._drift = 0
        self.caught_up = 0
        self.last_drift = 0
        #: positions the last snapshots moved ahead of the hub's reports -> snapshot seq
        self._ahead: dict[tuple[str, str], int] = {}
        ctx.calls.register("stock_snapshot", self._on_snapshot)
        if ctx.policy.reconcile_interval_s > 0:
            ctx.scheduler.call_later(ctx.policy.reconcile_interval_s, ("reconcile", None))

    @property
    def running(self) -> bool:
        return self._outstanding > 0

    def on_due(self) -> None:
        ctx = self._ctx
        ctx.scheduler.call_later(ctx.policy.reconcile_interval_s, ("reconcile", None))
        self.start()

    def start(self) -> None:
        if self.running:
            return
        self.runs += 1
        self.last_drift = self._lost_reports()
        self._drift += self.last_drift
        self._ahead = {}
        ctx = self._ctx
        for dc in ctx.topology.dcs:
            ctx.calls.submit(ctx.topology.system_of(dc), "stock_snapshot", {"dc": dc}, dc)
            self._outstanding += 1
        for store in ctx.topology.stores:
            ctx.calls.submit("pos", "stock_snapshot", {"store": store}, store)
            self._outstanding += 1
        if self.erp_ledger.enabled:
            self.erp_ledger.request()
            self._outstanding += 1

    def _on_snapshot(self, call: Call, result: CallResult) -> None:
        self._outstanding -= 1
        if call.system == "erp":
            self.erp_ledger.on_snapshot(call, result)
            return
        if not isinstance(result, Ok):
            return  # refused or dead-lettered: the next run asks again
        body = result.body
        location = call.key
        try:
            rows = (
                wms.parse_snapshot(location, body)
                if call.system != "pos"  # a DC's, or a drop-ship partner's
                else pos.parse_snapshot(location, body)
            )
        except (MalformedPayload, KeyError, TypeError, ValueError) as exc:
            self._ctx.dead_letters.add(
                DeadLetter(
                    "snapshot",
                    f"{call.system}:stock_snapshot:{location}",
                    f"unreadable stock snapshot: {exc}",
                    self._ctx.clock.now(),
                    None,
                )
            )
            return
        book = self._ctx.inventory
        get, by_sku = book.get, book.by_sku
        ordering, touch, ahead = self._ctx.policy.ordering, self._availability.touch, self._ahead
        for sku, on_hand, quarantined, seq in rows:
            # `book.get`'s usual case inlined, the position there already: a row per
            # position of the location, every run
            at = by_sku.get(sku)
            position = None if at is None else at.get(location)
            if position is None:
                position = get(sku, location)
            source_seq = position.source_seq
            if seq < source_seq and ordering:
                continue  # the hub already has newer news than this snapshot
            if position.on_hand != on_hand or position.quarantined != quarantined:
                # a snapshot newer than a report still on the wire makes that report
                # stale when it lands, so the snapshot must carry everything it would have
                if seq > source_seq:
                    ahead[(sku, location)] = seq
                    self.caught_up += 1
                else:
                    self._drift += 1
                    self.last_drift += 1
                position.on_hand = on_hand
                position.quarantined = quarantined
                touch(position)
            elif seq > source_seq:
                # the count was right but the news behind it is newer: the channels'
                # feeds say which movements their figures include, so push it anyway
                touch(position)
            if seq > source_seq:  # `max(position.source_seq, seq)` without the call
                position.source_seq = seq

    def _lost_reports(self) -> int:
        """Positions the previous run moved ahead of reports that have not arrived since:
        lost for longer than a whole interval, which is drift."""
        book = self._ctx.inventory
        lost = 0
        for (sku, location), seq in self._ahead.items():
            position = book.find(sku, location)
            if position is not None and position.reported_seq < seq:
                lost += 1
        return lost

    @property
    def drift_corrected(self) -> int:
        """Positions the hub had wrong, over the run (including the last run's
        catch-ups whose reports never arrived)."""
        return self._drift + self._lost_reports()
