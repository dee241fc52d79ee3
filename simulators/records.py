"""Records a backend keeps for the checker, held in memory only while they can change.

A peak day books hundreds of thousands of documents and parcels that nothing in the run
reads again once they are final: only the checker, at the end of the day, and the read
model. Held as objects they are most of what a long run's memory grows by (issue 18:
memory bounded by what is in flight). A `RecordTable` keeps a record in memory while it
can still change (an open sales order) and, once its backend calls it finished, hands
it to a `SealedRecords` store, which may keep it anywhere: the batch runner's store is a
temporary SQLite file (`scenarios/twin/record_spill.py`); simulators never do I/O.

Read back, a table gives the same records in the same order as the dict it replaces
(insertion order): each record keeps the number it was first added under, and reading
merges the two tiers by that number, so every figure and digest computed from it is
unchanged. A record read back from a store is a copy: change a record only through
`for_update`, which brings it back into memory until it is finished again.

Without a store (the default: unit tests, the live twin, an external hub's run)
finishing does nothing and the table is a plain dict underneath.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, Mapping, Sequence, ValuesView
from heapq import merge
from typing import Protocol, TypeVar, overload

V = TypeVar("V")
D = TypeVar("D")


class SealedRecords(Protocol[V]):
    """Where a table's finished records go: keyed, each with the number that orders it
    (a store must give them back by `scan` in that order)."""

    def put(self, seq: int, key: str, record: V) -> None:
        """Keep a finished record; `key` is not already kept."""

    def get(self, key: str) -> V | None:
        """The record kept under `key`, None if there is none."""

    def take(self, key: str) -> tuple[int, V] | None:
        """Remove the record kept under `key` and give it back with its number."""

    def __contains__(self, key: object) -> bool: ...

    def __len__(self) -> int: ...

    def scan(self) -> Iterator[tuple[int, str, V]]:
        """Every record kept, as (number, key, record), in order of number."""


def _live_in_order(
    order: list[tuple[int, str]], live: Mapping[str, V]
) -> Iterator[tuple[int, str, V]]:
    """(number, key, record) for the records in memory, in `order`: a generator
    function, since compiled (mypyc) a generator expression is built as a whole list."""
    for seq, key in order:
        yield seq, key, live[key]


class RecordTable(Mapping[str, V]):
    """key -> record, in the order records were added: a read-only mapping whose
    records change through `add`, `for_update` and `finish` only (see the module)."""

    __slots__ = ("_live", "_next", "_sealed", "_seq")

    def __init__(self) -> None:
        self._live: dict[str, V] = {}
        #: each live record's number (kept only once there is a store)
        self._seq: dict[str, int] = {}
        self._next = 0
        self._sealed: SealedRecords[V] | None = None

    def seal_into(self, store: SealedRecords[V]) -> None:
        """From now on, finished records go to `store` (an empty one). Records added
        before stay in memory, in their order."""
        self._seq = {key: n for n, key in enumerate(self._live)}
        self._next = len(self._live)
        self._sealed = store

    def add(self, key: str, record: V) -> None:
        """A new record under a key never used before (a document number, a shipment
        number): backends number their records, so a key used twice is a bug, and a
        store refuses it."""
        if key in self._live:
            raise KeyError(f"{key} is already a record")
        self._live[key] = record
        if self._sealed is not None:
            self._seq[key] = self._next
            self._next += 1

    def add_final(self, key: str, record: V) -> None:
        """A new record that is final already (a parcel, both of whose scans are fixed
        at the dock): `add` then `finish` in one step, without passing through memory."""
        sealed = self._sealed
        if sealed is None:
            self.add(key, record)
            return
        if key in self._live:
            raise KeyError(f"{key} is already a record")
        sealed.put(self._next, key, record)
        self._next += 1

    def finish(self, key: str) -> None:
        """The record under `key` will not change again (until `for_update`): it may
        leave memory."""
        if self._sealed is not None:
            self._sealed.put(self._seq.pop(key), key, self._live.pop(key))

    def for_update(self, key: str) -> V | None:
        """The record under `key` to change in place, back in memory if it had left;
        `finish` it again once it is final."""
        record = self._live.get(key)
        if record is not None or self._sealed is None:
            return record
        taken = self._sealed.take(key)
        if taken is None:
            return None
        seq, record = taken
        self._live[key] = record
        self._seq[key] = seq
        return record

    def in_memory(self) -> int:
        """Records held in memory now (not yet finished, or without a store)."""
        return len(self._live)

    def entries(self) -> Iterator[tuple[str, V]]:
        """(key, record) for every record, in the order they were added."""
        if self._sealed is None:
            yield from self._live.items()
            return
        live = self._live
        in_memory = sorted((seq, key) for key, seq in self._seq.items())
        ordered = merge(
            _live_in_order(in_memory, live),
            self._sealed.scan(),
            key=lambda entry: entry[0],
        )
        for _, key, record in ordered:
            yield key, record

    def __getitem__(self, key: str) -> V:
        record = self._live.get(key)
        if record is None and self._sealed is not None:
            record = self._sealed.get(key)
        if record is None:
            raise KeyError(key)
        return record

    @overload
    def get(self, key: str, /) -> V | None: ...

    @overload
    def get(self, key: str, default: V | D, /) -> V | D: ...

    def get(self, key: str, default: V | D | None = None, /) -> V | D | None:
        """The record under `key`, else `default`: without raising and catching a
        `KeyError` as `Mapping.get` does (a channel looks its orders up on every
        status notice, most of them for records in memory)."""
        record = self._live.get(key)
        if record is None and self._sealed is not None:
            record = self._sealed.get(key)
        return default if record is None else record

    def __contains__(self, key: object) -> bool:
        return key in self._live or (self._sealed is not None and key in self._sealed)

    def __iter__(self) -> Iterator[str]:
        for key, _ in self.entries():
            yield key

    def __len__(self) -> int:
        return len(self._live) + (len(self._sealed) if self._sealed is not None else 0)

    def values(self) -> ValuesView[V]:
        """The records in order, read once each (the default view would look every
        key up again)."""
        return _Records(self)

    def items(self) -> ItemsView[str, V]:
        """(key, record) pairs in order, read once each."""
        return _Entries(self)

    def __repr__(self) -> str:
        return f"RecordTable({dict(self.entries())!r})"


class _Records(ValuesView[V]):
    """A table's values, streamed from `RecordTable.entries`."""

    __slots__ = ("_table",)

    def __init__(self, table: RecordTable[V]) -> None:
        super().__init__(table)
        self._table = table

    def __iter__(self) -> Iterator[V]:
        for _, record in self._table.entries():
            yield record


