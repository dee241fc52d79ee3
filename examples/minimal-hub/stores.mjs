// Store trading and goods receipts, posted to the ERP.
//
// Stores ring up sales all day; as retailers do, the hub posts each store's takings as
// a periodic summary (units per SKU, and the money as a journal) rather than a document
// per receipt. A summary's reference names the store and the period (`SS-ST-0001-3`),
// so a retried posting cannot book the same takings twice. Supplier deliveries to DCs
// (WMS `RECEIPT`) and stores (POS `receipt`) are posted as goods movements under the
// receipt number. Each message also carries the location's new stock, which goes to
// availability like every other stock report.

import { salePosting } from "./ledger.mjs";

export class Stores {
  constructor(day, summaryIntervalS) {
    this.day = day;
    this.takings = new Map(); // store -> {units: Map sku -> qty, net, tax}
    this.seen = new Set(); // till transactions and receipt numbers already taken
    this.period = 0;
    this.closed = false; // day.closing came: every summary due is posted
    this.timer = setInterval(() => this.postSummaries(), day.clock.wallMs(summaryIntervalS));
  }

  /** POS `sale`: a till transaction; counted into its store's takings once. */
  sale(message) {
    if (this.seen.has(message.txn)) return;
    this.seen.add(message.txn);
    let takings = this.takings.get(message.store);
    if (!takings) this.takings.set(message.store, (takings = { units: new Map(), net: 0, tax: 0 }));
    for (const line of message.lines) {
      takings.units.set(line.sku, (takings.units.get(line.sku) ?? 0) + line.qty);
      takings.net += line.price_cents * line.qty;
      takings.tax += line.tax_cents; // the line's tax, not per unit
    }
    // after closing, a sale is a late redelivery: the twin ends the day 300 simulated
    // seconds after we last took a message or called it, so the summary timer would
    // hold these takings past the end
    if (this.closed) this.postSummaries();
  }

  /** `day.closing`: post the last takings, and any sale heard after them at once. */
  closing() {
    this.closed = true;
    this.postSummaries();
  }

  /** Post every store's takings since the last summary (on the timer, and at closing). */
  postSummaries() {
    if (!this.takings.size) return;
    this.period += 1;
    for (const [store, takings] of this.takings) {
      this.day.spawn(
        this.day.backends.erpWrite("post_store_sales", {
          DocRef: `SS-${store}-${this.period}`,
          Plant: store,
          Items: [...takings.units].map(([sku, qty]) => ({ Material: sku, Qty: qty })),
          Journal: salePosting(takings.net, takings.tax),
        }),
      );
    }
    this.takings = new Map();
  }

  /** A delivery arrived at `location`: lines are [{sku, qty}]. */
  receipt(location, receiptNo, lines) {
    if (this.seen.has(receiptNo)) return;
    this.seen.add(receiptNo);
    this.day.spawn(
      this.day.backends.erpWrite("post_goods_movement", {
        DocRef: receiptNo,
        Plant: location,
        Reason: "receipt",
        Items: lines.map((line) => ({ Material: line.sku, QtyDelta: line.qty })),
      }),
    );
  }

  stop() {
    clearInterval(this.timer);
  }
}
