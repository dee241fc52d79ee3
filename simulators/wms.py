"""The warehouse management system of the distribution centres.

Orders released to a DC queue for its pickers (a service station per DC). Picking
allocates what is physically there; a line the shelf cannot fill is short-picked, which
is where an oversell becomes visible to the customer. After packing, the carrier takes
the parcel and the WMS confirms the shipment with the stock it left behind. The WMS also
books supplier receipts that top stock back up, and receives and inspects returned
parcels: resellable goods go back to stock, damaged ones to quarantine.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import simpy

from simulators import stock_table
from simulators.interned import Interned
from simulators.later import Later, now_of
from simulators.legs import Legs
from simulators.master_data import MasterData
from simulators.numbers import SHIPMENT_NUMBERS
from simulators.records import RecordTable
from simulators.release import Release, as_one, release_key
from simulators.restock import RestockRounds
from simulators.rng import LogNormal
from simulators.rpc import Reply
from simulators.service import ServiceStation
from simulators.stockroom import Stockroom
from simulators.types import Emit

Shipped = Callable[[str, list[tuple[str, int]]], None]
#: told of every parcel that leaves a dock (the carrier takes it from there)
Dispatched = Callable[[Release], None]

#: every operation `Wms.handle` accepts (each `_{operation}`), documented in contract/wms.py
OPERATIONS = ("release_order", "cancel_release", "expect_return", "stock_snapshot")


@dataclass(slots=True)
class WmsConfig:
    pickers_per_dc: int
    pick_time_median_s: float
    pack_ship_median_s: float
    inspect_time_median_s: float
    damaged_rate: float
    return_transit_median_s: float = 3600.0


@dataclass(slots=True)
class ExpectedReturn:
    rma: str
    order_ref: str
    dc: str
    lines: list[tuple[str, int]]
    status: str = "expected"  # expected|received|inspected
    grade: str = ""
    received_at: float = -1.0


class Wms:
    def __init__(
        self,
        env: simpy.Environment,
        rng: random.Random,
        config: WmsConfig,
        dcs: list[str],
        initial_stock: dict[tuple[str, str], int],
        emit: Emit,
        on_shipped: Shipped,
        on_dispatched: Dispatched | None = None,
    ) -> None:
        self._env = env
        self._rng = rng
        self.config = config
        self.dcs = dcs
        self._emit = emit
        self._on_shipped = on_shipped
        self._on_dispatched = on_dispatched
        self.stock = Stockroom(on_hand=dict(initial_stock), clock=lambda: now_of(env))
        #: the items it knows: an order or a return of another is refused
        self.master = MasterData("WMS", initial_stock, "item")
        pick_time = LogNormal(rng, config.pick_time_median_s, config.pick_time_median_s * 3)
        self._pack_time = LogNormal(rng, config.pack_ship_median_s, config.pack_ship_median_s * 3)
        self._inspect_time = LogNormal(
            rng, config.inspect_time_median_s, config.inspect_time_median_s * 3
        )
        self._transit = LogNormal(
            rng, config.return_transit_median_s, config.return_transit_median_s * 4
        )
        self.stations = {dc: ServiceStation(env, config.pickers_per_dc, pick_time) for dc in dcs}
        #: where a return may come back to: the DCs, and each drop-ship partner whose
        #: shelves this stockroom holds (`take_returns_for`)
        self.return_places = set(dcs)
        #: by release key (`Release.key`: the order's ref for its only or first part), and
        #: returns by RMA: final once shipped or cancelled, inspected (simulators/records.py)
        self.releases: RecordTable[Release] = RecordTable()
        self.returns: RecordTable[ExpectedReturn] = RecordTable()
        #: order ref -> its releases, first part first (one unless the order was split)
        self.legs: Legs[Release] = Legs(self.releases, release_key)
        self.receipts = 0
        self.down = False
        self._shipment_no = 0
        #: orders with a part another system fulfils (`record`)
        self._recorded: set[str] = set()
        self._line = Interned()  # one copy of each (sku, qty) line

    def order_release(self, order_ref: str) -> Release | None:
        """The order's fulfilment as one release (`as_one`); None if never released here."""
        return as_one(self.legs.get(order_ref) or ())

    def record(self, release: Release) -> None:
        """A part of an order a drop-ship partner fulfils, kept among the order's parts in
        leg order, so the order's fulfilment (`order_release`) is judged whole."""
        self.releases.add(release.key, release)  # the partner changes it: never finished
        self.legs.add(release.order_ref, release.leg, in_leg_order=True)
        self._recorded.add(release.order_ref)

    def pick_backlog(self) -> int:
        """Released orders waiting for a picker, over every DC."""
        return sum(station.queue_length for station in self.stations.values())

    # -- API ---------------------------------------------------------------------------

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        if self.down:
            reply(503, {"error": "WMS unavailable"})
            return
        try:
            status, answer = getattr(self, f"_{operation}")(body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            status, answer = 400, {"error": f"bad request: {type(exc).__name__}: {exc}"}
        reply(status, answer)

    def take_returns_for(self, location: str) -> None:
        """Returns of a drop-ship partner's goods come back to its shelves here."""
        self.return_places.add(location)

    @staticmethod
    def _not_one_of(dc: str, places: Iterable[str]) -> tuple[int, dict[str, Any]] | None:
        """The bad request for a `dc` that is not one of `places` (None: it is one):
        refused at once, as what it starts would find no such floor or shelf later."""
        if dc in places:
            return None
        return 400, {"error": f"bad request: dc {dc!r} is not one of {sorted(places)}"}

    def _refusal(
        self, body: dict[str, Any], places: Iterable[str]
    ) -> tuple[int, dict[str, Any]] | None:
        """The bad request for a body whose `dc` is not one of `places` or whose lines
        name an item the WMS does not know (None: neither)."""
        refused = self._not_one_of(body["dc"], places)
        if refused is not None:
            return refused
        unknown = self.master.unknown(body, "lines", "item")
        return None if unknown is None else (400, {"error": unknown})

    def _release_order(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        refused = self._refusal(body, self.stations)
        if refused is not None:
            return refused
        ref = body["orderRef"]
        leg = int(body.get("leg", 1))
        if leg < 1:
            raise ValueError(f"leg must be 1 or more, not {leg}")
        if self.legs.has(ref, leg):
            return 409, {"error": "already released"}
        dc = body["dc"]
        release = Release(
            ref,
            dc,
            [self._line((line["item"], int(line["qty"]))) for line in body["lines"]],
            now_of(self._env),
            leg=leg,
        )
        release.job = pick = partial(self._pick, release)
        self.releases.add(release.key, release)
        self.legs.add(ref, leg, in_leg_order=ref in self._recorded)
        self.stations[dc].submit(pick)
        return 202, {"accepted": ref}

    def _cancel_release(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        release = self.releases.get(release_key(body["orderRef"], int(body.get("leg", 1))))
        if release is None:
            return 404, {"error": "unknown order"}
        if release.status == "cancelled":
            return 200, {"cancelled": release.order_ref}
        if release.status != "queued" or release.job is None:
            return 409, {"error": f"order is {release.status}"}
        self.stations[release.dc].cancel(release.job)
        release.job = None
        release.status = "cancelled"
        release.changed_at = now_of(self._env)
        self.releases.finish(release.key)
        return 200, {"cancelled": release.order_ref}

    def _expect_return(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        # accepted, a return to a store put its goods on the store's shelf in the
        # WMS's count hours later (the stock meter then raised); to '', on no shelf
        refused = self._refusal(body, self.return_places)
        if refused is not None:
            return refused
        rma = body["rma"]
        if rma in self.returns:
            return 202, {"expected": rma}
        expected = ExpectedReturn(
            rma,
            body["orderRef"],
            body["dc"],
            [(line["item"], int(line["qty"])) for line in body["lines"]],
        )
        self.returns.add(rma, expected)
        Later(self._env, self._transit(), self._receive_return, expected)
        return 202, {"expected": rma}

    def _stock_snapshot(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 200, stock_table.export(
            ["item", "onHand", "quarantined", "seq"],
            self.stock.snapshot_table(body["dc"]),
            now_of(self._env),
        )

    # -- the floor ------------------------------------------------------------------------

    def _pick(self, release: Release) -> None:
        release.job = None  # its work is done: nothing can withdraw it now
        if release.status != "queued":
            return
        release.status = "picked"
        release.changed_at = now_of(self._env)
        for sku, qty in release.lines:
            got = self.stock.allocate((sku, release.dc), qty)
            if got:
                release.picked.append(self._line((sku, got)))
            if got < qty:
                release.note_short(sku, qty - got)
        now = now_of(self._env)
        picked: dict[str, Any] = {
            "msg": "ORDER_PICKED",
            "orderRef": release.order_ref,
            "dc": release.dc,
            "ts": now,
        }
        if release.leg > 1:
            picked["leg"] = release.leg
        self._emit("ORDER_PICKED", picked)
        delay = self._pack_time() if release.picked else 0.0
        Later(self._env, delay, self._ship, release)

    def _ship(self, event: Any) -> None:
        release: Release = event.value
        now = now_of(self._env)
        release.status = "shipped"
        release.shipped_at = now
        release.changed_at = now
        stock = self.stock
        reports = []
        for sku, qty in release.picked:
            key = (sku, release.dc)
            stock.deallocate(key, qty)
            stock.move(key, -qty)
            reports.append(stock.wms_report(key, now))
        self._shipment_no += 1
        release.shipment_no = SHIPMENT_NUMBERS.format("SHP", self._shipment_no)
        short = dict(release.short)
        picked = dict(release.picked)
        notice: dict[str, Any] = {
            "msg": "SHIPMENT_CONFIRMED",
            "orderRef": release.order_ref,
            "shipmentNo": release.shipment_no,
            "dc": release.dc,
            "lines": [
                {"item": sku, "shipped": picked.get(sku, 0), "short": short.get(sku, 0)}
                for sku, _ in release.lines
            ],
            "stock": reports,
            "ts": now,
        }
        if release.leg > 1:
            notice["leg"] = release.leg
        self._emit("SHIPMENT_CONFIRMED", notice)
        if release.picked:
            if self._on_dispatched is not None:
                self._on_dispatched(release)
            self._on_shipped(release.order_ref, release.picked)
        self.releases.finish(release.key)

    def _receive_return(self, event: Any) -> None:
        expected: ExpectedReturn = event.value
        expected.status = "received"
        expected.received_at = now_of(self._env)
        self._emit(
            "RETURN_RECEIVED",
            {
                "msg": "RETURN_RECEIVED",
                "rma": expected.rma,
                "orderRef": expected.order_ref,
                "dc": expected.dc,
                "lines": [{"item": s, "qty": q} for s, q in expected.lines],
                "ts": now_of(self._env),
            },
        )
        Later(self._env, self._inspect_time(), self._inspect_return, expected)

    def _inspect_return(self, event: Any) -> None:
        expected: ExpectedReturn = event.value
        damaged = self._rng.random() < self.config.damaged_rate
        expected.grade = "damaged" if damaged else "resellable"
        expected.status = "inspected"
        now = now_of(self._env)
        reports = []
        for sku, qty in expected.lines:
            key = (sku, expected.dc)
            self.stock.move(key, qty, qty if damaged else 0)
            reports.append(self.stock.wms_report(key, now))
        self._emit(
            "RETURN_INSPECTED",
            {
                "msg": "RETURN_INSPECTED",
                "rma": expected.rma,
                "dc": expected.dc,
                "grade": expected.grade,
                "stock": reports,
                "ts": now,
            },
        )
        self.returns.finish(expected.rma)

    # -- replenishment -----------------------------------------------------------------------

    def replenisher(
        self,
        env: simpy.Environment,
        interval_s: float,
        targets: dict[tuple[str, str], int],
        until_s: float,
    ) -> Any:
        """A supplier delivery to every DC each interval, topping low SKUs back up to
        target; a SimPy process."""
        rounds = RestockRounds(self.stock, targets)  # each round: what moved since the last
        while now_of(env) + interval_s <= until_s:
            yield env.timeout(interval_s)
            for dc, keys in rounds.due():
                lines = []
                reports = []
                now = now_of(env)
                for key in keys:
                    target = targets[key]
                    have = self.stock.on_hand.get(key, 0)
                    if have < target // 2:
                        self.stock.move(key, target - have)
                        lines.append({"item": key[0], "qty": target - have})
                        reports.append(self.stock.wms_report(key, now))
                if lines:
                    self.receipts += 1
                    self._emit(
                        "RECEIPT",
                        {
                            "msg": "RECEIPT",
                            "receiptNo": f"GR{self.receipts:07d}",
                            "dc": dc,
                            "lines": lines,
                            "stock": reports,
                            "ts": now,
                        },
                    )
