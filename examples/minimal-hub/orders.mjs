// Order to cash: a channel's order booked in the ERP, paid, fulfilled, invoiced, and
// the channel kept told; or cancelled with everything undone.
//
//   order.created (web) / ORDER_PLACED (marketplace)
//     -> reserve stock at the pickup store, or at the DC that can fill the most
//     -> tell the channel "accepted" (web) / acknowledge it (marketplace)
//     -> book a sales order in the ERP                        (alongside the rest)
//     -> authorise the payment for what we could reserve
//     -> release to the DC (WMS) or the store (POS, click and collect)
//   SHIPMENT_CONFIRMED / pickup_collected
//     -> capture what left the building, invoice it in the ERP, tell the channel
//   order.cancel_requested / ORDER_CANCELLED, a declined card, nothing to ship
//     -> take the release back (if the DC or store still can), void the
//        authorisation, cancel the ERP sales order, tell the channel "cancelled"
//
// Each order's steps run as one async flow. Facts the flow waits for (the ERP's sales
// order number, the authorisation, the capture) are promises on the order, so a step
// that needs one simply awaits it, whatever order the messages came in.
//
// Duplicates are absorbed by business key: an order ref seen before, a shipment number
// seen before. A fact about an order we have not seen yet (a cancellation that overtook
// its order on the wire) waits in `whenKnown` until the order arrives.

import { salePosting } from "./ledger.mjs";

/** Rank of each status: an order never moves to a lower one, nor out of a final one. */
const RANK = { received: 0, accepted: 10, ready_for_pickup: 35, shipped: 40, collected: 45, cancelled: 90 };
const FINAL = new Set(["shipped", "collected", "cancelled"]);
/** Times a capture refused as expired is tried again under a fresh authorisation. */
const MAX_REAUTHORISATIONS = 3;
/** What each channel is told: the web shop shows its customer every milestone; the
 *  marketplace wants to hear only that an order shipped or was cancelled. */
const TOLD = {
  web: new Set(["accepted", "ready_for_pickup", "shipped", "collected", "cancelled"]),
  marketplace: new Set(["shipped", "cancelled"]),
};

/** A promise with its `resolve` attached: a fact an order's flows can wait for. */
export function fact() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  promise.resolve = resolve;
  return promise;
}

export class Orders {
  constructor(day) {
    this.day = day;
    this.orders = new Map();
    this.waiting = new Map(); // order ref -> callbacks waiting for the order to arrive
  }

  /** Run `then(order)` now if the order is known, or as soon as it arrives. */
  whenKnown(ref, then) {
    const order = this.orders.get(ref);
    if (order) return then(order);
    if (!this.waiting.has(ref)) this.waiting.set(ref, []);
    this.waiting.get(ref).push(then);
  }

  known(ref) {
    return new Promise((resolve) => this.whenKnown(ref, resolve));
  }

  // -- intake ------------------------------------------------------------------------

  /** A new order: `channel` is web, click_collect or marketplace. */
  received({ ref, channel, customer, pickupStore, lines }) {
    if (this.orders.has(ref)) return; // a duplicate, or the marketplace pushing it again
    const order = {
      ref,
      channel,
      customer,
      pickupStore,
      location: "",
      // qty ordered; short: units we could not fill; shipped: units that left
      lines: lines.map((line) => ({ ...line, short: 0, shipped: 0 })),
      status: "received",
      version: 0,
      cancelRequested: false,
      released: false,
      shipmentNo: "",
      readySeen: false,
      inErp: false, // a sales order was (or is being) booked for it
      authId: fact(), // the gateway's authorisation id, or null if none
      salesOrder: fact(), // the ERP's sales order number
      fulfilled: fact(), // resolved when shipped or collected
      captured: fact(), // cents captured (0: nothing was charged)
      paidWith: "", // the authorisation the capture was taken from
    };
    this.orders.set(ref, order);
    this.day.spawn(this.accept(order));
    const waiting = this.waiting.get(ref) ?? [];
    this.waiting.delete(ref);
    for (const then of waiting) then(order);
  }

  async accept(order) {
    const { stock, backends } = this.day;
    order.location = order.pickupStore || stock.bestDc(order.lines);
    for (const line of order.lines) line.short = line.qty - stock.reserve(line.sku, order.location, line.qty);
    if (order.lines.every((line) => line.short === line.qty)) {
      order.authId.resolve(null);
      return this.finishCancel(order, "out of stock");
    }
    this.setStatus(order, "accepted");
    if (order.channel === "marketplace") {
      // the marketplace pushes an order again until acknowledged, and counts an
      // acknowledgement later than its window against us: acknowledge at once
      this.day.spawn(backends.call("marketplace", "acknowledge", { mpOrderId: order.ref }));
    }
    order.inErp = true;
    this.day.spawn(this.bookSalesOrder(order));
    const auth = await backends.call("payment", "authorize", {
      reference: order.ref,
      amount: fillableCents(order),
      idempotency_key: `auth:${order.ref}`,
    });
    order.authId.resolve(auth.status === 200 ? auth.body.id : null);
    if (auth.status !== 200) return this.finishCancel(order, `payment ${auth.body.error ?? auth.status}`);
    if (order.cancelRequested) return this.finishCancel(order, "cancelled by the customer");
    await this.release(order);
  }

