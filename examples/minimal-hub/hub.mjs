#!/usr/bin/env node
// A minimal integration hub for the retailtwin digital twin, in plain Node.js 20 (no
// dependencies): what an integration team writes first, correct enough to pass
// steady-day. See README.md here, and docs/integrate.md for the contract.
//
//   node examples/minimal-hub/hub.mjs --port 8300 [--verbose]
//
// The twin POSTs every message its systems send to /webhooks/{source}. Any 2xx
// acknowledges it; anything else, or no answer within about 5 s, and it is delivered
// again later. Messages also come twice and out of order, so:
//   - a message id seen before (per source) is acknowledged and ignored, and every
//     handler is idempotent on the business key as well (an order ref, a shipment
//     number, a till transaction), because the *systems* repeat themselves too (the
//     marketplace pushes an unacknowledged order again under a new message id);
//   - handlers never assume the order of arrival (see orders.mjs, stock.mjs).
// Everything lives in memory: a hub that crashes forgets its day (the twin's
// redelivery cannot bring back what was acknowledged). A production hub commits what
// it must not forget before acknowledging.

import http from "node:http";
import { parseArgs } from "node:util";
import { TwinClock } from "./clock.mjs";
import { Backends, DayOver } from "./backends.mjs";
import { Stock, wmsStock, posStock } from "./stock.mjs";
import { Orders } from "./orders.mjs";
import { Returns } from "./returns.mjs";
import { Stores } from "./stores.mjs";
import { Prices } from "./prices.mjs";

const { values: options } = parseArgs({
  options: { port: { type: "string", default: "8300" }, verbose: { type: "boolean", default: false } },
});

const log = {
  info: (...args) => console.log(new Date().toISOString(), ...args),
  error: (...args) => console.error(new Date().toISOString(), "ERROR", ...args),
  debug: options.verbose ? (...args) => console.log(new Date().toISOString(), ...args) : () => {},
};

/** How long after the day's end (simulated seconds, by our clock) the hub asks the twin
 *  whether its day is over, and stops retrying once it is: the twin waits at most two
 *  hours past the end for the estate to settle. */
const AFTER_THE_DAY_S = 3 * 3600;

/** One trading day: everything the hub knows, built from `day.started`. */
class Day {
  constructor(started) {
    const { topology, hub_policy: policy = {} } = started;
    this.scenario = started.scenario;
    this.endS = started.end_s;
    this.superseded = false;
    this.log = log;
    this.clock = new TwinClock(started.speed);
    this.backends = new Backends(started.backends_url, this.clock, this, log, policy.erp_concurrency);
    this.stock = new Stock({
      dcs: topology.dcs,
      clock: this.clock,
      backends: this.backends,
      safetyStock: policy.safety_stock ?? 0,
    });
    this.orders = new Orders(this);
    this.returns = new Returns(this);
    this.stores = new Stores(this, policy.store_summary_interval_s ?? 900);
    this.prices = new Prices({
      clock: this.clock,
      backends: this.backends,
      log,
      spawn: (promise) => this.spawn(promise),
    });
    this.seen = new Set(); // "source:message id" already handled
    // the opening stock, as each location's system counts it, then a full feed: the
    // channels sell nothing until they have heard what there is
    for (const { sku, location, on_hand } of started.opening_stock) {
      Object.assign(this.stock.position(sku, location), { onHand: on_hand, seq: 0 });
    }
    this.stock.publishAll();
  }

  /** Our clock says the day ended `AFTER_THE_DAY_S` ago. A hint, not the end: ours runs
   *  ahead of the twin's whenever the twin falls behind the wall (it slips rather than
   *  races), so the backends ask the twin before giving up (`Backends.dayOver`). */
  get pastEnd() {
    return this.clock.now() > this.endS + AFTER_THE_DAY_S;
  }

  /** Run an async flow in the background; a failure is logged, never lost silently. */
  spawn(promise) {
    promise.catch((error) => {
      if (!(error instanceof DayOver)) log.error(error);
    });
  }

  close() {
    this.superseded = true;
    this.stores.stop();
    clearTimeout(this.prices.flushTimer);
  }

  /** `day.closing`: half an hour before the end. Post the last store takings and push
   *  every position, so the channels end the day on the full picture. */
  closing() {
    this.stores.closing();
    this.stock.publishAll();
  }

