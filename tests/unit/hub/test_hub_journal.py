"""The hub's journal: nothing it decides leaves, and no message is acknowledged, before
the input is committed; a hub rebuilt from the committed journal knows exactly what the
crashed one had committed, sends again what was never answered and arms its timers
again; what was not committed is forgotten, to be delivered again by the broker."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from hub_fakes import (
    DC,
    SKU,
    TOPOLOGY,
    Harness,
    ManualClock,
    RecordingScheduler,
    RecordingTransport,
    quiet_policy,
    web_order,
)

from hub.adapters.instant_store import InstantStore
from hub.bootstrap import bootstrap, recover
from hub.core import Hub
from hub.durability.entries import Answered, Entry, Operated, Received
from hub.messages import StockReport
from hub.ports import Body, DurableStore, Transport


class HeldStore:
    """Commits only when the test says so (`flush`); a crash before loses the rest."""

    def __init__(self) -> None:
        self.committed: list[Entry] = []
        self.pending: list[tuple[Entry, Callable[[], None]]] = []

    def append(self, entry: Entry, then: Callable[[], None]) -> None:
        self.pending.append((entry, then))

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        for entry, then in pending:
            self.committed.append(entry)
            then()

    def crash(self) -> None:
        self.pending = []

    def entries(self) -> Sequence[Entry]:
        return self.committed


def _harness(**policy: object) -> tuple[Harness, HeldStore]:
    store = HeldStore()
    h = Harness(quiet_policy(**policy), rng=random.Random(7), store=store)
    store.flush()  # the opening stock
    return h, store


def _restart(h: Harness, store: HeldStore) -> tuple[Hub, RecordingTransport, RecordingScheduler]:
    """The process died; a new one is built on fresh ports from what was committed."""
    store.crash()
    clock = ManualClock(h.clock.now())
    transport, scheduler = RecordingTransport(clock), RecordingScheduler(clock)
    hub = recover(h.policy, clock, scheduler, transport, random.Random(7), TOPOLOGY, store)
    return hub, transport, scheduler


def test_nothing_leaves_before_the_commit_and_the_ack_comes_last() -> None:
    h, store = _harness()
    h.deliver("web", web_order("W-1"), message_id=5)
    assert h.transport.requests == [] and h.transport.acknowledged == []
    assert [type(entry) for entry, _ in store.pending] == [Received]
    store.flush()
    assert {r.operation for r in h.transport.requests} == {"authorize", "create_sales_order"}
    assert h.transport.acknowledged == [("web", 5)]


def test_a_rebuilt_hub_has_what_was_committed_and_resends_what_was_not_answered() -> None:
    h, store = _harness()
    h.deliver("web", web_order("W-1"))
    store.flush()
    h.advance(1.0)
    hub, transport, scheduler = _restart(h, store)
    order = hub.ctx.orders["W-1"]
    assert repr(order) == repr(h.order("W-1"))  # the same order, history and all
    # both calls were in flight: their answers went to the dead process, so the new
    # one treats them as timed out, a decision that leaves once it is committed too
    assert scheduler.pending_of("call_retry") == []
    store.flush()
    retries = scheduler.pending_of("call_retry")
    assert len(retries) == 2, "the payment authorisation and the ERP lookup wait to go again"
    assert transport.requests == []  # nothing resent blindly at once
    assert hub.ctx.counters.get("erp_unknown_outcomes") == 1, "the ERP write is looked up"


def test_timers_still_due_are_armed_again_at_their_due_time() -> None:
    h, store = _harness(store_summary_interval_s=900.0)
    h.advance(100.0)
    due = {t.due for t in h.scheduler.pending_of("store_summary")}
    assert due == {900.0}
    hub, _, scheduler = _restart(h, store)
    assert {t.due for t in scheduler.pending_of("store_summary")} == due
    assert hub.journal is not None


def test_an_input_not_yet_committed_is_forgotten_and_was_never_acknowledged() -> None:
    h, store = _harness()
    h.deliver("web", web_order("W-1"))
    assert h.transport.acknowledged == []
    hub, transport, _ = _restart(h, store)
    assert "W-1" not in hub.ctx.orders
    assert transport.requests == []


def test_ack_before_commit_acknowledges_at_once() -> None:
    h, _ = _harness(defects=frozenset({"ack_before_commit"}))
    h.deliver("web", web_order("W-1"), message_id=9)
    assert h.transport.acknowledged == [("web", 9)]
    assert h.transport.requests == []


def test_send_before_record_sends_at_once_but_acknowledges_only_after_the_commit() -> None:
    h, store = _harness(defects=frozenset({"send_before_record"}))
    h.deliver("web", web_order("W-1"), message_id=9)
    assert {r.operation for r in h.transport.requests} == {"authorize", "create_sales_order"}
    assert h.transport.acknowledged == []
    store.flush()
    assert h.transport.acknowledged == [("web", 9)]


def test_without_a_journal_effects_leave_at_once() -> None:
    h = Harness(quiet_policy(journal=False))
    h.deliver("web", web_order("W-1"), message_id=3)
    assert h.transport.acknowledged == [("web", 3)] and len(h.transport.requests) == 2
    assert h.hub.journal is None


class _LoggingTransport(RecordingTransport):
    """Logs requests and acknowledgements in one list, in the order they leave."""

    __slots__ = ("log",)

    def __init__(self, clock: ManualClock) -> None:
        super().__init__(clock)
        self.log: list[str] = []

    def request(self, system: str, operation: str, *args: Any, **kwargs: Any) -> None:
        self.log.append(operation)
        super().request(system, operation, *args, **kwargs)

    def acknowledge(self, source: str, message_id: int) -> None:
        self.log.append(f"ack {source}:{message_id}")
        super().acknowledge(source, message_id)


class _AtOnceStore(InstantStore):
    """Commits at once, noting what had left the hub when each message was committed."""

    __slots__ = ("left_at_commit", "transport")

    def __init__(self, transport: _LoggingTransport) -> None:
        super().__init__()
        self.transport = transport
        self.left_at_commit: list[int] = []

    def commit_received(self, source: str, message_id: int, payload: Body, at: float) -> None:
        self.left_at_commit.append(len(self.transport.log))
        super().commit_received(source, message_id, payload, at)


def _hub_over(clock: ManualClock, transport: Transport, store: DurableStore) -> Hub:
    """A quiet hub journalling into `store`, deciding through `transport`."""
    return bootstrap(
        quiet_policy(),
        clock,
        RecordingScheduler(clock),
        transport,
        random.Random(7),
        TOPOLOGY,
        store,
    )


def test_with_a_store_that_commits_at_once_the_ack_still_comes_after_the_commit_and_last() -> None:
    clock = ManualClock()
    transport = _LoggingTransport(clock)
    store = _AtOnceStore(transport)
    hub = _hub_over(clock, transport, store)
    hub.load_stock([StockReport(SKU, DC, 10, 0, 0.0)])
    hub.receive("web", 5, web_order("W-1"))
    assert store.left_at_commit == [0]  # nothing had left when the message was committed
    assert sorted(transport.log[:-1]) == ["authorize", "create_sales_order"]
    assert transport.log[-1] == "ack web:5"


class _CommitsSeenTransport(_LoggingTransport):
    """Notes, as each request leaves, how many entries its store had committed and
    whether the hub's outbox was holding decisions."""

    __slots__ = ("holding", "seen", "store")

    def __init__(self, clock: ManualClock, store: InstantStore) -> None:
        super().__init__(clock)
        self.store = store
        self.seen: list[int] = []
        self.holding: Callable[[], bool] = lambda: False

    def request(self, system: str, operation: str, *args: Any, **kwargs: Any) -> None:
        self.seen.append(len(self.store.entries()))
        assert not self.holding(), "a decision left through a unit's held effects"
        super().request(system, operation, *args, **kwargs)


def test_with_a_store_that_commits_at_once_the_input_is_committed_before_it_is_handled() -> None:
    """Write-ahead: a message and an answer are on record before the first decision
    they lead to leaves, with nothing held in the outbox meanwhile."""
    clock = ManualClock()
    store = InstantStore()
    transport = _CommitsSeenTransport(clock, store)
    hub = _hub_over(clock, transport, store)
    journal = hub.journal
    assert journal is not None and journal.ahead
    transport.holding = lambda: journal.outbox._held is not None
    hub.load_stock([StockReport(SKU, DC, 10, 0, 0.0)])
    hub.receive("web", 5, web_order("W-1"))
    # the stock load and the message were committed when the order's two calls left
    assert transport.seen == [2, 2]
    assert [type(entry) for entry in store.entries()] == [Operated, Received]
    assert transport.log[-1] == "ack web:5"
    first = transport.requests[0]
    hub.on_response(first.system, first.call_id, 503, {"error": "busy"})
    assert [type(entry) for entry in store.entries()][-1] is Answered