  async bookSalesOrder(order) {
    const answer = await this.day.backends.erpWrite("create_sales_order", {
      DocRef: order.ref,
      ExternalRef: order.ref,
      SoldTo: order.customer,
      Channel: order.channel,
      Plant: order.location,
      Items: order.lines
        .filter((line) => line.qty > line.short)
        .map((line) => ({ Material: line.sku, Qty: line.qty - line.short, NetCents: line.price, TaxCents: line.tax })),
    });
    if (answer.status >= 300) return this.day.log.error(`ERP refused sales order ${order.ref}`, answer.body);
    order.salesOrder.resolve(answer.body.DocumentNo);
  }

  async release(order) {
    const open = order.lines.filter((line) => openQty(line) > 0);
    let answer;
    if (order.pickupStore) {
      answer = await this.day.backends.call("pos", "pickup_request", {
        order_ref: order.ref,
        store: order.pickupStore,
        lines: open.map((line) => ({ sku: line.sku, qty: openQty(line) })),
      });
    } else {
      answer = await this.day.backends.call("wms", "release_order", {
        orderRef: order.ref,
        dc: order.location,
        lines: open.map((line) => ({ item: line.sku, qty: openQty(line) })),
      });
    }
    // 202, or 409 "already released": our first attempt got there, its answer did not
    if (answer.status >= 300 && answer.status !== 409) {
      return this.day.log.error(`release of ${order.ref} refused`, answer.body);
    }
    order.released = true;
    if (order.cancelRequested) await this.takeBack(order);
  }

  // -- cancellation ---------------------------------------------------------------------

  cancelRequested(ref) {
    this.whenKnown(ref, (order) => {
      if (FINAL.has(order.status) || order.cancelRequested) return;
      order.cancelRequested = true;
      // not released yet: the order's own flow sees the flag before it releases
      if (order.released) this.day.spawn(this.takeBack(order));
    });
  }

  /** Ask the DC or store for the release back; 409: too late, it is picked and ships. */
  async takeBack(order) {
    const system = order.pickupStore ? "pos" : "wms";
    const answer = await this.day.backends.call(system, "cancel_release", { orderRef: order.ref });
    if (answer.status === 200) await this.finishCancel(order, "cancelled by the customer");
  }

  /** Cancel and undo: the reservation, the authorisation, the ERP sales order. */
  async finishCancel(order, reason) {
    if (!this.setStatus(order, "cancelled")) return; // already shipped, collected or cancelled
    this.day.log.debug(`${order.ref} cancelled: ${reason}`);
    for (const line of order.lines) this.day.stock.release(line.sku, order.location, openQty(line));
    order.captured.resolve(0);
    const { backends } = this.day;
    const authId = await order.authId;
    if (authId) {
      await backends.call("payment", "void", { authorization: authId, idempotency_key: `void:${order.ref}` });
    }
    if (order.inErp) {
      // wait for the sales order's number (it may still be on its way), then cancel it
      const salesOrder = await order.salesOrder;
      await backends.erpWrite("cancel_sales_order", { SalesOrder: salesOrder, DocRef: `CXL-${order.ref}` });
    }
  }

  // -- fulfilment -------------------------------------------------------------------------

  /** SHIPMENT_CONFIRMED: what left the DC, and what the pickers could not find. */
  shipped(message) {
    this.whenKnown(message.orderRef, (order) => {
      if (order.shipmentNo) return; // the same shipment again
      order.shipmentNo = message.shipmentNo;
      for (const { item, shipped, short } of message.lines) {
        const line = order.lines.find((l) => l.sku === item);
        if (!line) continue;
        line.shipped += shipped;
        line.short += short;
        this.day.stock.release(item, order.location, shipped + short);
      }
      this.delivered(order, "shipped");
    });
  }

