"""Units of work: hold what the hub decides while it handles an input, commit the input
to the store, then let the decisions out.

This is the transactional outbox, with the hub's inputs as its log: an input's entry and
the decisions it led to become durable together, and nothing the hub decided leaves
before that. Two seeded defects break the rule on purpose, for the checker to catch:
`send_before_record` lets decisions out before the entry is committed (a crash then
forgets calls that were sent, and the redelivered input sends them again), and
`ack_before_commit` (in hub/core.py) acknowledges a message before its entry is
committed (a crash then loses it: the broker will not deliver it again).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from hub.durability.entries import Answered, Body, Entry, Received, TimerFired
from hub.durability.outbox import Effect, JournalClock, Outbox
from hub.ports import CommitsAtOnce, DurableStore


class Journal:
    __slots__ = (
        "_append",
        "_at_once",
        "_send_early",
        "_take",
        "acknowledge",
        "ahead",
        "answered_ahead",
        "begin",
        "clock",
        "outbox",
        "received_ahead",
        "timer_ahead",
    )

    def __init__(
        self,
        store: DurableStore,
        outbox: Outbox,
        clock: JournalClock,
        send_before_record: bool = False,
    ) -> None:
        self.outbox = outbox
        self.clock = clock
        self._send_early = send_before_record
        #: A unit begins by holding the outbox's decisions (`begin()` is `outbox.hold()`)
        #: and commits through the store's `append` and the outbox's `take`, all bound
        #: once here: twice per input of the run, a method looked up and bound each
        #: time was a measurable part of the journal's cost.
        self.begin = outbox.hold
        self._take = outbox.take
        #: the transport's acknowledgement, as the outbox holds it (`Outbox._ack`)
        self.acknowledge = outbox.acknowledgement()
        self._append = store.append
        #: a store that commits as it is handed an entry (the batch run's, with no
        #: commit latency): an operator action committed through it lets the unit's
        #: decisions out here, with no callback made for it
        self._at_once: Callable[[Entry], None] | None = None
        #: Write-ahead, with such a store: a message, an answer or a timer (nearly
        #: every input) is committed *before* the hub handles it, as a write-ahead log
        #: is, by the store's own method (`received_ahead(source, message_id, payload,
        #: at)`, `answered_ahead(system, call_id, status, body, at)`, `timer_ahead(timer,
        #: at)`); then nothing the hub decides while handling it can leave before its
        #: input is committed, so the outbox holds nothing: no unit begun, no effect
        #: held, taken and let out for each decision, and the message acknowledged
        #: last (`acknowledge`). The input is the same before and after it is handled,
        #: and the store commits within the call, so the log is the one a commit after
        #: the handling wrote. Without it (commits take time, or the seeded
        #: `send_before_record`) the hub begins a unit and commits with `commit_*`.
        self.ahead = False
        self.received_ahead: Callable[[str, int, Body, float], None] = _not_ahead
        self.answered_ahead: Callable[[str, int, int, Body, float], None] = _not_ahead
        self.timer_ahead: Callable[[tuple[str, Any], float], None] = _not_ahead
        if isinstance(store, CommitsAtOnce) and store.at_once() and not send_before_record:
            self._at_once = store.commit_at_once
            self.ahead = True
            self.received_ahead = store.commit_received
            self.answered_ahead = store.commit_answered
            self.timer_ahead = store.commit_timer

    def commit(self, entry: Entry) -> None:
        """The unit is done: commit its input; its decisions leave once that is durable."""
        effects = self._take()
        at_once = self._at_once
        if at_once is not None:
            at_once(entry)
            for action, args in effects:  # Outbox.release, inlined: once per input
                action(*args)
        else:
            self._append_then_release(entry, effects)

    def commit_received(
        self, source: str, message_id: int, payload: Body, at: float, acknowledge: bool = True
    ) -> None:
        """`commit(Received(source, message_id, payload, at))`, with the message
        acknowledged once it is committed, as the unit's last decision (`acknowledge`
        False: the seeded defect `ack_before_commit` acknowledged it already)."""
        effects = self._take()
        if acknowledge and not self.outbox.replaying:
            effects.append((self.acknowledge, (source, message_id)))
        self._append_then_release(Received(source, message_id, payload, at), effects)

    def commit_answered(
        self, system: str, call_id: int, status: int, body: Body, at: float
    ) -> None:
        """`commit(Answered(system, call_id, status, body, at))`."""
        self._append_then_release(Answered(system, call_id, status, body, at), self._take())

    def commit_timer(self, timer: tuple[str, Any], at: float) -> None:
        """`commit(TimerFired(timer, at))`."""
        self._append_then_release(TimerFired(timer, at), self._take())

    def _append_then_release(self, entry: Entry, effects: list[Effect]) -> None:
        """Hand `entry` to a store that may take time: its decisions leave when it is
        committed (or, the seeded defect, before it is)."""
        if self._send_early:  # the seeded defect: calls out before they are on record
            acks, decisions = self.outbox.split_acknowledgements(effects)
            Outbox.release(decisions)
            self._append(entry, partial(Outbox.release, acks))
        else:
            self._append(entry, partial(Outbox.release, effects))

    def start_replay(self) -> None:
        """Rebuild from the store: no decision leaves, the clock shows each entry's time."""
        self.clock.replaying()
        self.outbox.replaying = True

    def at(self, entry: Entry) -> None:
        self.clock.replay_at = entry.at

    def end_replay(self) -> None:
        self.clock.live()
        self.outbox.replaying = False


def _not_ahead(*_: Any) -> None:
    """A journal whose store does not commit at once writes nothing ahead."""
    raise RuntimeError("the journal's store does not commit at once: nothing is written ahead")
