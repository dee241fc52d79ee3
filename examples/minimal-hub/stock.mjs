// Availability: what each location has, what our open orders hold, and the feeds that
// tell the channels what they may sell.
//
// A location's own system (the WMS for a DC, the tills for a store) reports absolute
// stock, `on hand` and `quarantined`, with a sequence number per position that rises
// with every movement. Reports arrive late, twice and out of order, so a report is
// applied only if its sequence is newer than the one we hold: an old report can never
// roll stock back.
//
// Available to sell = on hand - quarantined - reserved (our open orders), never below 0.
// Ship-to-home availability (web and marketplace) is the sum over the DCs; click and
// collect (web) is the store's own. Every change marks the position dirty; dirty
// positions are pushed a moment later (debounced, so a burst becomes one push). Each
// feed row carries the source sequence its value includes, which is how the channel
// (and the checker) know how fresh it is.

/** Simulated seconds changes are collected before a feed push. */
const FEED_DEBOUNCE_SIM_S = 2;

export class Stock {
  constructor({ dcs, clock, backends, safetyStock = 0 }) {
    this.dcs = dcs;
    this.isDc = new Set(dcs);
    this.clock = clock;
    this.backends = backends;
    this.safetyStock = safetyStock;
    /** sku -> location -> {onHand, quarantined, reserved, seq} */
    this.bySku = new Map();
    this.dirtySkus = new Set(); // ship-to-home rows to push
    this.dirtyStorePositions = new Map(); // "sku|store" -> [sku, store]
    this.flushTimer = null;
    this.lastSentAt = -1;
  }

  position(sku, location) {
    let atLocations = this.bySku.get(sku);
    if (!atLocations) this.bySku.set(sku, (atLocations = new Map()));
    let position = atLocations.get(location);
    if (!position) atLocations.set(location, (position = { onHand: 0, quarantined: 0, reserved: 0, seq: -1 }));
    return position;
  }

  available(position) {
    return Math.max(0, position.onHand - position.quarantined - position.reserved - this.safetyStock);
  }

  /** Apply a location's stock reports: [{sku, onHand, quarantined, seq}]. */
  apply(location, reports) {
    for (const report of reports) {
      const position = this.position(report.sku, location);
      if (report.seq <= position.seq) continue; // late news: we already know better
      position.onHand = report.onHand;
      position.quarantined = report.quarantined;
      position.seq = report.seq;
      this.touch(report.sku, location);
    }
  }

  /** Hold up to `quantity` for an order; returns how many could be held. */
  reserve(sku, location, quantity) {
    const position = this.position(sku, location);
    const granted = Math.min(quantity, this.available(position));
    position.reserved += granted;
    // pushed even when nothing changed here: the channel took the units off its own
    // view when it sold them, and must hear the real figure again
    this.touch(sku, location);
    return granted;
  }

  /** An order no longer holds `quantity` (shipped, collected, short or cancelled). */
  release(sku, location, quantity) {
    if (quantity <= 0) return;
    const position = this.position(sku, location);
    position.reserved = Math.max(0, position.reserved - quantity);
    this.touch(sku, location);
  }

  /** The DC that can fill the most units of these [{sku, qty}] lines (first on a tie). */
  bestDc(lines) {
    let best = this.dcs[0];
    let bestUnits = -1;
    for (const dc of this.dcs) {
      let units = 0;
      for (const line of lines) units += Math.min(line.qty, this.available(this.position(line.sku, dc)));
      if (units > bestUnits) [best, bestUnits] = [dc, units];
    }
    return best;
  }

  // -- feeds ---------------------------------------------------------------------

  touch(sku, location) {
    if (this.isDc.has(location)) this.dirtySkus.add(sku);
    else this.dirtyStorePositions.set(`${sku}|${location}`, [sku, location]);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), this.clock.wallMs(FEED_DEBOUNCE_SIM_S));
    }
  }

  /** Push every position (start of day, end of day). */
  publishAll() {
    for (const [sku, atLocations] of this.bySku) {
      for (const location of atLocations.keys()) this.touch(sku, location);
    }
    this.flush();
  }

  flush() {
    clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (!this.dirtySkus.size && !this.dirtyStorePositions.size) return;
    // the channels ignore a row older than one they applied, so `sent_at` must rise
    const sentAt = Math.max(this.clock.now(), this.lastSentAt + 0.001);
    this.lastSentAt = sentAt;
    // ship-to-home rows: [sku, ats, [[dc, seq], ...]]
    const items = [...this.dirtySkus].map((sku) => {
      let ats = 0;
      const versions = [];
      for (const dc of this.dcs) {
        const position = this.bySku.get(sku)?.get(dc);
        if (!position) continue;
        ats += this.available(position);
        versions.push([dc, position.seq]);
      }
      return [sku, ats, versions];
    });
    // click-and-collect rows: [sku, store, ats, seq]
    const storeItems = [...this.dirtyStorePositions.values()].map(([sku, store]) => {
      const position = this.position(sku, store);
      return [sku, store, this.available(position), position.seq];
    });
    this.dirtySkus.clear();
    this.dirtyStorePositions.clear();
    this.backends.publish("web", "inventory", { items, store_items: storeItems, sent_at: sentAt });
    if (items.length) this.backends.publish("marketplace", "inventory", { items, sent_at: sentAt });
  }
}

/** A WMS stock report row ({item, onHand, quarantined, seq}) in our terms. */
export const wmsStock = (rows) =>
  rows.map((row) => ({ sku: row.item, onHand: row.onHand, quarantined: row.quarantined ?? 0, seq: row.seq }));

/** A till's stock report row ({sku, on_hand, quarantined, seq}) in our terms. */
export const posStock = (rows) =>
  rows.map((row) => ({ sku: row.sku, onHand: row.on_hand, quarantined: row.quarantined ?? 0, seq: row.seq }));
