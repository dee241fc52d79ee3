"""The driver of the in-process hub: each call into it timed, then the effects it
queued carried out (`scenarios/twin/sim_ports.py` implements the ports that queue them).

Its own module, apart from the ports: one job, on every message's path, compiled with
the twin's hottest modules (`make compile`, scripts/compile_mypyc.py). The hub it
drives is typed by what it calls (`DrivenHub`), not `hub.core.Hub`: tests drive it
with hubs of their own, which a compiled attribute typed `Hub` would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from time import thread_time
from typing import Any, Protocol

from hub.ports import Body

Effect = tuple[Callable[..., None], tuple[Any, ...]]

#: the driver times one message or answer in this many (`HubDriver`); a prime, because
#: every 4th, 8th or 16th call of black-friday at 0.25 estimated the hub's total 3% to
#: 32% off (the calls come in patterns of even length), every 7th within 0.6% whichever
#: it starts from (sources; each call's time from one run)
METER_EVERY = 7


class DrivenHub(Protocol):
    """What the driver calls on the hub (`hub.core.Hub` is one)."""

    def receive(self, source: str, message_id: int, payload: Body) -> None: ...

    def on_response(self, system: str, call_id: int, status: int, body: Body) -> None: ...

    def on_timer(self, timer: tuple[str, Any]) -> None: ...


class HubDriver:
    """Calls into the hub, timing each call, then carries out the effects it queued.

    The time is the thread's CPU time (`time.thread_time`), not the wall clock: a
    process preempted by other work on the machine would otherwise charge the hub for
    the time it was not running, and `make bench`'s ratio of the hub to bare SimPy, also
    in CPU time, would move with the machine's load.

    Reading that clock is a system call, two a timed call, and timing every message and
    answer cost about 1 us of system time each, 2% of a compiled run's CPU
    (black-friday at 0.25). So one message or answer in `METER_EVERY` is timed and
    `cpu_seconds` is their time scaled by how many there were, an estimate (within 0.6%
    of the whole at black-friday's 0.25, 0.9% at peak-weekend's); timers and `run` are
    few and may be long, and are all timed.

    Outside a driver call (the runtime loading opening stock, an operator replaying dead
    letters) effects run at once: `inside` tells the ports which case they are in.

    It is also the broker's side of the hub's inbox: a message stays unacknowledged
    until the hub says it has it (`acknowledged`); when the hub crashes, every message
    it had not acknowledged, and every message that arrives while it is down, waits in
    `held` and is delivered again, in order, to the restarted hub. Answers and timers
    meant for the crashed process are dropped (`generation` tells them apart).
    """

    __slots__ = (
        "calls",
        "down",
        "effects",
        "generation",
        "held",
        "hub",
        "inside",
        "messages",
        "sampled_seconds",
        "timed_seconds",
        "unacked",
    )

    def __init__(self) -> None:
        self.hub: DrivenHub | None = None
        #: CPU seconds of the timers and `run` calls, each timed
        self.timed_seconds = 0.0
        #: CPU seconds of the messages and answers timed, one in `METER_EVERY`
        self.sampled_seconds = 0.0
        #: messages and answers so far; the first is timed, then every `METER_EVERY`th
        self.messages = 0
        self.calls = 0
        self.inside = False
        self.effects: list[Effect] = []
        self.down = False
        self.generation = 0
        self.unacked: dict[tuple[str, int], dict[str, Any]] = {}
        self.held: list[tuple[str, int, dict[str, Any]]] = []

    @property
    def sampled(self) -> int:
        """How many messages and answers were timed, from how many there were."""
        return -(-self.messages // METER_EVERY)

    @property
    def cpu_seconds(self) -> float:
        """CPU seconds spent in the hub's code: the timers and `run` calls as timed,
        the messages and answers as the ones timed, scaled up to all of them."""
        sampled = self.sampled
        if not sampled:
            return self.timed_seconds
        return self.timed_seconds + self.sampled_seconds * self.messages / sampled

    def effect(self, action: Callable[..., None], *args: Any) -> None:
        if self.inside:
            self.effects.append((action, args))
        else:
            action(*args)

    def _flush(self) -> None:
        effects = self.effects
        if effects:
            self.effects = []
            for action, args in effects:
                action(*args)

    def receive(self, source: str, message_id: int, payload: dict[str, Any]) -> None:
        if self.down:
            self.held.append((source, message_id, payload))
            return
        self.unacked[(source, message_id)] = payload
        self.inside = True
        if self._timing_this_one():
            started = thread_time()
            self.hub.receive(source, message_id, payload)  # type: ignore[union-attr]
            self.sampled_seconds += thread_time() - started
        else:
            self.hub.receive(source, message_id, payload)  # type: ignore[union-attr]
        self.inside = False
        self.calls += 1
        self._flush()

    def _timing_this_one(self) -> bool:
        """Count a message or answer, and say whether it is one to time."""
        seen = self.messages
        self.messages = seen + 1
        return seen % METER_EVERY == 0

    def acknowledged(self, source: str, message_id: int) -> None:
        self.unacked.pop((source, message_id), None)

    def respond(self, system: str, call_id: int, status: int, body: dict[str, Any]) -> None:
        if self.down:
            return  # an answer to a dead process is lost
        self.inside = True
        if self._timing_this_one():
            started = thread_time()
            self.hub.on_response(system, call_id, status, body)  # type: ignore[union-attr]
            self.sampled_seconds += thread_time() - started
        else:
            self.hub.on_response(system, call_id, status, body)  # type: ignore[union-attr]
        self.inside = False
        self.calls += 1
        self._flush()

    def timer(self, event: Any) -> None:
        generation, timer = event.value
        if generation != self.generation:
            return  # a timer of a process that has crashed since
        self.inside = True
        started = thread_time()
        self.hub.on_timer(timer)  # type: ignore[union-attr]
        self.timed_seconds += thread_time() - started
        self.inside = False
        self.calls += 1
        self._flush()

    def crash(self) -> None:
        """The hub process died: what it had not acknowledged waits for its successor,
        with whatever arrives meanwhile; its queued effects die with it."""
        self.down = True
        self.generation += 1
        self.held = [(s, m, p) for (s, m), p in self.unacked.items()] + self.held
        self.unacked = {}
        self.effects = []

    def restarted(self, hub: DrivenHub) -> None:
        """The restarted hub takes over: the broker delivers what waited, in order."""
        self.hub = hub
        self.down = False
        held, self.held = self.held, []
        for source, message_id, payload in held:
            self.receive(source, message_id, payload)

    def run(self, action: Callable[..., Any], *args: Any) -> Any:
        """Any other call into the hub (operator actions, start and end of day)."""
        self.inside = True
        started = thread_time()
        try:
            return action(*args)
        finally:
            self.timed_seconds += thread_time() - started
            self.inside = False
            self.calls += 1
            self._flush()