  /** pickup_ready: the store picked a click-and-collect order, maybe not all of it. */
  pickupReady(message) {
    this.whenKnown(message.order_ref, (order) => {
      if (order.readySeen || FINAL.has(order.status)) return;
      order.readySeen = true;
      for (const { sku, qty } of message.short) {
        const line = order.lines.find((l) => l.sku === sku);
        if (!line) continue;
        line.short += qty;
        this.day.stock.release(sku, order.location, qty);
      }
      if (order.lines.every((line) => openQty(line) === 0)) {
        this.day.spawn(this.finishCancel(order, "nothing could be picked in store"));
      } else {
        this.setStatus(order, "ready_for_pickup");
      }
    });
  }

  /** pickup_collected: the customer took the order; what was not picked is short. */
  pickupCollected(message) {
    this.whenKnown(message.order_ref, (order) => {
      if (order.shipmentNo) return; // collected already
      order.shipmentNo = `COL-${order.ref}`;
      order.readySeen = true; // a late pickup_ready must not count shortages again
      for (const line of order.lines) {
        const collected = message.lines.find((l) => l.sku === line.sku)?.qty ?? 0;
        const uncollected = openQty(line) - collected;
        line.shipped += collected;
        line.short += uncollected;
        this.day.stock.release(line.sku, order.location, collected + uncollected);
      }
      this.delivered(order, "collected");
    });
  }

  delivered(order, status) {
    if (order.lines.every((line) => line.shipped === 0)) {
      this.day.spawn(this.finishCancel(order, "nothing could be picked"));
      return;
    }
    this.setStatus(order, status);
    order.fulfilled.resolve();
    this.day.spawn(this.captureAndInvoice(order));
  }

  /** Charge what left the building, then invoice it (with the sale journal if paid). */
  async captureAndInvoice(order) {
    const { backends, log } = this.day;
    const amount = deliveredCents(order);
    let authId = await order.authId;
    let captured = 0;
    for (let reauthorisations = 0; ; reauthorisations++) {
      const capture = await backends.call("payment", "capture", {
        authorization: authId,
        amount,
        idempotency_key: `cap:${order.ref}:${authId}`,
      });
      if (capture.status === 200) {
        captured = amount;
        break;
      }
      if (capture.body.error !== "authorization_expired" || reauthorisations === MAX_REAUTHORISATIONS) {
        log.error(`capture of ${order.ref} refused`, capture.body);
        break;
      }
      // the authorisation lapsed before the goods left: authorise what left, again
      const auth = await backends.call("payment", "authorize", {
        reference: order.ref,
        amount,
        idempotency_key: `reauth:${order.ref}:${reauthorisations + 1}`,
      });
      if (auth.status !== 200) {
        log.error(`re-authorisation of ${order.ref} refused: shipped unpaid`, auth.body);
        break;
      }
      authId = auth.body.id;
    }
    order.paidWith = authId; // refunds go back to the authorisation that was captured
    order.captured.resolve(captured);
    const shipped = order.lines.filter((line) => line.shipped > 0);
    const net = shipped.reduce((sum, line) => sum + line.price * line.shipped, 0);
    await backends.erpWrite("post_delivery_invoice", {
      SalesOrder: await order.salesOrder,
      DocRef: `INV-${order.ref}`,
      Plant: order.location,
      Items: shipped.map((line) => ({ Material: line.sku, Qty: line.shipped })),
      Journal: captured ? salePosting(net, captured - net) : [],
    });
  }

  // -- telling the channel ------------------------------------------------------------------

  /** Move the order forward (never back) and tell its channel; false if it did not move. */
  setStatus(order, status) {
    if (status === order.status || FINAL.has(order.status) || RANK[status] < RANK[order.status]) return false;
    order.status = status;
    order.version += 1; // the channel puts notices back in our order by version
    const at = this.day.clock.now();
    if (order.channel === "marketplace") {
      if (TOLD.marketplace.has(status)) {
        this.day.spawn(
          this.day.backends.publish("marketplace", "order_status", {
            mpOrderId: order.ref,
            state: status.toUpperCase(),
            version: order.version,
            at,
          }),
        );
      }
    } else if (TOLD.web.has(status)) {
      this.day.spawn(
        this.day.backends.publish("web", "order_status", { order_ref: order.ref, status, version: order.version, at }),
      );
    }
    return true;
  }
}

const openQty = (line) => line.qty - line.short - line.shipped;

/** A line's tax for `units` of it: its tax is for the whole line, so pro rata. */
const taxFor = (line, units) => Math.floor((line.tax * units) / line.qty);

/** What the customer will owe if everything we reserved ships. */
const fillableCents = (order) =>
  order.lines.reduce((sum, line) => {
    const units = line.qty - line.short;
    return units > 0 ? sum + line.price * units + taxFor(line, units) : sum;
  }, 0);

/** What the customer owes for what left the building. */
const deliveredCents = (order) =>
  order.lines.reduce((sum, line) => sum + line.price * line.shipped + taxFor(line, line.shipped), 0);

export { taxFor };
