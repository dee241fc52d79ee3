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
        "_acknowledge",
        "_answered_at_once",
        "_append",
        "_at_once",
        "_received_at_once",
        "_send_early",
        "_take",
        "_timer_at_once",
        "begin",
        "clock",
        "outbox",
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
        self._acknowledge = outbox.acknowledgement()
        self._append = store.append
        #: a store that commits as it is handed an entry (the batch run's, with no
        #: commit latency): committed through it, the unit's decisions are let out
        #: here, with no callback made for each input; a message, an answer and a timer
        #: (nearly every input) are handed over as their fields, with no entry built
        self._at_once: Callable[[Entry], None] | None = None
        self._received_at_once: Callable[[str, int, Body, float], None] | None = None
        self._answered_at_once: Callable[[str, int, int, Body, float], None] | None = None
        self._timer_at_once: Callable[[tuple[str, Any], float], None] | None = None
        if isinstance(store, CommitsAtOnce) and store.at_once() and not send_before_record:
            self._at_once = store.commit_at_once
            self._received_at_once = store.commit_received
            self._answered_at_once = store.commit_answered
            self._timer_at_once = store.commit_timer

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
        """`commit(Received(source, message_id, payload, at))`: with a store that
        commits at once, no entry is built (every message of the run passes here).
        `acknowledge`: the message is acknowledged once it is committed, after every
        other decision of the unit, as if `outbox.acknowledge` had been the unit's last
        (False: the seeded defect `ack_before_commit` acknowledged it already)."""
        outbox = self.outbox
        effects, outbox._held = outbox._held or [], None  # `Outbox.take`, inlined
        at_once = self._received_at_once
        if at_once is not None:
            at_once(source, message_id, payload, at)
            for action, args in effects:
                action(*args)
            # the acknowledgement let out here, not held as an effect first: every
            # message of the run has one
            if acknowledge and not outbox.replaying:
                self._acknowledge(source, message_id)
        else:
            if acknowledge and not outbox.replaying:
                effects.append((self._acknowledge, (source, message_id)))
            self._append_then_release(Received(source, message_id, payload, at), effects)

    def commit_answered(
        self, system: str, call_id: int, status: int, body: Body, at: float
    ) -> None:
        """`commit(Answered(system, call_id, status, body, at))`, as `commit_received`."""
        outbox = self.outbox
        effects, outbox._held = outbox._held or [], None  # `Outbox.take`, inlined
        at_once = self._answered_at_once
        if at_once is not None:
            at_once(system, call_id, status, body, at)
            for action, args in effects:
                action(*args)
        else:
            self._append_then_release(Answered(system, call_id, status, body, at), effects)

    def commit_timer(self, timer: tuple[str, Any], at: float) -> None:
        """`commit(TimerFired(timer, at))`, as `commit_received`."""
        outbox = self.outbox
        effects, outbox._held = outbox._held or [], None  # `Outbox.take`, inlined
        at_once = self._timer_at_once
        if at_once is not None:
            at_once(timer, at)
            for action, args in effects:
                action(*args)
        else:
            self._append_then_release(TimerFired(timer, at), effects)

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
