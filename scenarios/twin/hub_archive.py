"""The hub's finished orders and returns archived as the run goes, in the run's temporary
SQLite file: the batch runner's `AggregateArchive` (hub/ports.py).

The hub keeps its aggregates in `AggregateBook`s (hub/aggregates.py) and says which are
finished; this module gives its books somewhere to put them, the tables of the run's
`RecordSpill` (scenarios/twin/record_spill.py, used through its public API: one table
per book, written in batches, dropped with the run). An aggregate is stored as the
nested tuple of plain values `hub/model/packing.py` makes of it, in a record of one
field: unlike a backend's record, an order holds nested objects (its lines, its parts,
its status changes with their enums) that the spill's `marshal` cannot write as they are.

A crash of the hub (`hub`/`crash` fault) replaces it with one rebuilt from its journal,
holding everything in memory again: the next sweep gives the new hub's books new,
empty tables. The live twin and a run against an external hub have no archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from hub.core import Hub
from hub.model.packing import ORDER, RETURN, Packed
from scenarios.twin.estate import Estate
from scenarios.twin.record_spill import RecordSpill, SqliteRecords

A = TypeVar("A")


@dataclass(frozen=True, slots=True, init=False)
class Archived:
    """One archived aggregate, as a spill table's record (a dataclass of plain values)."""

    packed: tuple[Packed, ...]

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted, and through `object.__setattr__`, which compiled code does
    # on the slot itself (a million records of one field: 0.04 s against 0.21 s, timed
    # alone); every aggregate archived or read back is built here
    def __init__(
        self,
        packed: tuple[Packed, ...],
    ) -> None:
        object.__setattr__(self, "packed", packed)


class AggregatePacker(Protocol[A]):
    """What the archive calls on a packer (`hub.model.packing.Packer` is one). A
    protocol, not the class: compiled, a call through it looks the method up, so a test
    that counts the unpacking by replacing `Packer.unpack` sees the archive's calls."""

    def pack(self, record: A) -> tuple[Packed, ...]: ...

    def unpack(self, packed: tuple[Packed, ...]) -> A: ...


class SpilledAggregates(Generic[A]):
    """An `AggregateArchive` over one table of the run's spill. Every read unpacks a
    new object: the book decides whether it is a copy to read or the one to change."""

    __slots__ = ("_packer", "_table")

    def __init__(self, table: SqliteRecords[Archived], packer: AggregatePacker[A]) -> None:
        self._table = table
        self._packer = packer

    def put(self, seq: int, key: str, aggregate: A) -> None:
        self._table.put(seq, key, Archived(self._packer.pack(aggregate)))

    def get(self, key: str) -> A | None:
        kept = self._table.get(key)
        return None if kept is None else self._packer.unpack(kept.packed)

    def take(self, key: str) -> tuple[int, A] | None:
        taken = self._table.take(key)
        return None if taken is None else (taken[0], self._packer.unpack(taken[1].packed))

    def __contains__(self, key: object) -> bool:
        return key in self._table

    def __len__(self) -> int:
        return len(self._table)

    def scan(self) -> Iterator[tuple[int, str, A]]:
        unpack = self._packer.unpack
        for seq, key, kept in self._table.scan():
            yield seq, key, unpack(kept.packed)


class HubArchive:
    """Archives the running hub's finished aggregates when `sweep` is called (between
    the run's steps, when no handler of the hub is running), and seals its books when
    the day is over."""

    def __init__(self, estate: Estate, spill: RecordSpill) -> None:
        self._estate = estate
        self._spill = spill
        self._attached: Hub | None = None

    def sweep(self) -> int:
        """Archive what the hub now calls finished; how many aggregates went."""
        if self._estate.external_hub is not None or self._estate.hub_process.down:
            return 0
        hub = self._estate.hub
        if hub is not self._attached:  # the first hub, or one rebuilt after a crash
            spill = self._spill
            hub.ctx.orders.archive_into(SpilledAggregates(spill.store(Archived), ORDER))
            hub.ctx.returns.archive_into(SpilledAggregates(spill.store(Archived), RETURN))
            self._attached = hub
        return hub.archive_finished()

    def seal(self) -> None:
        """The day is over: reads of the archive from now on are copies (see
        hub/aggregates.py)."""
        if self._estate.external_hub is None:
            self._estate.hub.seal_books()
