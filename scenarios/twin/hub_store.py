"""The hub's durable store, simulated: a log on disk whose commits take virtual time.

What is committed survives a crash of the hub; an entry still waiting for its commit
does not. Commits are grouped as a database's log writer groups them: while one flush
is on its way to the disk, new entries gather for the next, so a busy hub pays one
`commit_latency_s` per flush, not per entry, and an entry's effects leave when its own
flush completes. With no latency (the default) every entry is committed at once, in the
same instant, which is how runs were timed before the hub had a store.
"""

from __future__ import annotations

import marshal
import pickle
from collections.abc import Callable, Iterator
from typing import Any

import simpy

from hub.durability.entries import Answered, Body, Entry, Received, TimerFired
from scenarios.twin.journal_file import JournalFile
from simulators.later import Later

#: how an entry is kept: serialised, as a log on disk keeps it (written to the journal's
#: file, scenarios/twin/journal_file.py, and immune to anyone changing a payload after it
#: was committed)
Stored = bytes | Entry
_RECEIVED, _ANSWERED, _TIMER, _PICKLED = 0, 1, 2, 3
#: marshal's format 4, its default: it writes an ASCII string's characters as they are,
#: where format 2 encodes every string to UTF-8 through the codec machinery (a message's
#: keys and values are nearly all short ASCII strings). Format 4 also looks each object
#: held elsewhere up in a table of those already written, to write a repeat as a
#: reference, but the strings save more: feeding the first 40,000 inputs of
#: black-friday at 0.25 through a fresh hub took 3.4% fewer instructions with it than
#: with format 2 (callgrind), and the log is a fifth smaller. A repeat reads back as one
#: object where format 2 read back two equal ones; the hub only reads a payload.
_FORMAT = 4
#: marshal.dumps, typed for the entry fields' tuples (a payload is a Mapping to the hub)
_dumps: Callable[[Any, int], bytes] = marshal.dumps


def encode(entry: Entry) -> Stored:
    """An entry as bytes (marshal: plain data, fast); pickled where a payload holds
    something marshal cannot write, and for operator actions (a handful a day, but the
    start of day's stock load carries every position of the estate: 152,000 reports at
    black-friday scale, 15 MiB held all day if it were kept as it is). An entry pickle
    cannot write is kept as it is."""
    # `isinstance` and plain reads, not `match`: a class pattern looks each field up
    # through `__match_args__`, and every message, answer and timer of a run passes here
    if isinstance(entry, Received):
        fields: Any = (_RECEIVED, entry.source, entry.message_id, entry.payload, entry.at)
    elif isinstance(entry, Answered):
        fields = (_ANSWERED, entry.system, entry.call_id, entry.status, entry.body, entry.at)
    elif isinstance(entry, TimerFired):
        fields = (_TIMER, entry.timer, entry.at)
    else:
        return _pickled(entry)
    try:
        return _dumps(fields, _FORMAT)
    except ValueError:
        return _pickled(entry)


def _pickled(entry: Entry) -> Stored:
    try:
        pickled = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        return marshal.dumps((_PICKLED, pickled), _FORMAT)
    except (pickle.PicklingError, TypeError, AttributeError):
        return entry  # something of the process's own (a callable): held in memory


def decode(stored: Stored) -> Entry:
    if not isinstance(stored, bytes):
        return stored
    fields = marshal.loads(stored)
    kind = fields[0]
    if kind == _RECEIVED:
        return Received(*fields[1:])
    if kind == _ANSWERED:
        return Answered(*fields[1:])
    if kind == _TIMER:
        return TimerFired(*fields[1:])
    entry: Entry = pickle.loads(fields[1])
    return entry


class SimJournalStore:
    __slots__ = (
        "_batch",
        "_entries",
        "_env",
        "_epoch",
        "_flushing",
        "_in_flight",
        "commits",
        "latency_s",
    )

    def __init__(self, env: simpy.Environment, latency_s: float) -> None:
        self._env = env
        self.latency_s = latency_s
        self._entries: JournalFile[Entry] = JournalFile()
        self._batch: list[tuple[Stored, Callable[[], None]]] = []
        self._flushing = False
        #: entries in the flush on its way to the disk
        self._in_flight = 0
        #: which life of the store a flush belongs to: a crash starts a new one
        self._epoch = 0
        #: flushes completed (with no latency: entries committed)
        self.commits = 0

    def append(self, entry: Entry, then: Callable[[], None]) -> None:
        if self.latency_s <= 0:
            self.commit_at_once(entry)
            then()
            return
        self._batch.append((encode(entry), then))
        if not self._flushing:
            self._flush()

    def at_once(self) -> bool:
        return self.latency_s <= 0

    def commit_at_once(self, entry: Entry) -> None:
        self._entries.append(encode(entry))
        self.commits += 1

    # The three below are `commit_at_once` of a message, an answer and a timer, given
    # their fields: each writes the tuple `encode` writes for that entry (so `decode`
    # reads it back the same) without an entry built and read apart again first.

    def commit_received(self, source: str, message_id: int, payload: Body, at: float) -> None:
        try:
            stored: Stored = _dumps((_RECEIVED, source, message_id, payload, at), _FORMAT)
        except ValueError:
            stored = _pickled(Received(source, message_id, payload, at))
        self._entries.append(stored)
        self.commits += 1

    def commit_answered(
        self, system: str, call_id: int, status: int, body: Body, at: float
    ) -> None:
        try:
            stored: Stored = _dumps((_ANSWERED, system, call_id, status, body, at), _FORMAT)
        except ValueError:
            stored = _pickled(Answered(system, call_id, status, body, at))
        self._entries.append(stored)
        self.commits += 1

    def commit_timer(self, timer: tuple[str, Any], at: float) -> None:
        try:
            stored: Stored = _dumps((_TIMER, timer, at), _FORMAT)
        except ValueError:
            stored = _pickled(TimerFired(timer, at))
        self._entries.append(stored)
        self.commits += 1

    def entries(self) -> Iterator[Entry]:
        return (decode(stored) for stored in self._entries)

    def close(self) -> None:
        """The run is over: remove the log's file."""
        self._entries.close()

    def __len__(self) -> int:
        return len(self._entries)

    def crash(self) -> int:
        """The hub died: entries not yet committed are gone; returns how many."""
        lost = len(self._batch) + self._in_flight
        self._batch = []
        self._in_flight = 0
        self._flushing = False
        self._epoch += 1
        return lost

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        self._flushing = True
        self._in_flight = len(batch)
        Later(self._env, self.latency_s, self._flushed, (self._epoch, batch))

    def _flushed(self, event: Any) -> None:
        epoch, batch = event.value
        if epoch != self._epoch:
            return  # the hub crashed while this flush was on its way
        self.commits += 1
        self._in_flight = 0
        entries = self._entries
        for entry, _ in batch:
            entries.append(entry)
        self._flushing = False
        for _, then in batch:
            then()
        if self._batch:
            self._flush()
