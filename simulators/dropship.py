"""Drop-ship partners: suppliers that ship some SKUs to the retailer's customers
themselves, from their own shelves, on the retailer's purchase orders.

Each partner is a backend of its own (`partner:NAME`), with its own API, its own
clock for acknowledging, processing and shipping, and its own outages. The hub sends it
a purchase order (a `release_order`, the WMS's shape, for the lines of its SKUs); the
partner answers 202, acknowledges the PO later (`PO_ACKNOWLEDGED`, a lognormal delay),
picks what its shelf holds (a line it cannot fill, `unfillable_rate`, is short whole),
ships after its processing time and hands the parcel to the carrier, and sends a
shipment notice (`SHIPMENT_CONFIRMED`, the WMS's shape) at once or, for a share of
shipments (`late_notice_rate`), hours later. A PO the partner loses on receipt
(`po_loss_rate`, an EDI 850 that never reached its order desk) is neither acknowledged
nor shipped until the hub sends it again; a PO it has already is answered 409. Every
`stock_feed_interval_s` it publishes its whole stock (`STOCK_FEED`).

Why the partner's shelves are positions of the estate's DC stockroom (`Wms.stock`, at
the partner's own location) and its POs are recorded beside the WMS's releases
(`record`): the checker reads an order's fulfilment and the physical stock from those
two records, so what each partner actually shipped is in the same ground truth as what
each DC shipped, and an order with DC parts and partner parts is judged as one. Only the
partner moves its positions (a returned parcel aside: returns come back through the
retailer's returns desk, the WMS, and restock the partner's position).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import simpy

from simulators import stock_table
from simulators.later import Later
from simulators.release import Release, release_key
from simulators.rng import LogNormal
from simulators.rpc import Reply
from simulators.stockroom import Stockroom
from simulators.types import Emit
from simulators.wms import Dispatched, Shipped

#: every operation `Partner.handle` accepts (each is the method `_{operation}`);
#: `simulators.contract.dropship` documents each one
OPERATIONS = ("release_order", "cancel_release", "stock_snapshot")
#: the source every partner's messages reach the hub from (they name their location)
SOURCE = "dropship"
#: a partner's system name is this prefix and its name
SYSTEM_PREFIX = "partner:"


def system_of(name: str) -> str:
    """The system a partner's API answers as (and a fault targets): `partner:NAME`."""
    return f"{SYSTEM_PREFIX}{name}"


def location_of(name: str) -> str:
    """The location id the partner's stock and shipments are held under."""
    return f"DS-{name.upper()}"


@dataclass(frozen=True, slots=True)
class PartnerConfig:
    name: str
    #: median and p95 (4x) of the time from receiving a PO to acknowledging it
    ack_time_median_s: float
    #: median (p95 2x) of the time from acknowledging a PO to handing the parcel over
    processing_time_median_s: float
    stock_feed_interval_s: float
    late_notice_rate: float
    late_notice_delay_s: float
    unfillable_rate: float
    po_loss_rate: float

    @property
    def location(self) -> str:
        return location_of(self.name)

    @property
    def system(self) -> str:
        return system_of(self.name)


@dataclass(slots=True)
class PurchaseOrder:
    """A PO as the partner holds it: its release (the ground truth of what it shipped)
    and the partner's own dates."""

    release: Release
    received_at: float
    #: lost on receipt: nothing happens until the hub sends it again
    lost: bool = False
    acked_at: float = -1.0
    #: times the hub sent it again after the first
    resent: int = 0
    #: when its shipment notice went out (-1: not yet); late: held back
    notice_at: float = -1.0
    late: bool = False


