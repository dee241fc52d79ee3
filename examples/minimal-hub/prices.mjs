// Prices: the pricing source's changes, carried to the channels that charge them.
//
// The source numbers every change (`version`); a change arrives late, twice or after a
// later one, so a price is taken only if its version is newer than the one we hold, and
// the push carries the version too: the channel keeps a price only against a newer one.
// The source names the channel a price is for: "web" (the storefront, both delivery
// and collection), "marketplace", and "stores", which we publish to the tills, channel
// "pos". Changes are pushed a moment later (debounced, as stock feeds are). A change may
// also start or end basket promotions (`baskets`, online channels only): they go to
// their channel the same way, each with the version, under the push's `baskets`.

/** Simulated seconds changes are collected before a price push. */
const PRICE_DEBOUNCE_SIM_S = 2;
/** The source's price channel -> the channel we publish to. */
const PUSH_TO = { web: "web", marketplace: "marketplace", stores: "pos" };

export class Prices {
  constructor({ clock, backends, log, spawn }) {
    this.clock = clock;
    this.backends = backends;
    this.log = log;
    this.spawn = spawn; // runs a publish in the background, logging a failure
    /** "channel|sku" -> the version of the price we hold */
    this.versions = new Map();
    /** publish channel -> sku -> the row to push next */
    this.pending = new Map();
    /** publish channel -> basket promotion name -> the row to push next */
    this.pendingBaskets = new Map();
    this.flushTimer = null;
  }

  /** A `price.changed` message: {version, effective_at, prices: [{sku, channel, ...}]}. */
  changed(message) {
    for (const price of message.prices) {
      const target = PUSH_TO[price.channel];
      if (!target) {
        this.log.error(`pricing: a price for channel ${price.channel}, which we do not push to`);
        continue;
      }
      const key = `${price.channel}|${price.sku}`;
      if ((this.versions.get(key) ?? 0) >= message.version) continue; // late news
      this.versions.set(key, message.version);
      if (!this.pending.has(target)) this.pending.set(target, new Map());
      this.pending.get(target).set(price.sku, {
        sku: price.sku,
        price_cents: price.price_cents,
        list_price_cents: price.list_price_cents,
        promotion: price.promotion,
        version: message.version,
      });
    }
    for (const basket of message.baskets ?? []) {
      const target = PUSH_TO[basket.channel];
      const key = `basket|${basket.channel}|${basket.name}`;
      if (!target || (this.versions.get(key) ?? 0) >= message.version) continue;
      this.versions.set(key, message.version);
      if (!this.pendingBaskets.has(target)) this.pendingBaskets.set(target, new Map());
      this.pendingBaskets.get(target).set(basket.name, {
        name: basket.name,
        min_basket_cents: basket.min_basket_cents,
        percent_off: basket.percent_off,
        live: basket.live,
        version: message.version,
      });
    }
    if ((this.pending.size || this.pendingBaskets.size) && !this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), this.clock.wallMs(PRICE_DEBOUNCE_SIM_S));
    }
  }

  flush() {
    clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const sentAt = this.clock.now();
    const channels = new Set([...this.pending.keys(), ...this.pendingBaskets.keys()]);
    for (const channel of channels) {
      const push = { prices: [...(this.pending.get(channel)?.values() ?? [])], sent_at: sentAt };
      const baskets = this.pendingBaskets.get(channel);
      if (baskets) push.baskets = [...baskets.values()];
      this.spawn(this.backends.publish(channel, "prices", push));
    }
    this.pending = new Map();
    this.pendingBaskets = new Map();
  }
}
