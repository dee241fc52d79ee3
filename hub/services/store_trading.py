"""Store trading and goods receipts, posted to the ERP in summaries.

Two hundred stores ringing up sales all day would swamp an ERP if every receipt were a
document, so, as retailers do, the hub posts each store's sales as a periodic summary
(quantities per SKU and the takings as a journal). Each summary's reference names the
store and the period, so a retried posting cannot book the same takings twice.
Replenishment receipts at DCs and stores are posted as goods movements.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hub.adapters import erp
from hub.context import HubContext
from hub.messages import StockReceived, StoreSaleRecorded
from hub.model.ledger import sale_posting
from hub.resilience.calls import Call
from hub.resilience.results import CallResult, DeadLettered, Rejected
from hub.seen_ids import SeenIds
from hub.services.availability import AvailabilityService
from hub.services.erp_writer import ErpWriter


@dataclass(slots=True)
class StoreTakings:
    quantities: dict[str, int] = field(default_factory=dict)
    net_cents: int = 0
    tax_cents: int = 0
    #: below list price, on lines a promotion or a price cut priced
    discount_cents: int = 0
    transactions: int = 0


class StoreTrading:
    def __init__(
        self, ctx: HubContext, availability: AvailabilityService, erp_writer: ErpWriter
    ) -> None:
        self._ctx = ctx
        self._availability = availability
        self._erp = erp_writer
        self._takings: dict[str, StoreTakings] = {}
        #: every transaction and receipt id of the day: a duplicate may come days late
        self._seen_transactions = SeenIds()
        self._seen_receipts = SeenIds()
        self._period = 0
        self.failed_postings: list[str] = []
        erp_writer.on("post_store_sales", self._on_posted)
        erp_writer.on("post_goods_movement", self._on_posted)
        if ctx.policy.store_summary_interval_s > 0:
            ctx.scheduler.call_later(ctx.policy.store_summary_interval_s, ("store_summary", None))

    def on_sale(self, event: StoreSaleRecorded) -> None:
        self._availability.apply_reports(event.stock)
        if self._ctx.policy.idempotency and not self._seen_transactions.first_time(
            event.transaction_id
        ):
            return
        store = event.store
        takings = self._takings.get(store)
        if takings is None:
            takings = self._takings[store] = StoreTakings()
        quantities = takings.quantities
        # one pass over the lines for the takings and the ledger's moves (every till
        # sale passes here), each line unpacked as the tuple it is
        moves = []
        for sku, quantity, unit_price_cents, tax_cents, list_price_cents, _ in event.lines:
            moves.append((sku, store, -quantity))
            quantities[sku] = quantities.get(sku, 0) + quantity
            takings.net_cents += unit_price_cents * quantity
            takings.tax_cents += tax_cents
            if list_price_cents > unit_price_cents:
                takings.discount_cents += (list_price_cents - unit_price_cents) * quantity
        takings.transactions += 1
        self._erp.ledger.heard(event.stock, moves)
        counters = self._ctx.counters  # `ctx.count("store_sales")`, inlined
        counters["store_sales"] = counters.get("store_sales", 0) + 1

    def on_receipt(self, event: StockReceived) -> None:
        self._availability.apply_reports(event.stock)
        if self._ctx.policy.idempotency and not self._seen_receipts.first_time(event.receipt_id):
            return
        items = [(line.sku, line.quantity) for line in event.lines]
        self._erp.ledger.heard(
            event.stock, [(sku, event.location, quantity) for sku, quantity in items]
        )
        self._erp.submit(
            "post_goods_movement",
            erp.post_goods_movement(event.receipt_id, event.location, items, "receipt"),
            event.location,
            stock=(event.location, items),
        )

    def post_summaries(self) -> None:
        """Post every store's takings since the last summary (timer, and end of day)."""
        ctx = self._ctx
        self._period += 1
        skip_stock = ctx.policy.has_defect("skip_stock_posting")
        for store, takings in sorted(self._takings.items()):
            sold = sorted(takings.quantities.items())
            self._erp.submit(
                "post_store_sales",
                erp.post_store_sales(
                    f"SS-{store}-{self._period:05d}",
                    store,
                    [] if skip_stock else sold,
                    sale_posting(
                        takings.net_cents,
                        takings.tax_cents,
                        drop_tax=ctx.policy.has_defect("unbalanced_journal"),
                        discount_cents=takings.discount_cents,
                    ),
                ),
                store,
                # what the hub means to book, whatever a broken hub puts in the body
                stock=(store, [(sku, -quantity) for sku, quantity in sold]),
            )
        self._takings = {}

    def on_summary_due(self) -> None:
        self.post_summaries()
        self._ctx.scheduler.call_later(
            self._ctx.policy.store_summary_interval_s, ("store_summary", None)
        )

    def pending_transactions(self) -> int:
        return sum(t.transactions for t in self._takings.values())

    def _on_posted(self, call: Call, result: CallResult) -> None:
        if isinstance(result, Rejected | DeadLettered):
            self.failed_postings.append(f"{call.body.get('DocRef')}: {result.reason}")