  /** One message from one of the systems, in its own dialect. */
  handle(source, m) {
    const { orders, returns, stock, stores } = this;
    switch (`${source} ${m.type ?? m.event ?? m.msg ?? m.kind}`) {
      // the web shop (our own dialect)
      case "web order.created":
        return orders.received({
          ref: m.order_ref,
          channel: m.pickup_store ? "click_collect" : "web",
          customer: m.customer_ref,
          pickupStore: m.pickup_store ?? "",
          lines: m.lines.map((l) => ({ sku: l.sku, qty: l.qty, price: l.unit_price_cents, tax: l.tax_cents })),
        });
      case "web order.cancel_requested":
        return orders.cancelRequested(m.order_ref);
      case "web return.requested":
        return returns.requested({ id: m.rma, orderRef: m.order_ref, channel: "web", lines: m.lines });
      // the marketplace
      case "marketplace ORDER_PLACED":
        return orders.received({
          ref: m.mpOrderId,
          channel: "marketplace",
          customer: m.buyerId,
          pickupStore: "",
          lines: m.items.map((i) => ({ sku: i.offerSku, qty: i.quantity, price: i.priceCents, tax: i.taxCents })),
        });
      case "marketplace ORDER_CANCELLED":
        return orders.cancelRequested(m.mpOrderId);
      case "marketplace RETURN_OPENED":
        return returns.requested({
          id: m.returnId,
          orderRef: m.mpOrderId,
          channel: "marketplace",
          lines: m.items.map((i) => ({ sku: i.offerSku, qty: i.quantity })),
        });
      // the DCs' warehouse management system
      case "wms ORDER_PICKED":
        return; // nothing to do: the shipment confirmation follows
      case "wms SHIPMENT_CONFIRMED":
        stock.apply(m.dc, wmsStock(m.stock));
        return orders.shipped(m);
      case "wms RECEIPT":
        stock.apply(m.dc, wmsStock(m.stock));
        return stores.receipt(m.dc, m.receiptNo, m.lines.map((l) => ({ sku: l.item, qty: l.qty })));
      case "wms RETURN_RECEIVED":
        return returns.receivedAtDc(m);
      case "wms RETURN_INSPECTED":
        stock.apply(m.dc, wmsStock(m.stock));
        return returns.inspectedAtDc(m);
      // the stores' tills
      case "pos sale":
        stock.apply(m.store, posStock(m.stock));
        return stores.sale(m);
      case "pos pickup_ready":
        return orders.pickupReady(m);
      case "pos pickup_collected":
        stock.apply(m.store, posStock(m.stock));
        return orders.pickupCollected(m);
      case "pos return":
        stock.apply(m.store, posStock(m.stock));
        return returns.atCounter(m);
      case "pos receipt":
        stock.apply(m.store, posStock(m.stock));
        return stores.receipt(m.store, m.receipt, m.lines);
      // the price master
      case "pricing price.changed":
        return this.prices.changed(m);
      default:
        // e.g. the ERP's import_result, sent only by an ERP in legacy batch mode
        log.error(`${source}: a message this hub does not handle`, m);
    }
  }
}

let day = null;

/** POST /webhooks/{source}: 200 once the message is taken, or answered before. */
function webhook(source, headers, body) {
  if (source === "twin") {
    if (body.type === "day.started") {
      day?.close();
      day = new Day(body);
      log.info(`day started: ${body.scenario} (seed ${body.seed}) at ${body.speed}x, backends at ${body.backends_url}`);
      return [200, { ok: true }];
    }
    if (body.type === "day.closing" && day) {
      day.closing();
      log.info(`day closing at simulated ${Math.round(body.at)} s`);
      return [200, { ok: true }];
    }
    return [422, { error: `unexpected lifecycle message ${body.type}` }];
  }
  if (!day) return [409, { error: "no day has started: the twin sends day.started first" }];
  const simTime = Number(headers["x-retailtwin-sim-time"]);
  if (Number.isFinite(simTime)) day.clock.observe(simTime);
  if (!/^\d+$/.test(headers["x-message-id"] ?? "")) return [400, { error: "X-Message-Id must be an integer" }];
  const key = `${source}:${headers["x-message-id"]}`;
  if (day.seen.has(key)) return [200, { ok: true, duplicate: true }];
  day.handle(source, body);
  day.seen.add(key); // only once handled: a message that threw is delivered again
  return [200, { ok: true }];
}

const server = http.createServer((request, response) => {
  const answer = (status, body) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const match = /^\/webhooks\/([a-z]+)$/.exec(request.url);
  if (request.method === "GET" && request.url === "/healthz") {
    return answer(200, { day: day?.scenario ?? null });
  }
  if (request.method !== "POST" || !match) return answer(404, { error: "not found" });
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString());
    } catch {
      return answer(400, { error: "the body is not JSON" });
    }
    try {
      answer(...webhook(match[1], request.headers, body));
    } catch (error) {
      log.error(`webhook ${match[1]} ${request.headers["x-message-id"]}:`, error);
      answer(500, { error: String(error) });
    }
  });
});

server.keepAliveTimeout = 60_000;
server.listen(Number(options.port), "127.0.0.1", () => {
  log.info(`minimal hub listening on http://127.0.0.1:${options.port} (webhooks: /webhooks/{source})`);
});
