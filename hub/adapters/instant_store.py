"""A durable store that commits at once, in memory: the default for a hub whose runtime
brings no store of its own (the unit tests' harness). Committed means kept for as long
as the process lives; a runtime that crashes the hub brings a store that outlives it
(scenarios/twin/hub_store.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from compiled_build import mypyc_attr
from hub.durability.entries import Answered, Body, Entry, Received, TimerFired


#: a test subclasses it to watch its commits, which a compiled class allows only so
@mypyc_attr(allow_interpreted_subclasses=True)
class InstantStore:
    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: list[Entry] = []

    def append(self, entry: Entry, then: Callable[[], None]) -> None:
        self._entries.append(entry)
        then()

    def at_once(self) -> bool:
        return True

    def commit_at_once(self, entry: Entry) -> None:
        self._entries.append(entry)

    def commit_received(self, source: str, message_id: int, payload: Body, at: float) -> None:
        self._entries.append(Received(source, message_id, payload, at))

    def commit_answered(
        self, system: str, call_id: int, status: int, body: Body, at: float
    ) -> None:
        self._entries.append(Answered(system, call_id, status, body, at))

    def commit_timer(self, timer: tuple[str, Any], at: float) -> None:
        self._entries.append(TimerFired(timer, at))

    def entries(self) -> Sequence[Entry]:
        return self._entries
