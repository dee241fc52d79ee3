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

from hub.durability.entries import Entry
from hub.durability.outbox import JournalClock, Outbox
from hub.ports import CommitsAtOnce, DurableStore


class Journal:
    __slots__ = ("_append", "_at_once", "_send_early", "_take", "begin", "clock", "outbox")

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
        self._append = store.append
        #: a store that commits as it is handed an entry (the batch run's, with no
        #: commit latency): committed through it, the unit's decisions are let out
        #: here, with no callback made for each input
        self._at_once: Callable[[Entry], None] | None = None
        if isinstance(store, CommitsAtOnce) and store.at_once() and not send_before_record:
            self._at_once = store.commit_at_once

    def commit(self, entry: Entry) -> None:
        """The unit is done: commit its input; its decisions leave once that is durable."""
        effects = self._take()
        at_once = self._at_once
        if at_once is not None:
            at_once(entry)
            for action, args in effects:  # Outbox.release, inlined: once per input
                action(*args)
        elif self._send_early:  # the seeded defect: calls out before they are on record
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
