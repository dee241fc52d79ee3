"""The outbox: what the hub decided while handling one input, held until that input is
committed, then let out in the order it was decided.

The hub's services call it as their Transport and Scheduler. Inside a unit of work it
holds every request, publication, acknowledgement and timer; when the journal entry for
the unit is durable, the journal releases them. A crash before that loses the unit's
decisions along with its entry, and since the input was not acknowledged either, the
broker delivers it again and the restarted hub decides again: nothing leaves that the
hub could forget having sent.

It also keeps which timers are still due (by their key and due time), so a hub rebuilt
from its journal can arm again the timers a crash threw away. While the journal is
replayed it lets nothing out at all: those effects happened before the crash.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from hub.ports import Body, Clock, Scheduler, Transport

TimerKey = tuple[str, Any]
#: one held decision: what to do, and with what
Effect = tuple[Callable[..., None], tuple[Any, ...]]


class JournalClock:
    """The hub's clock: the runtime's, or while a journal is replayed, the time of the
    entry being replayed. `now` is swapped rather than tested on every call: the hub
    asks for the time millions of times a day."""

    __slots__ = ("_live", "now", "replay_at")

    def __init__(self, live: Clock) -> None:
        self._live = live
        self.replay_at = 0.0
        self.now: Callable[[], float] = live.now

    def replaying(self) -> None:
        self.now = self._replay_now

    def live(self) -> None:
        self.now = self._live.now

    def _replay_now(self) -> float:
        return self.replay_at


class Outbox:
    """Every port method below tests `replaying` and `_held` itself and holds the bound
    method it will call (`_request`, `_publish`, `_ack`, `_arm_timer`, each bound once
    here), rather than going through one shared method taking `(action, *args)`: every
    request, publication, acknowledgement and timer the hub decides passes here, and
    that extra call, its packed arguments and a bound method made each time were a
    good part of what the journal costs per input."""

    __slots__ = (
        "_ack",
        "_arm_timer",
        "_clock",
        "_held",
        "_pending_timers",
        "_publish",
        "_request",
        "_scheduler",
        "_transport",
        "replaying",
    )

    def __init__(self, transport: Transport, scheduler: Scheduler, clock: Clock) -> None:
        self._transport = transport
        self._scheduler = scheduler
        self._clock = clock
        self._request = transport.request
        self._publish = transport.publish
        self._ack = transport.acknowledge
        self._arm_timer = self._arm
        self._held: list[Effect] | None = None
        #: timers asked for and not yet fired: their due times, earliest first, by key
        self._pending_timers: dict[TimerKey, list[float]] = {}
        self.replaying = False

    # -- units of work -----------------------------------------------------------------

    def hold(self) -> None:
        """From now on, hold every decision until `take`."""
        self._held = []

    def take(self) -> list[Effect]:
        """The decisions held since `hold`, in order; decisions go out at once again."""
        held, self._held = self._held or [], None
        return held

    @staticmethod
    def release(effects: list[Effect]) -> None:
        """Let held decisions out, in the order they were decided."""
        for action, args in effects:
            action(*args)

    # -- the ports the hub's services use ------------------------------------------------

    def request(
        self,
        system: str,
        operation: str,
        body: Body,
        call_id: int,
        timeout_s: float,
        token: str | None = None,
    ) -> None:
        if self.replaying:
            return
        held = self._held
        if held is None:
            self._request(system, operation, body, call_id, timeout_s, token)
        else:
            held.append((self._request, (system, operation, body, call_id, timeout_s, token)))

    def publish(self, system: str, topic: str, body: Body) -> None:
        if self.replaying:
            return
        held = self._held
        if held is None:
            self._publish(system, topic, body)
        else:
            held.append((self._publish, (system, topic, body)))

    def acknowledge(self, source: str, message_id: int) -> None:
        if self.replaying:
            return
        held = self._held
        if held is None:
            self._ack(source, message_id)
        else:
            held.append((self._ack, (source, message_id)))

    def acknowledgement(self) -> Callable[[str, int], None]:
        """What `acknowledge` holds as an acknowledgement's action: the journal lets a
        message's acknowledgement out itself (`Journal.acknowledge`)."""
        return self._ack

    def split_acknowledgements(self, effects: list[Effect]) -> tuple[list[Effect], list[Effect]]:
        """(the acknowledgements, everything else), each in order."""
        acks = [e for e in effects if e[0] == self._ack]
        return acks, [e for e in effects if e[0] != self._ack]

    def acknowledge_now(self, source: str, message_id: int) -> None:
        """Past the outbox, before anything is committed: only the seeded defect
        `ack_before_commit` does this."""
        if not self.replaying:
            self._transport.acknowledge(source, message_id)

    def call_later(self, delay_s: float, timer: TimerKey) -> None:
        now = self._clock.now()
        heapq.heappush(self._pending_timers.setdefault(timer, []), now + delay_s)
        if self.replaying:
            return
        held = self._held
        if held is None:
            self._arm(now, delay_s, timer)
        else:
            held.append((self._arm_timer, (now, delay_s, timer)))

    def _arm(self, decided_at: float, delay_s: float, timer: TimerKey) -> None:
        """A timer keeps its due time: one decided before a slow commit fires when it
        was meant to, not a commit later."""
        now = self._clock.now()
        if now != decided_at:
            delay_s = max(0.0, decided_at + delay_s - now)
        self._scheduler.call_later(delay_s, timer)

    # -- timers ----------------------------------------------------------------------------

    def fired(self, timer: TimerKey) -> None:
        """A timer woke the hub: it is no longer pending (the earliest of its key is the
        one that fires, as timers fire in the order they are due)."""
        due = self._pending_timers.get(timer)
        if due:
            heapq.heappop(due)
            if not due:
                del self._pending_timers[timer]

    def arm_pending(self) -> int:
        """After a replay: arm every timer still due with the live scheduler (one already
        overdue fires at once), in due order; returns how many."""
        now = self._clock.now()
        pending = sorted(
            (due, seq, timer)
            for seq, (timer, dues) in enumerate(self._pending_timers.items())
            for due in dues
        )
        for due, _, timer in pending:
            self._scheduler.call_later(max(0.0, due - now), timer)
        return len(pending)
