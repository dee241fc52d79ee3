"""Commands from API clients, applied at instants a replay can find again.

A client's command does not act the moment its request arrives, in the middle of a
stretch of events the clock task is running: it waits (a tick at most) for the clock
task to finish the simulated instant it is in, so that it takes effect at time T with
every event up to and including T done. That state is what `env.run(until=T)` followed
by the events still at T gives, however the day was stepped, so a restarted twin
replaying the log reaches the same state before applying it, and hands out the same
ids. The command is committed to the state store before it acts, and its answer after.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import simpy

from graph.control import CommandKey, Outcome
from scenarios.live.commands import Command, LoggedCommand
from scenarios.live.state_store import StateStore

#: applies a command to the estate, returning what it made (an order, a return id...)
Apply = Callable[[Command], Any]
#: a command as logged, and what applying it made
Applied = tuple[LoggedCommand, Any]


def finish_instant(env: simpy.Environment) -> float:
    """Run the events still due at the current instant: afterwards everything up to and
    including `env.now` is done, and nothing after it."""
    now = env.now
    while env.peek() == now:
        env.step()
    return float(now)


def reach(env: simpy.Environment, at_s: float) -> None:
    """From a clean instant at or before `at_s`, the state a live command found there."""
    if env.now < at_s:
        env.run(until=at_s)
    finish_instant(env)


class CommandLog:
    def __init__(self, env: simpy.Environment, apply: Apply) -> None:
        self._env = env
        self._apply = apply
        #: where commands are committed; none: a day that a restart starts afresh
        self.store: StateStore | None = None
        self._pending: list[
            tuple[Command, CommandKey, asyncio.Future[tuple[LoggedCommand, Any]]]
        ] = []
        self._next_seq = 1
        #: commands already in the log, by idempotency key: what a retry after a crash
        #: is answered with, never acted on twice
        self._known: dict[str, tuple[LoggedCommand, Outcome | None]] = {}
        self.replayed = 0

    @property
    def durable(self) -> bool:
        return self.store is not None

    @property
    def last_at_s(self) -> float:
        """When the latest command took effect (0 before any)."""
        return max((logged.at_s for logged, _ in self._known.values()), default=0.0)

    def known(self, key: CommandKey) -> tuple[LoggedCommand, Outcome | None] | None:
        return self._known.get(key.key)

    async def submit(self, command: Command, key: CommandKey) -> Applied:
        """Hand the command to the clock task; returns it as logged, and what applying
        it made."""
        future: asyncio.Future[Applied] = asyncio.get_running_loop().create_future()
        self._pending.append((command, key, future))
        return await future

    @property
    def waiting(self) -> bool:
        return bool(self._pending)

    async def apply_pending(self) -> None:
        """At the clock task's pace: finish the instant, commit, apply, answer."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        at_s = finish_instant(self._env)
        for command, key, future in pending:
            logged = LoggedCommand(self._next_seq, at_s, command, key)
            self._next_seq += 1
            try:
                if self.store is not None:
                    await self.store.append(logged)
                self._known[key.key] = (logged, None)
                made = self._apply(command)
            except Exception as exc:  # the client hears of it; the day goes on
                future.set_exception(exc)
                continue
            future.set_result((logged, made))

    async def answered(self, logged: LoggedCommand, outcome: Outcome) -> None:
        """The client's answer, kept with the command for a retry after a crash."""
        self._known[logged.key.key] = (logged, outcome)
        if self.store is not None:
            await self.store.answer(logged.seq, outcome)

    def replay(self, logged: list[tuple[LoggedCommand, Outcome | None]]) -> list[Any]:
        """Run the day from its start through every logged command, at its time; returns
        what each made. Nothing is committed again."""
        made = []
        for entry, outcome in logged:
            reach(self._env, entry.at_s)
            made.append(self._apply(entry.command))
            self._known[entry.key.key] = (entry, outcome)
            self._next_seq = entry.seq + 1
            self.replayed += 1
        return made