class Partner:
    def __init__(
        self,
        env: simpy.Environment,
        rng: random.Random,
        config: PartnerConfig,
        stock: Stockroom,
        emit: Emit,
        record: Callable[[Release], None],
        on_shipped: Shipped,
        on_dispatched: Dispatched | None = None,
    ) -> None:
        self._env = env
        self._rng = rng
        self.config = config
        self.location = config.location
        self.stock = stock
        self._emit = emit
        self._record = record
        self._on_shipped = on_shipped
        self._on_dispatched = on_dispatched
        self._ack_time = LogNormal(rng, config.ack_time_median_s, config.ack_time_median_s * 4)
        median = config.processing_time_median_s
        self._processing = LogNormal(rng, median, median * 2)
        #: by release key (`release_key`), in the order received
        self.orders: dict[str, PurchaseOrder] = {}
        self.down = False
        self._shipment_no = 0
        self.feeds_sent = 0

    # -- API ---------------------------------------------------------------------------

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        if self.down:
            reply(503, {"error": f"partner {self.config.name} unavailable"})
            return
        if operation not in OPERATIONS:
            reply(400, {"error": f"bad request: unknown operation {operation!r}"})
            return
        try:
            status, answer = getattr(self, f"_{operation}")(body)
        except (KeyError, TypeError, ValueError) as exc:
            status, answer = 400, {"error": f"bad request: {type(exc).__name__}: {exc}"}
        reply(status, answer)

    def _release_order(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        ref = body["orderRef"]
        leg = int(body.get("leg", 1))
        if leg < 1:
            raise ValueError(f"leg must be 1 or more, not {leg}")
        if body["dc"] != self.location:
            raise ValueError(f"this is {self.location}, not {body['dc']}")
        key = release_key(ref, leg)
        known = self.orders.get(key)
        if known is not None:
            known.resent += 1
            if not known.lost:
                return 409, {"error": "already received"}
            known.lost = False  # sent again: this time it reaches the order desk
            self._start(known)
            return 202, {"accepted": ref}
        lines = [(line["item"], int(line["qty"])) for line in body["lines"]]
        now = self._env.now
        po = PurchaseOrder(Release(ref, self.location, lines, now, leg=leg), now)
        self.orders[key] = po
        self._record(po.release)
        if self._rng.random() < self.config.po_loss_rate:
            po.lost = True
        else:
            self._start(po)
        return 202, {"accepted": ref}

    def _cancel_release(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        po = self.orders.get(release_key(body["orderRef"], int(body.get("leg", 1))))
        if po is None:
            return 404, {"error": "unknown order"}
        release = po.release
        if release.status == "cancelled":
            return 200, {"cancelled": release.order_ref}
        if release.status != "queued":
            return 409, {"error": f"order is {release.status}"}
        release.status = "cancelled"
        release.changed_at = self._env.now
        return 200, {"cancelled": release.order_ref}

    def _stock_snapshot(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 200, stock_table.export(
            ["item", "onHand", "quarantined", "seq"],
            self.stock.snapshot_table(self.location),
            self._env.now,
        )

    # -- the partner's floor ---------------------------------------------------------------

    def _start(self, po: PurchaseOrder) -> None:
        Later(self._env, self._ack_time(), self._acknowledge, po)

    def _acknowledge(self, event: Any) -> None:
        po: PurchaseOrder = event.value
        release = po.release
        if release.status != "queued":
            return  # cancelled before the desk got to it
        po.acked_at = self._env.now
        self._emit("PO_ACKNOWLEDGED", self._tagged("PO_ACKNOWLEDGED", release))
        Later(self._env, self._processing(), self._pick_and_ship, po)

    def _tagged(self, kind: str, release: Release) -> dict[str, Any]:
        message: dict[str, Any] = {
            "msg": kind,
            "orderRef": release.order_ref,
            "dc": release.dc,
            "ts": self._env.now,
        }
        if release.leg > 1:
            message["leg"] = release.leg
        return message

    def _pick_and_ship(self, event: Any) -> None:
        po: PurchaseOrder = event.value
        release = po.release
        if release.status != "queued":
            return
        now = self._env.now
        stock = self.stock
        for sku, qty in release.lines:
            key = (sku, self.location)
            got = 0 if self._rng.random() < self.config.unfillable_rate else qty
            got = min(got, max(0, stock.sellable(key)))
            if got:
                release.picked.append((sku, got))
            if got < qty:
                release.note_short(sku, qty - got)
        self._emit("ORDER_PICKED", self._tagged("ORDER_PICKED", release))
        reports = []
        for sku, qty in release.picked:
            key = (sku, self.location)
            stock.move(key, -qty)
            reports.append(stock.wms_report(key, now))
        release.status = "shipped"
        release.shipped_at = release.changed_at = now
        self._shipment_no += 1
        release.shipment_no = f"{self.location}-{self._shipment_no:07d}"
        picked, short = dict(release.picked), dict(release.short)
        notice = self._tagged("SHIPMENT_CONFIRMED", release)
        notice["shipmentNo"] = release.shipment_no
        notice["lines"] = [
            {"item": sku, "shipped": picked.get(sku, 0), "short": short.get(sku, 0)}
            for sku, _ in release.lines
        ]
        notice["stock"] = reports
        if release.picked:
            if self._on_dispatched is not None:
                self._on_dispatched(release)
            self._on_shipped(release.order_ref, release.picked)
        po.late = self._rng.random() < self.config.late_notice_rate
        delay = self.config.late_notice_delay_s if po.late else 0.0
        Later(self._env, delay, self._notify, (po, notice))

    def _notify(self, event: Any) -> None:
        po, notice = event.value
        po.notice_at = self._env.now
        self._emit("SHIPMENT_CONFIRMED", notice)

    # -- the stock feed --------------------------------------------------------------------

    def stock_feed(self, until_s: float) -> Any:
        """Its whole stock to the hub every `stock_feed_interval_s`; a SimPy process.
        A partner that is down sends nothing (its feed job runs on the same servers)."""
        interval = self.config.stock_feed_interval_s
        env = self._env
        while env.now + interval <= until_s:
            yield env.timeout(interval)
            if self.down:
                continue
            now = env.now
            keys = self.stock.keys_at(self.location)
            self.feeds_sent += 1
            self._emit(
                "STOCK_FEED",
                {
                    "msg": "STOCK_FEED",
                    "dc": self.location,
                    "stock": [self.stock.wms_report(key, now) for key in keys],
                    "ts": now,
                },
            )
