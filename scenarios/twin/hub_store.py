"""The hub's durable store, simulated: a log on disk whose commits take virtual time.

What is committed survives a crash of the hub; an entry still waiting for its commit
does not. Commits are grouped as a database's log writer groups them: while one flush
is on its way to the disk, new entries gather for the next, so a busy hub pays one
`commit_latency_s` per flush, not per entry, and an entry's effects leave when its own
flush completes. With no latency (the default) every entry is committed at once, in the
same instant, which is how runs were timed before the hub had a store.

Committed at once, a message, an answer or a timer is kept as the tuple of its fields
in a short list of the latest, and `_BATCH` of them are written to the log's file as
one record (one `marshal.dumps` of the list). The store is the durable part: it
outlives a crash of the hub, so an entry is committed as soon as it is in that list,
whether or not its record is written yet; and `entries()` writes the list out before
it reads the log back, so a replay sees every committed entry, in order.
"""

from __future__ import annotations

import marshal
import pickle
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import simpy

from compiled_build import mypyc_attr
from hub.durability.entries import (
    Answered,
    Body,
    Entry,
    Operated,
    OperatorAction,
    Received,
    TimerFired,
)
from hub.messages import StockReport
from scenarios.twin.journal_file import JournalFile
from simulators import erp_stock, stock_table
from simulators.later import Later

#: how an entry is kept: serialised, as a log on disk keeps it (written to the journal's
#: file, scenarios/twin/journal_file.py, and immune to anyone changing a payload after it
#: was written). Until its record is written (at most `_BATCH` entries later) an entry
#: committed at once is its payload as handed over: nothing changes a message's or an
#: answer's body once sent (each of the eight scenarios at 0.1, checked by encoding every
#: entry also at its commit, read back the same entries)
Stored = bytes | Entry
_RECEIVED, _ANSWERED, _TIMER, _PICKLED, _STOCK_LOADED = 0, 1, 2, 3, 4
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
#: entries committed at once that are written to the log as one record. One
#: `marshal.dumps` per entry cost more in the call, the bytes object, the table of
#: objects already written (made and freed on every call in format 4), the length
#: header and the log's append than in writing the entry itself: feeding the first
#: 40,000 inputs of black-friday at 0.25 through a fresh hub took 6.0% fewer
#: instructions written this way (callgrind: 3,645 M -> 3,425 M), and the log is a
#: tenth smaller (a string held elsewhere is written once a record). Timed alone over
#: those inputs, writing them cost 2.4 to 3.1 us an entry one at a time, 0.9 to 1.1 us
#: in records of 64 or 256, and 1.5 to 2.2 us in records of 1,024 (the table of objects
#: written outgrows the caches). A record of 128 is about 25 KiB.
_BATCH = 128
#: the keys of a stock export's table (a WMS's or a till's columns,
#: simulators/stock_table.py; the ERP's plants, simulators/erp_stock.py): an answer
#: holding one is written out with its record at once rather than up to `_BATCH` entries
#: later, so the log does not keep a reconciliation's exports (the ERP's about 150,000
#: positions at full scale) alive after the hub has read them, each beside the next one
#: in flight. The log reads back the same entries in the same order.
_BULK_WMS_POS, _BULK_ERP = stock_table.BY_COLUMN, erp_stock.BY_PLANT
#: a message's stock reports (`stock`) from which it is written out with its commit too:
#: a delivery to every store (every 12 h) and a supplier's receipt at every DC (every
#: 4 h) arrive together, each with a report per line topped up (peak-weekend's 96 h
#: deliveries, after Monday's rush, about 10,800 lines at scale 0.25: a line's dict and
#: its report's, about 190 bytes); held up to `_BATCH` entries later, the log kept most
#: of a burst alive after the hub had read it. A sale or a return reports a few lines.
_BULK_REPORTS = 64


def encode(entry: Entry) -> Stored:
    """An entry as bytes (marshal: plain data, fast); pickled where a payload holds
    something marshal cannot write, and for the other operator actions (a handful a
    day). An entry pickle cannot write is kept as it is.

    The start of day's stock load carries every position of the estate (152,000 reports
    at black-friday scale, 15 MiB held all day if it were kept as it is): it is written
    by marshal as plain rows and its reports made again when it is read. Pickled, each
    named tuple went through its class's `__reduce__`: 116 M instructions for the load
    of black-friday at 0.25, a thirtieth of what the hub's first 40,000 inputs cost
    (callgrind), against about 10 M as rows."""
    # `isinstance` and plain reads, not `match`: a class pattern looks each field up
    # through `__match_args__`, and every message, answer and timer of a run passes here
    if isinstance(entry, Received):
        fields: Any = (_RECEIVED, entry.source, entry.message_id, entry.payload, entry.at)
    elif isinstance(entry, Answered):
        fields = (_ANSWERED, entry.system, entry.call_id, entry.status, entry.body, entry.at)
    elif isinstance(entry, TimerFired):
        fields = (_TIMER, entry.timer, entry.at)
    elif entry.action is OperatorAction.LOAD_STOCK:
        fields = (_STOCK_LOADED, tuple([tuple(report) for report in entry.args[0]]), entry.at)
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
    """The entry one record holds (a record of a single entry: `encode`'s)."""
    if not isinstance(stored, bytes):
        return stored
    return _entry(marshal.loads(stored))


