"""The dead-letter queue: work the hub could not complete, kept with its reason.

Nothing accepted is dropped: a message that cannot be parsed, or a call whose retries ran
out, lands here and stays until it is replayed. Its depth over time, and how long it
takes to drain after an outage, are SLA metrics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class DeadLetter:
    kind: str  # "call" | "inbound" | "snapshot" (an unreadable stock export; not replayable)
    key: str
    reason: str
    at: float
    payload: Any


class DeadLetterQueue:
    __slots__ = ("_entries", "total_dead_lettered", "total_replayed")

    def __init__(self) -> None:
        self._entries: list[DeadLetter] = []
        self.total_dead_lettered = 0
        self.total_replayed = 0

    def add(self, letter: DeadLetter) -> None:
        self._entries.append(letter)
        self.total_dead_lettered += 1

    def take(self, wanted: Callable[[DeadLetter], bool]) -> list[DeadLetter]:
        """Remove and return the entries `wanted` selects, for replay."""
        taken = [e for e in self._entries if wanted(e)]
        if taken:
            self._entries = [e for e in self._entries if not wanted(e)]
            self.total_replayed += len(taken)
        return taken

    def entries(self) -> list[DeadLetter]:
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
