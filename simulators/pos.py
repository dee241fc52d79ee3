"""The stores' point-of-sale systems.

Each store sells from its own shelves (a sale happens only if the goods are physically
there, so a till never oversells), picks click-and-collect orders into a held area,
hands them over when the customer comes, and takes returns over the counter: a store
sale is refunded at the till, a web order returned in store is sent to the hub to
refund to the card. A store can lose its connection: it keeps trading, queues what it
would have sent, and uploads the backlog when it reconnects, late and in no particular
order, which is exactly what the hub's ordering guard is for.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import simpy

from simulators import stock_table
from simulators.interned import Interned
from simulators.later import Later, now_of
from simulators.records import RecordLog, RecordTable
from simulators.restock import RestockRounds
from simulators.rng import LogNormal
from simulators.rpc import Reply
from simulators.stockroom import Stockroom
from simulators.store_prices import StorePrices
from simulators.till_numbers import RETURN_PREFIX, txn_id
from simulators.till_return import TillReturn
from simulators.types import Emit

Ready = Callable[[str, str], None]

#: every operation `Pos.handle` accepts (each is the method `_{operation}`);
#: `simulators.contract.pos` documents each one
OPERATIONS = ("pickup_request", "cancel_release", "stock_snapshot")


@dataclass(slots=True)
class PosConfig:
    store_pick_time_median_s: float
    damaged_rate: float
    reconnect_upload_spread_s: float


@dataclass(slots=True)
class PickupOrder:
    order_ref: str
    store: str
    lines: list[tuple[str, int]]
    status: str = "queued"  # queued|ready|collected|cancelled
    picked: list[tuple[str, int]] = field(default_factory=list)
    collected_at: float = -1.0
    #: when the store was asked to pick it, and when its status last changed
    requested_at: float = -1.0
    changed_at: float = -1.0


@dataclass(slots=True)
class StoreTotals:
    """What a store's tills took and paid out: the POS's own truth for the checker.

    No count of units by SKU: nothing read one, and a dict per store of every SKU it
    ever sold grew with the days (2.7 MiB at a peak weekend's Monday, full scale); the
    units sold are in the sale messages and the stock movements."""

    sales: int = 0
    tendered_cents: int = 0
    refunded_cents: int = 0
    #: of which tax: what the tills took in tax, and paid back with refunds at the till
    tax_cents: int = 0
    refunded_tax_cents: int = 0


class Pos:
    def __init__(
        self,
        env: simpy.Environment,
        rng: random.Random,
        config: PosConfig,
        stores: list[str],
        initial_stock: dict[tuple[str, str], int],
        emit: Emit,
        on_ready: Ready,
        priced_skus: frozenset[str] = frozenset(),
    ) -> None:
        self._env = env
        self._rng = rng
        self.config = config
        self.stores = stores
        self._emit_now = emit
        self._on_ready = on_ready
        self.stock = Stockroom(on_hand=dict(initial_stock), clock=lambda: now_of(env))
        self._pick_time = LogNormal(
            rng, config.store_pick_time_median_s, config.store_pick_time_median_s * 3
        )
        self.online: dict[str, bool] = dict.fromkeys(stores, True)
        self._backlog: dict[str, list[tuple[str, dict[str, Any]]]] = {s: [] for s in stores}
        #: click-and-collect orders by ref; one leaves memory once collected or
        #: cancelled (with a store: simulators/records.py), a late cancel brings it back
        self.pickups: RecordTable[PickupOrder] = RecordTable()
        self.totals: dict[str, StoreTotals] = {s: StoreTotals() for s in stores}
        #: every counter return, in the order taken (written out as taken, with a store)
        self.returns: RecordLog[TillReturn] = RecordLog()
        self.receipts = 0
        self.lost_sales = 0
        self._txn = 0
        self.backlog_uploaded = 0
        #: each store's prices; the tills' record of what they charged for `priced_skus`
        self.prices = StorePrices(stores, priced_skus)
        self._line = Interned()  # one copy of each (sku, qty) line

    # -- connectivity -----------------------------------------------------------------

    def _emit(self, store: str, kind: str, payload: dict[str, Any]) -> None:
        if self.online[store]:
            self._emit_now(kind, payload)
        else:
            self._backlog[store].append((kind, payload))

    def set_online(self, store: str, online: bool) -> None:
        was = self.online[store]
        self.online[store] = online
        if online and not was:
            self.prices.reconnected(store, now_of(self._env))
            backlog, self._backlog[store] = self._backlog[store], []
            self._rng.shuffle(backlog)  # the upload order is not the trading order
            spread = self.config.reconnect_upload_spread_s
            for kind, payload in backlog:
                upload = self._env.timeout(self._rng.uniform(0.0, spread), (store, kind, payload))
                upload.callbacks.append(self._upload)

    def _upload(self, event: Any) -> None:
        store, kind, payload = event.value
        self.backlog_uploaded += 1
        self._emit(store, kind, payload)

    def backlog_size(self) -> int:
        return sum(len(items) for items in self._backlog.values())

    # -- trading ----------------------------------------------------------------------

    def _next_txn(self, store: str) -> str:
        self._txn += 1
        return txn_id(store, self._txn)

    def walk_in_sale(self, store: str, lines: list[tuple[str, int, int, int]]) -> str | None:
        """A customer at the till with (sku, qty, unit price, tax) lines; sells what the
        shelf has. Returns the transaction id, or None when nothing was on the shelf."""
        stock = self.stock
        now = now_of(self._env)
        sold: list[dict[str, Any]] = []
        reports = []
        book = self.prices.books[store]
        for sku, qty, price, tax in lines:
            key = (sku, store)
            have = stock.sellable(key)
            if have <= 0:
                self.lost_sales += 1
                continue
            take = min(qty, have)
            stock.move(key, -take)
            line: dict[str, Any] = {
                "sku": sku,
                "qty": take,
                "price_cents": price,
                "tax_cents": tax * take // qty,
            }
            _, list_price, promotion = book.terms(sku, price)
            if list_price != price or promotion:  # the shelf price, cut from the list price
                line["list_price_cents"] = list_price
                line["promotion"] = promotion
            sold.append(line)
            reports.append(stock.pos_report(key, now))
        if not sold:
            return None
        txn = self._next_txn(store)
        if self.prices.watched:
            self.prices.record(now, store, txn, sold)
        totals = self.totals[store]
        totals.sales += 1
        for line in sold:
            totals.tendered_cents += line["price_cents"] * line["qty"] + line["tax_cents"]
            totals.tax_cents += line["tax_cents"]
        self._emit(
            store,
            "sale",
            {
                "kind": "sale",
                "store": store,
                "txn": txn,
                "ts": now,
                "lines": sold,
                "stock": reports,
            },
        )
        return txn

    def counter_return(
        self,
        store: str,
        order_ref: str,
        channel: str,
        lines: list[tuple[str, int, int, int]],
        refund_at_till: bool,
    ) -> str:
        """Goods back over the counter: (sku, qty, refund net, refund tax) lines."""
        now = now_of(self._env)
        damaged = self._rng.random() < self.config.damaged_rate
        reports = []
        refund = 0
        for sku, qty, net, tax in lines:
            key = (sku, store)
            self.stock.move(key, qty, qty if damaged else 0)
            reports.append(self.stock.pos_report(key, now))
            refund += net + tax
        txn = RETURN_PREFIX + self._next_txn(store)
        grade = "damaged" if damaged else "resellable"
        at_till = refund if refund_at_till else 0
        payload: dict[str, Any] = {
            "kind": "return",
            "store": store,
            "txn": txn,
            "order_ref": order_ref,
            "channel": channel,
            "grade": grade,
            "lines": [
                {"sku": s, "qty": q, "refund_cents": n, "tax_cents": t} for s, q, n, t in lines
            ],
            "refunded_at_till_cents": at_till,
            "stock": reports,
            "ts": now,
        }
        if refund_at_till:
            self.totals[store].refunded_cents += refund
            self.totals[store].refunded_tax_cents += sum(tax for _, _, _, tax in lines)
        self.returns.append(
            TillReturn(txn, store, order_ref, channel, grade, now, tuple(lines), at_till)
        )
        self._emit(store, "return", payload)
        return txn

    # -- click and collect ---------------------------------------------------------------------

    def receive(self, topic: str, body: dict[str, Any]) -> None:
        """What the hub publishes to the stores: price pushes."""
        if topic == "prices":
            self.prices.push(body["prices"], self.online.__getitem__, now_of(self._env))

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        store = body.get("store") or self._store_of(body)
        if store and not self.online.get(store, True):
            return  # the store is unreachable: the caller times out
        try:
            status, answer = getattr(self, f"_{operation}")(body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            status, answer = 400, {"error": f"bad request: {type(exc).__name__}: {exc}"}
        reply(status, answer)

    def _store_of(self, body: dict[str, Any]) -> str:
        pickup = self.pickups.get(body.get("orderRef", ""))
        return pickup.store if pickup else ""

    def _pickup_request(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        ref = body["order_ref"]
        store = body["store"]
        if store not in self.online:  # refused now: its pick would find no such tills
            return 400, {"error": f"bad request: {store!r} is not one of the stores"}
        if ref in self.pickups:
            return 409, {"error": "already requested"}
        order = PickupOrder(
            ref,
            store,
            [self._line((line["sku"], int(line["qty"]))) for line in body["lines"]],
        )
        order.requested_at = order.changed_at = now_of(self._env)
        self.pickups.add(ref, order)
        Later(self._env, self._pick_time(), self._pick, order)
        return 202, {"accepted": ref}

    def _cancel_release(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        order = self.pickups.get(body["orderRef"])
        if order is None:
            return 404, {"error": "unknown order"}
        if order.status == "collected":
            return 409, {"error": "already collected"}
        order = self.pickups.for_update(order.order_ref)  # to change it (found above)
        assert order is not None
        if order.status == "ready":
            for sku, qty in order.picked:
                self.stock.deallocate((sku, order.store), qty)
        order.status = "cancelled"
        order.changed_at = now_of(self._env)
        self.pickups.finish(order.order_ref)
        return 200, {"cancelled": order.order_ref}

    def _stock_snapshot(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 200, stock_table.export(
            ["sku", "on_hand", "quarantined", "seq"],
            self.stock.snapshot_table(body["store"]),
            now_of(self._env),
        )

    def _pick(self, event: Any) -> None:
        order: PickupOrder = event.value
        if order.status != "queued":
            return
        short = []
        for sku, qty in order.lines:
            got = self.stock.allocate((sku, order.store), qty)
            if got:
                order.picked.append(self._line((sku, got)))
            if got < qty:
                short.append({"sku": sku, "qty": qty - got})
        order.status = "ready"
        order.changed_at = now_of(self._env)
        self._emit(
            order.store,
            "pickup_ready",
            {
                "kind": "pickup_ready",
                "store": order.store,
                "order_ref": order.order_ref,
                "short": short,
                "ts": now_of(self._env),
            },
        )
        if order.picked:
            self._on_ready(order.order_ref, order.store)

    def collect(self, order_ref: str) -> bool:
        """The customer arrives for a click-and-collect order."""
        order = self.pickups.get(order_ref)
        if order is None or order.status != "ready":
            return False
        now = now_of(self._env)
        reports = []
        for sku, qty in order.picked:
            key = (sku, order.store)
            self.stock.deallocate(key, qty)
            self.stock.move(key, -qty)
            reports.append(self.stock.pos_report(key, now))
        order.status = "collected"
        order.changed_at = now_of(self._env)
        order.collected_at = now
        self.pickups.finish(order_ref)
        self._emit(
            order.store,
            "pickup_collected",
            {
                "kind": "pickup_collected",
                "store": order.store,
                "order_ref": order_ref,
                "lines": [{"sku": s, "qty": q} for s, q in order.picked],
                "stock": reports,
                "ts": now,
            },
        )
        return True

    # -- deliveries ------------------------------------------------------------------------------

    def replenisher(
        self,
        env: simpy.Environment,
        interval_s: float,
        targets: dict[tuple[str, str], int],
        until_s: float,
    ) -> Any:
        """A delivery to every store each interval, topping the shelves back up; a SimPy
        process."""
        rounds = RestockRounds(self.stock, targets)  # each round: what moved since the last
        while now_of(env) + interval_s <= until_s:
            yield env.timeout(interval_s)
            for store, keys in rounds.due():
                now = now_of(env)
                lines = []
                reports = []
                for key in keys:
                    have = self.stock.on_hand.get(key, 0)
                    if have < targets[key]:
                        self.stock.move(key, targets[key] - have)
                        lines.append({"sku": key[0], "qty": targets[key] - have})
                        reports.append(self.stock.pos_report(key, now))
                if lines:
                    self.receipts += 1
                    self._emit(
                        store,
                        "receipt",
                        {
                            "kind": "receipt",
                            "store": store,
                            "receipt": f"DN{self.receipts:07d}",
                            "lines": lines,
                            "stock": reports,
                            "ts": now,
                        },
                    )
