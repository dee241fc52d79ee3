"""Small, deterministic fakes for the hub's ports, and a harness that drives a hub.

The hub is a pure core: it is driven only through `receive`, `on_response` and
`on_timer`, and it acts only through the ports it was built with. These fakes play the
part of the SimPy runtime (scenarios/twin/sim_ports.py) without any simulation: the clock
moves only when the test moves it, timers wait until the test fires them, and every
request waits until the test answers it with the status it chooses.
"""

from __future__ import annotations

import marshal
import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.bootstrap import bootstrap
from hub.context import Topology
from hub.core import Hub
from hub.messages import StockReport
from hub.model.order import Order
from hub.model.packing import ORDER
from hub.policy import HubPolicy
from hub.ports import Body, DurableStore

DC = "DC1"
OTHER_DC = "DC2"
STORE = "S1"
SKU = "SKU-A"
TOPOLOGY = Topology((DC, OTHER_DC), (STORE,), {DC: "north", OTHER_DC: "south", STORE: "north"})


def quiet_policy(**overrides: Any) -> HubPolicy:
    """A policy without the background timers (reconciliation, store summaries, the
    dead-letter sweep) that would otherwise send their own backend calls into a test's
    request counts."""
    settings: dict[str, Any] = {
        "reconcile_interval_s": 0.0,
        "store_summary_interval_s": 0.0,
        "auto_replay_interval_s": 0.0,
    }
    settings.update(overrides)
    return HubPolicy(**settings)


# -- ports ---------------------------------------------------------------------------


class ManualClock:
    """Time moves only when the test (or the harness firing a timer) moves it."""

    def __init__(self, start: float = 0.0) -> None:
        self.t = start

    def now(self) -> float:
        return self.t

    def set(self, t: float) -> None:
        assert t >= self.t, f"time cannot go back from {self.t} to {t}"
        self.t = t


@dataclass(slots=True)
class Timer:
    due: float
    seq: int
    delay_s: float
    timer: tuple[str, Any]

    @property
    def kind(self) -> str:
        return self.timer[0]


class RecordingScheduler:
    """Keeps every timer the hub asks for; the test decides when they fire."""

    def __init__(self, clock: ManualClock) -> None:
        self._clock = clock
        self._seq = 0
        self.pending: list[Timer] = []
        #: every timer ever scheduled, in the order the hub asked for them
        self.log: list[Timer] = []

    def call_later(self, delay_s: float, timer: tuple[str, Any]) -> None:
        assert delay_s >= 0, f"negative delay {delay_s} for {timer}"
        self._seq += 1
        entry = Timer(self._clock.now() + delay_s, self._seq, delay_s, timer)
        self.pending.append(entry)
        self.log.append(entry)

    def peek(self, until: float | None = None, kind: str | None = None) -> Timer | None:
        """The earliest pending timer (of `kind`, due by `until`), left in place."""
        candidates = [
            t
            for t in self.pending
            if (kind is None or t.kind == kind) and (until is None or t.due <= until)
        ]
        return min(candidates, key=lambda t: (t.due, t.seq)) if candidates else None

    def pop_next(self, until: float | None = None) -> Timer | None:
        """Remove and return the earliest pending timer due by `until`."""
        first = self.peek(until)
        if first is not None:
            self.pending.remove(first)
        return first

    def scheduled(self, kind: str) -> list[Timer]:
        return [t for t in self.log if t.kind == kind]

    def pending_of(self, kind: str) -> list[Timer]:
        return [t for t in self.pending if t.kind == kind]


@dataclass(slots=True)
class Request:
    system: str
    operation: str
    body: dict[str, Any]
    call_id: int
    timeout_s: float
    sent_at: float
    #: the access token sent with it (None: none)
    token: str | None = None
    answered: bool = False


@dataclass(slots=True)
class Published:
    system: str
    topic: str
    body: dict[str, Any]
    at: float