def decode_all(stored: Stored) -> list[Entry]:
    """The entries one record of the log holds: a batch's (a list of their fields,
    oldest first) or a single entry's (its fields, `encode`'s)."""
    if not isinstance(stored, bytes):
        return [stored]
    fields = marshal.loads(stored)
    if isinstance(fields, list):
        return [_entry(each) for each in fields]
    return [_entry(fields)]


def _decoded(stored_entries: Iterable[Stored]) -> Iterator[Entry]:
    """Every entry kept, decoded as it is read: a generator function, since compiled
    (mypyc) a generator expression is built as a whole list, the whole journal at once."""
    for stored in stored_entries:
        yield from decode_all(stored)


def _entry(fields: tuple[Any, ...]) -> Entry:
    kind = fields[0]
    if kind == _RECEIVED:
        return Received(*fields[1:])
    if kind == _ANSWERED:
        return Answered(*fields[1:])
    if kind == _TIMER:
        return TimerFired(*fields[1:])
    if kind == _STOCK_LOADED:
        reports = tuple([StockReport._make(report) for report in fields[1]])
        return Operated(OperatorAction.LOAD_STOCK, (reports,), fields[2])
    entry: Entry = pickle.loads(fields[1])
    return entry


def _fields(entry: Entry) -> tuple[Any, ...] | None:
    """The tuple `encode` writes for a message, an answer or a timer (None for an
    operator action, written as a record of its own)."""
    if isinstance(entry, Received):
        return (_RECEIVED, entry.source, entry.message_id, entry.payload, entry.at)
    if isinstance(entry, Answered):
        return (_ANSWERED, entry.system, entry.call_id, entry.status, entry.body, entry.at)
    if isinstance(entry, TimerFired):
        return (_TIMER, entry.timer, entry.at)
    return None


# subclassed outside the compiled build (a test keeps each entry as it is committed)
@mypyc_attr(allow_interpreted_subclasses=True)
class SimJournalStore:
    __slots__ = (
        "_batch",
        "_count",
        "_entries",
        "_env",
        "_epoch",
        "_flushes",
        "_flushing",
        "_in_flight",
        "_latest",
        "latency_s",
    )

    def __init__(self, env: simpy.Environment, latency_s: float) -> None:
        self._env = env
        self.latency_s = latency_s
        self._entries: JournalFile[Entry] = JournalFile()
        #: the fields of the latest entries committed at once, not yet written as a
        #: record of the log (committed all the same: the store holds them)
        self._latest: list[tuple[Any, ...]] = []
        #: entries committed, written or not
        self._count = 0
        self._batch: list[tuple[Stored, Callable[[], None]]] = []
        self._flushing = False
        #: entries in the flush on its way to the disk
        self._in_flight = 0
        #: which life of the store a flush belongs to: a crash starts a new one
        self._epoch = 0
        #: flushes completed, when commits take time
        self._flushes = 0

    @property
    def commits(self) -> int:
        """Flushes completed; with no latency, each entry is a commit of its own."""
        return self._count if self.latency_s <= 0 else self._flushes

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
        fields = _fields(entry)
        if fields is None:  # an operator action: a record of its own, after those before it
            self._write_latest()
            self._entries.append(encode(entry))
            self._count += 1
            return
        self._keep(fields)

    # The three below are `commit_at_once` of a message, an answer and a timer, given
    # their fields: each keeps the tuple `encode` writes for that entry (so the log
    # reads it back the same) without an entry built and read apart again first.
    # `_keep` inlined: every message, answer and timer of a run passes here.

    def commit_received(self, source: str, message_id: int, payload: Body, at: float) -> None:
        latest = self._latest
        latest.append((_RECEIVED, source, message_id, payload, at))
        self._count += 1
        stock = payload.get("stock")  # any shape: a malformed message is the hub's to refuse
        if len(latest) >= _BATCH or (isinstance(stock, list) and len(stock) >= _BULK_REPORTS):
            self._write_latest()

    def commit_answered(
        self, system: str, call_id: int, status: int, body: Body, at: float
    ) -> None:
        latest = self._latest
        latest.append((_ANSWERED, system, call_id, status, body, at))
        self._count += 1
        if len(latest) >= _BATCH or _BULK_WMS_POS in body or _BULK_ERP in body:
            self._write_latest()

    def commit_timer(self, timer: tuple[str, Any], at: float) -> None:
        latest = self._latest
        latest.append((_TIMER, timer, at))
        self._count += 1
        if len(latest) >= _BATCH:
            self._write_latest()

    def _keep(self, fields: tuple[Any, ...]) -> None:
        latest = self._latest
        latest.append(fields)
        self._count += 1
        if len(latest) >= _BATCH:
            self._write_latest()

    def _write_latest(self) -> None:
        """The latest entries to the log, as one record; one at a time where a payload
        holds what marshal cannot write (pickled, or kept as it is)."""
        latest = self._latest
        if not latest:
            return
        self._latest = []
        try:
            self._entries.append(_dumps(latest, _FORMAT))
        except ValueError:
            for fields in latest:
                self._entries.append(encode(_entry(fields)))

    def entries(self) -> Iterator[Entry]:
        self._write_latest()
        return _decoded(self._entries)

    def close(self) -> None:
        """The run is over: remove the log's file."""
        self._entries.close()

    def __len__(self) -> int:
        return self._count

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
        self._flushes += 1
        self._in_flight = 0
        entries = self._entries
        for entry, _ in batch:
            entries.append(entry)
        self._count += len(batch)
        self._flushing = False
        for _, then in batch:
            then()
        if self._batch:
            self._flush()
