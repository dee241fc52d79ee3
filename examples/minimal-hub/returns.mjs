// Return to refund: goods back, money back, books corrected.
//
//   return.requested (web) / RETURN_OPENED (marketplace)
//     -> once the order has shipped: tell the channel "authorised", and tell the DC to
//        expect the parcel (WMS expect_return)
//   RETURN_RECEIVED (WMS)  -> tell the channel "received"
//   RETURN_INSPECTED (WMS) -> refund the card, credit memo in the ERP, tell "refunded"
//   a return over a store counter (POS `return`): received and inspected on the spot;
//     a store sale was refunded at the till already (credit memo only); an online
//     order brought back to a store is refunded to its card, then credited
//
// The refund waits for the goods (never before they are back) and for the order's
// capture (money can only go back once it was taken: the goods can come back before
// we hear the order was collected, when that message was lost and is redelivered).
// The credit memo's reference is `CM-<return id>`; the refund's idempotency key and
// reference name the return too, so a retry never pays twice.

import { refundPosting } from "./ledger.mjs";
import { taxFor } from "./orders.mjs";

const RANK = { requested: 0, authorised: 10, received: 20, refunded: 40 };

export class Returns {
  constructor(day) {
    this.day = day;
    this.returns = new Map();
  }

  /** A return opened online; `lines` are [{sku, qty}]. */
  requested({ id, orderRef, channel, lines }) {
    if (this.returns.has(id)) return; // a duplicate
    const ret = { id, orderRef, channel, lines, location: "", told: "requested", refunding: false };
    this.returns.set(id, ret);
    this.day.spawn(this.expect(ret));
  }

  async expect(ret) {
    const { orders, stock, backends } = this.day;
    const order = await orders.known(ret.orderRef);
    await order.fulfilled; // a return can overtake the news that its order shipped
    // price each line as it was sold: its net, and its share of the line's tax
    ret.lines = ret.lines.map(({ sku, qty }) => {
      const line = order.lines.find((l) => l.sku === sku);
      return { sku, qty, net: line.price * qty, tax: taxFor(line, qty) };
    });
    ret.location = stock.isDc.has(order.location) ? order.location : stock.dcs[0];
    this.tell(ret, "authorised");
    await backends.call("wms", "expect_return", {
      rma: ret.id,
      orderRef: ret.orderRef,
      dc: ret.location,
      lines: ret.lines.map((line) => ({ item: line.sku, qty: line.qty })),
    });
  }

  /** RETURN_RECEIVED: the parcel is at the DC, waiting for inspection. */
  receivedAtDc(message) {
    const ret = this.returns.get(message.rma);
    if (ret) this.tell(ret, "received");
  }

  /** RETURN_INSPECTED: the goods are back on the DC's books (restocked or quarantined). */
  inspectedAtDc(message) {
    const ret = this.returns.get(message.rma);
    if (!ret || ret.refunding) return; // unknown to us, or the same inspection again
    ret.refunding = true;
    this.tell(ret, "received");
    this.day.spawn(this.refundAndCredit(ret));
  }

  /** A POS `return`: goods brought back over a store counter. */
  atCounter(message) {
    if (this.returns.has(message.txn)) return; // the same return again
    const ret = {
      id: message.txn,
      orderRef: message.order_ref, // for a store sale: the till transaction
      channel: message.channel, // web, click_collect, or store
      location: message.store,
      lines: message.lines.map((line) => ({ sku: line.sku, qty: line.qty, net: line.refund_cents, tax: line.tax_cents })),
      told: "received",
      refunding: true,
    };
    this.returns.set(ret.id, ret);
    if (message.refunded_at_till_cents > 0) {
      this.day.spawn(this.credit(ret, true)); // the till paid the cash back already
    } else {
      this.day.spawn(this.refundAndCredit(ret));
    }
  }

  async refundAndCredit(ret) {
    const { orders, backends, log } = this.day;
    const order = await orders.known(ret.orderRef);
    const captured = await order.captured; // 0: never charged, so nothing to pay back
    let refunded = false;
    if (captured > 0) {
      const refund = await backends.call("payment", "refund", {
        authorization: order.paidWith,
        amount: ret.lines.reduce((sum, line) => sum + line.net + line.tax, 0),
        reference: ret.id,
        idempotency_key: `refund:${ret.id}`,
      });
      refunded = refund.status === 200;
      if (!refunded) log.error(`refund of ${ret.id} refused`, refund.body);
    }
    if (refunded) this.tell(ret, "refunded");
    await this.credit(ret, refunded);
  }

  /** The credit memo: the goods back into the ERP's stock, and the sale reversed in the
   *  journal if money went back. */
  async credit(ret, withMoney) {
    const net = ret.lines.reduce((sum, line) => sum + line.net, 0);
    const tax = ret.lines.reduce((sum, line) => sum + line.tax, 0);
    await this.day.backends.erpWrite("post_credit_memo", {
      DocRef: `CM-${ret.id}`,
      OrderRef: ret.orderRef,
      Plant: ret.location,
      Items: ret.lines.map((line) => ({ Material: line.sku, QtyReturned: line.qty })),
      Journal: withMoney ? refundPosting(net, tax) : [],
    });
  }

  /** Tell the channel the return moved forward (never back). */
  tell(ret, status) {
    if (RANK[status] <= RANK[ret.told] || ret.channel === "store") return;
    ret.told = status;
    const channel = ret.channel === "marketplace" ? "marketplace" : "web";
    this.day.spawn(this.day.backends.publish(channel, "return_status", { rma: ret.id, status, at: this.day.clock.now() }));
  }
}