@dataclass(slots=True)
class RecordingTransport:
    """Records requests and publications; answers come only from the test."""

    clock: ManualClock
    requests: list[Request] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)
    #: highest number of unanswered requests seen at once, per system
    max_in_flight: dict[str, int] = field(default_factory=dict)
    #: (source, message id) of every message the hub said it has, in order
    acknowledged: list[tuple[str, int]] = field(default_factory=list)

    def request(
        self,
        system: str,
        operation: str,
        body: Body,
        call_id: int,
        timeout_s: float,
        token: str | None = None,
    ) -> None:
        self.requests.append(
            Request(system, operation, dict(body), call_id, timeout_s, self.clock.now(), token)
        )
        in_flight = len(self.open(system))
        self.max_in_flight[system] = max(self.max_in_flight.get(system, 0), in_flight)

    def publish(self, system: str, topic: str, body: Body) -> None:
        self.published.append(Published(system, topic, dict(body), self.clock.now()))

    def acknowledge(self, source: str, message_id: int) -> None:
        self.acknowledged.append((source, message_id))

    def sent(self, system: str, operation: str | None = None) -> list[Request]:
        return [
            r
            for r in self.requests
            if r.system == system and (operation is None or r.operation == operation)
        ]

    def open(self, system: str, operation: str | None = None) -> list[Request]:
        return [r for r in self.sent(system, operation) if not r.answered]

    def notices(self, system: str = "web", topic: str = "order_status") -> list[dict[str, Any]]:
        return [p.body for p in self.published if p.system == system and p.topic == topic]


class FixedRng:
    """An Rng that always draws the same number: makes backoff delays exact."""

    def __init__(self, value: float) -> None:
        self.value = value

    def random(self) -> float:
        return self.value


# -- the harness ---------------------------------------------------------------------


class Harness:
    """A hub wired to the fakes, with helpers to deliver, answer and let time pass."""

    def __init__(
        self,
        policy: HubPolicy | None = None,
        rng: Any = None,
        stock: Mapping[tuple[str, str], int] | None = None,
        store: DurableStore | None = None,
        topology: Topology = TOPOLOGY,
    ) -> None:
        self.clock = ManualClock()
        self.scheduler = RecordingScheduler(self.clock)
        self.transport = RecordingTransport(self.clock)
        self.rng = rng if rng is not None else random.Random(1234)
        self.policy = policy if policy is not None else quiet_policy()
        self.hub: Hub = bootstrap(
            self.policy,
            self.clock,
            self.scheduler,
            self.transport,
            self.rng,
            topology,
            store,
        )
        levels = stock if stock is not None else {(SKU, DC): 10}
        self.hub.load_stock(
            StockReport(sku, loc, qty, 0, 0.0) for (sku, loc), qty in levels.items()
        )
        self._next_msg = 1000

    # -- in ---------------------------------------------------------------------------

    def deliver(self, source: str, payload: Body, message_id: int | None = None) -> int:
        if message_id is None:
            self._next_msg += 1
            message_id = self._next_msg
        self.hub.receive(source, message_id, payload)
        return message_id

    def answer(self, request: Request, status: int, body: Body | None = None) -> None:
        assert not request.answered, f"{request.operation} #{request.call_id} answered twice"
        request.answered = True
        self.hub.on_response(request.system, request.call_id, status, dict(body or {}))

    def answer_open(
        self, system: str, operation: str, status: int, body: Body | None = None
    ) -> int:
        """Answer every open request of one operation the same way; returns how many."""
        pending = self.transport.open(system, operation)
        for request in pending:
            self.answer(request, status, body)
        return len(pending)

    def fire_next(self, kind: str) -> Timer:
        """Let time run to the next timer of `kind` and fire it (other timers due
        earlier fire first, as they would in a real runtime)."""
        target = self.scheduler.peek(kind=kind)
        assert target is not None, f"no {kind} timer pending"
        self.advance_to(target.due)
        return target

    def advance(self, seconds: float) -> None:
        self.advance_to(self.clock.now() + seconds)

    def advance_to(self, t: float) -> None:
        """Fire every timer due by `t`, in time order, then leave the clock at `t`."""
        while True:
            timer = self.scheduler.pop_next(until=t)
            if timer is None:
                break
            self.clock.set(max(self.clock.now(), timer.due))
            self.hub.on_timer(timer.timer)
        self.clock.set(t)

    # -- views ------------------------------------------------------------------------

    def order(self, order_id: str) -> Order:
        return self.hub.ctx.orders[order_id]

    def ats(self, sku: str = SKU) -> int:
        return self.hub.availability.ats_ship(sku)

    def erp_creates(self) -> list[Request]:
        return self.transport.sent("erp", "create_sales_order")


