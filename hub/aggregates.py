"""The hub's orders and returns by id: in memory while they can change, archived once
finished.

Issue 18 asks for memory bounded by what is in flight, and a peak day's orders and
returns are most of what the hub itself holds: a finished order is read again only if
a return, a late event or a settlement names it, and by the checker and the read model
when the day is over. An `AggregateBook` is the dict the hub kept them in, with a
second tier behind it: `archive_finished` hands every aggregate its caller calls
finished to an `AggregateArchive` port (the batch runner's is a file,
scenarios/twin/hub_archive.py; the hub does no I/O), and any later look-up by the hub
brings it back into memory, where it is changed as before and archived again once
finished. Without an archive (unit tests, the live twin, the hub served over HTTP) the
book is a plain dict underneath and nothing is ever archived.

One copy only. An aggregate read back from the archive is a new object: had anyone
kept a reference to the one archived (a pending callback, a list of returns waiting
for a capture), the two would part, and whatever was changed on the old one would be
lost silently. So an aggregate is archived only when the book holds the only reference
to it (CPython's reference count, exact and immediate): what something else still
holds stays in memory, and once archived nothing can change the object that was
written, because nothing holds it. Once the day is over the runtime `seal`s the book:
look-ups then read copies without moving anything, and what reads them (the checker,
the read model) reads and never changes.

Reading all of it (`items`, `values`, iteration) gives the aggregates in the order they
were added, as the dict did: each keeps the number it was first added under, and the
two tiers are merged by it, so every figure and digest computed from them is unchanged.

A look-up of a key never archived (every new order or return is looked up before it is
added) asks the archive, which finds nothing. That was measured against keeping the
keys ever archived in a `SeenIds` (hub/seen_ids.py) to answer without it: SQLite's
indexed miss on a new, highest key costs about what the set's own look-up does, and
the set costs about 8 bytes a key and an insert each, so there is none.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from heapq import merge
from typing import TypeVar

from hub.ports import AggregateArchive

A = TypeVar("A")


def _references(live: Mapping[str, object], key: str) -> int:
    """The references to the aggregate under `key`, counted the same way every time
    (the count includes this function's own, and depends on the interpreter)."""
    aggregate = live[key]
    return sys.getrefcount(aggregate)


#: how many times what is live `archive_finished` lets the most it has seen be before it
#: builds the book's dicts again (see `AggregateBook.archive_finished`)
_ROOM = 4

#: what `_references` counts when the dict holds the only reference, measured on this
#: interpreter rather than assumed
_ONLY_THE_BOOKS = _references({"probe": object()}, "probe")


def _live_in_order(
    order: list[tuple[int, str]], live: Mapping[str, A]
) -> Iterator[tuple[int, str, A]]:
    """(number, id, aggregate) for the aggregates in memory, in `order`: a generator
    function, since compiled (mypyc) a generator expression is built as a whole list."""
    for seq, key in order:
        yield seq, key, live[key]


class AggregateBook(Mapping[str, A]):
    """id -> aggregate, in the order added (see the module). The hub sets and looks
    up aggregates as in a dict; a look-up always gives the one object being changed."""

    __slots__ = ("_archive", "_copies", "_high", "_live", "_missed", "_next", "_sealed", "_seq")

    def __init__(self) -> None:
        self._live: dict[str, A] = {}
        #: each live aggregate's number (kept only once there is an archive)
        self._seq: dict[str, int] = {}
        self._next = 0
        self._archive: AggregateArchive[A] | None = None
        self._sealed = False
        #: the last key `in` found neither in memory nor in the archive: a new order is
        #: asked about (a duplicate?) and then set, and setting it need not ask the
        #: archive again (nothing enters the archive but through `archive_finished`,
        #: which forgets it)
        self._missed: object = None
        #: every aggregate of a sealed book read once, in order (`read_once`), or None
        self._copies: dict[str, A] | None = None
        #: the most aggregates `archive_finished` has found in memory since the dicts
        #: were last built: what their tables were sized for, at the least
        self._high = 0

    def archive_into(self, archive: AggregateArchive[A]) -> None:
        """From now on, finished aggregates may go to `archive` (an empty one)."""
        self._seq = {key: n for n, key in enumerate(self._live)}
        self._next = len(self._live)
        self._archive = archive
        self._missed = None

    def seal(self) -> None:
        """The day is over: look-ups read copies from the archive and move nothing
        (see the module); setting an aggregate is a bug from now on."""
        self._sealed = True

    def read_once(self) -> None:
        """A sealed book's archive read whole now, in order, and its copies kept: later
        look-ups, tests and scans read them instead of asking the archive again. For
        `run --out`, right before it forks the read model's writer
        (scenarios/reports/read_model_process.py): the writer's projection and this
        process's checks then share one decoding of every archived aggregate, where
        each read its own (a scan there, a query and a decoding by key here). The
        copies are held as long as the book: what reads them reads and never changes
        them (see the module). Unsealed or without an archive, nothing is read."""
        if self._sealed and self._archive is not None and self._copies is None:
            self._copies = dict(self.entries())

    def __setitem__(self, key: str, aggregate: A) -> None:
        if self._sealed:
            raise RuntimeError(f"the book is sealed: {key} cannot change")
        live = self._live
        if key not in live and self._archive is not None:
            taken = None if key == self._missed else self._archive.take(key)
            self._missed = None
            self._seq[key] = self._next if taken is None else taken[0]
            if taken is None:
                self._next += 1
        live[key] = aggregate

    def archive_finished(self, finished: Callable[[A], bool]) -> int:
        """Archive every aggregate `finished` says is done with and nothing but the
        book holds; how many went. Without an archive, none."""
        self._missed = None
        archive = self._archive
        if archive is None or self._sealed:
            return 0
        live, seq, moved = self._live, self._seq, 0
        high = max(self._high, len(live))
        for key in list(live):
            if finished(live[key]) and _references(live, key) == _ONLY_THE_BOOKS:
                archive.put(seq.pop(key), key, live.pop(key))
                moved += 1
        if len(live) * _ROOM < high:
            # CPython shrinks a dict only on an insert that finds its table full, so
            # after a rush a book's tables stay sized for the rush: build them again
            # for what is live (the loop above already read every entry)
            self._live = dict(live)
            self._seq = dict(seq)
            high = len(live)
        self._high = high
        return moved

    def in_memory(self) -> int:
        """Aggregates held in memory now."""
        return len(self._live)

    def held_in_memory(self) -> Iterator[A]:
        """The aggregates in memory now, in no set order, read without the archive.
        Whatever the caller's rule kept out of the archive is among them: an archived
        aggregate was finished by that rule when it went, and nothing changed it since
        (a change brings it back first). The checker reads the hub's exception queue
        here, which the hub's rule keeps out of the archive, instead of reading every
        finished order back to find none of them in it."""
        return iter(self._live.values())

    def _restored(self, key: str) -> A | None:
        """The archived aggregate under `key`, back in memory (a copy if sealed)."""
        archive = self._archive
        if archive is None:
            return None
        if self._sealed:
            copies = self._copies
            return archive.get(key) if copies is None else copies.get(key)
        taken = archive.take(key)
        if taken is None:
            return None
        self._seq[key], aggregate = taken
        self._live[key] = aggregate
        return aggregate

    def __getitem__(self, key: str) -> A:
        aggregate = self._live.get(key)
        if aggregate is None:
            aggregate = self._restored(key)
            if aggregate is None:
                raise KeyError(key)
        return aggregate

    def get(self, key: str, default: A | None = None) -> A | None:  # type: ignore[override]
        aggregate = self._live.get(key)
        if aggregate is None:
            aggregate = self._restored(key)
        return default if aggregate is None else aggregate

    def __contains__(self, key: object) -> bool:
        if key in self._live:
            return True
        archive = self._archive
        if archive is None:
            return False
        copies = self._copies
        if copies is not None:
            return key in copies
        if key in archive:
            return True
        self._missed = key
        return False

    def __len__(self) -> int:
        return len(self._live) + (len(self._archive) if self._archive is not None else 0)

    def entries(self) -> Iterator[tuple[str, A]]:
        """(id, aggregate) for every aggregate, in the order added; archived ones are
        read as copies, to read."""
        if self._archive is None:
            yield from self._live.items()
            return
        if self._copies is not None:
            yield from self._copies.items()
            return
        live = self._live
        in_memory = sorted((seq, key) for key, seq in self._seq.items())
        ordered = merge(
            _live_in_order(in_memory, live),
            self._archive.scan(),
            key=lambda entry: entry[0],
        )
        for _, key, aggregate in ordered:
            yield key, aggregate

    def __iter__(self) -> Iterator[str]:
        for key, _ in self.entries():
            yield key

    def values(self) -> ValuesView[A]:
        """The aggregates in order, each read once."""
        return _Values(self)

    def items(self) -> ItemsView[str, A]:
        """(id, aggregate) pairs in order, each read once."""
        return _Items(self)

    def __repr__(self) -> str:
        return f"AggregateBook({dict(self.entries())!r})"


class _Values(ValuesView[A]):
    __slots__ = ("_book",)

    def __init__(self, book: AggregateBook[A]) -> None:
        super().__init__(book)
        self._book = book

    def __iter__(self) -> Iterator[A]:
        for _, aggregate in self._book.entries():
            yield aggregate


class _Items(ItemsView[str, A]):
    __slots__ = ("_book",)

    def __init__(self, book: AggregateBook[A]) -> None:
        super().__init__(book)
        self._book = book

    def __iter__(self) -> Iterator[tuple[str, A]]:
        return self._book.entries()


__all__ = ["AggregateBook"]
