"""The hub's journal: nothing it decides leaves, and no message is acknowledged, before
the input is committed; a hub rebuilt from the committed journal knows exactly what the
crashed one had committed, sends again what was never answered and arms its timers
again; what was not committed is forgotten, to be delivered again by the broker."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from hub_fakes import (
    TOPOLOGY,
    Harness,
    ManualClock,
    RecordingScheduler,
    RecordingTransport,
    quiet_policy,
    web_order,
)

from hub.bootstrap import recover
from hub.core import Hub
from hub.durability.entries import Entry, Received


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