# -- payloads in each backend's own dialect -----------------------------------------------


def web_order(
    order_ref: str,
    lines: Iterable[tuple[str, int]] = ((SKU, 1),),
    placed_at: float = 0.0,
    customer: str = "C-1",
) -> dict[str, Any]:
    return {
        "type": "order.created",
        "order_ref": order_ref,
        "customer_ref": customer,
        "placed_at": placed_at,
        "lines": [
            {"sku": sku, "qty": qty, "unit_price_cents": 1000, "tax_cents": 200}
            for sku, qty in lines
        ],
    }


def web_cancel(order_ref: str, at: float = 0.0) -> dict[str, Any]:
    return {"type": "order.cancel_requested", "order_ref": order_ref, "at": at}


def wms_picked(order_ref: str, dc: str = DC, ts: float = 0.0) -> dict[str, Any]:
    return {"msg": "ORDER_PICKED", "orderRef": order_ref, "dc": dc, "ts": ts}


def wms_shipment(
    order_ref: str,
    shipment_no: str,
    lines: Iterable[tuple[str, int, int]],
    stock: Iterable[tuple[str, int, int]] = (),
    dc: str = DC,
    ts: float = 0.0,
) -> dict[str, Any]:
    """`lines` are (item, shipped, short); `stock` rows are (item, onHand, seq)."""
    return {
        "msg": "SHIPMENT_CONFIRMED",
        "orderRef": order_ref,
        "shipmentNo": shipment_no,
        "dc": dc,
        "lines": [
            {"item": item, "shipped": shipped, "short": short} for item, shipped, short in lines
        ],
        "stock": [
            {"item": item, "onHand": on_hand, "seq": seq, "ts": ts} for item, on_hand, seq in stock
        ],
        "ts": ts,
    }


def wms_receipt(
    receipt_no: str,
    lines: Iterable[tuple[str, int]],
    stock: Iterable[tuple[str, int, int]],
    dc: str = DC,
    ts: float = 0.0,
) -> dict[str, Any]:
    return {
        "msg": "RECEIPT",
        "dc": dc,
        "receiptNo": receipt_no,
        "lines": [{"item": item, "qty": qty} for item, qty in lines],
        "stock": [
            {"item": item, "onHand": on_hand, "seq": seq, "ts": ts} for item, on_hand, seq in stock
        ],
        "ts": ts,
    }


def booked(number: str) -> dict[str, Any]:
    """The ERP's answer to a document it created."""
    return {"DocumentNo": number}


def authorised(auth_id: str) -> dict[str, Any]:
    return {"id": auth_id, "status": "authorized"}


class PackedArchive:
    """An archive that keeps what the run's file would: bytes, so every read is a new
    object built from what was packed (hub/model/packing.py), nothing else."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[int, bytes]] = {}

    def put(self, seq: int, key: str, aggregate: Order) -> None:
        assert key not in self.kept
        self.kept[key] = (seq, marshal.dumps(ORDER.pack(aggregate)))

    def get(self, key: str) -> Order | None:
        held = self.kept.get(key)
        return None if held is None else ORDER.unpack(marshal.loads(held[1]))

    def take(self, key: str) -> tuple[int, Order] | None:
        held = self.kept.pop(key, None)
        return None if held is None else (held[0], ORDER.unpack(marshal.loads(held[1])))

    def __contains__(self, key: object) -> bool:
        return key in self.kept

    def __len__(self) -> int:
        return len(self.kept)

    def scan(self) -> Iterator[tuple[int, str, Order]]:
        for key, (seq, data) in sorted(self.kept.items(), key=lambda item: item[1][0]):
            yield seq, key, ORDER.unpack(marshal.loads(data))