class _Entries(ItemsView[str, V]):
    """A table's (key, record) pairs, streamed from `RecordTable.entries`."""

    __slots__ = ("_table",)

    def __init__(self, table: RecordTable[V]) -> None:
        super().__init__(table)
        self._table = table

    def __iter__(self) -> Iterator[tuple[str, V]]:
        return self._table.entries()


class RecordLog(Sequence[V]):
    """An append-only list of records final as they are made (money movements): with a
    store, each leaves memory as it is appended, under its position as key; read back
    in order, or by position."""

    __slots__ = ("_kept", "_length", "_sealed")

    def __init__(self) -> None:
        self._kept: list[V] = []
        self._length = 0
        self._sealed: SealedRecords[V] | None = None

    def seal_into(self, store: SealedRecords[V]) -> None:
        """From now on, records go to `store` (an empty one), those appended so far too."""
        for n, record in enumerate(self._kept):
            store.put(n, str(n), record)
        self._kept = []
        self._sealed = store

    def append(self, record: V) -> None:
        if self._sealed is None:
            self._kept.append(record)
        else:
            self._sealed.put(self._length, str(self._length), record)
        self._length += 1

    def __iter__(self) -> Iterator[V]:
        if self._sealed is None:
            yield from self._kept
            return
        for _, _, record in self._sealed.scan():
            yield record

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> V: ...

    @overload
    def __getitem__(self, index: slice) -> list[V]: ...

    def __getitem__(self, index: int | slice) -> V | list[V]:
        if self._sealed is None:
            return self._kept[index]
        if isinstance(index, slice):
            return list(self)[index]
        position = index + self._length if index < 0 else index
        record = self._sealed.get(str(position)) if 0 <= position < self._length else None
        if record is None:
            raise IndexError(index)
        return record

    def __repr__(self) -> str:
        return f"RecordLog({list(self)!r})"
