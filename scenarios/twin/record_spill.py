"""Finished records written out as the run goes: the backends' `RecordTable`s sealed
into one temporary SQLite file.

Issue 18 asks for memory bounded by what is in flight. The ERP's documents and the
carrier's parcels are final long before the day ends and are read again only by the
checker, so a batch run hands each one, once final, to this store: marshalled, in batches,
into a private temporary database that SQLite deletes when it is closed (an empty file
name), keyed for the checker's look-ups and numbered for its scans in booking order
(`simulators/records.py` merges them back with what is still in memory). Nothing of it
is a durable record: it lives and dies with the run's estate.

SQLite, from the standard library, because it is an on-disk index for free: the
checker looks records up by key at random, and an index kept in memory would hold a
good part of what spilling saves. Its page cache is bounded (`CACHE_KIB`).
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import fields
from operator import attrgetter
from typing import Any, Generic, TypeVar

from scenarios.twin.estate import Estate
from scenarios.twin.key_filter import KeyFilter
from scenarios.twin.record_codec import Codec, channel_orders
from simulators.carrier import Parcel
from simulators.channel import ChannelOrder
from simulators.channel_returns import Packed
from simulators.compact import Numbers
from simulators.erp import ErpDocument
from simulators.payment import Answer, Authorization, MoneyMovement
from simulators.pos import PickupOrder
from simulators.release import Release
from simulators.till_return import TillReturn
from simulators.wms import ExpectedReturn
from simulators.world import CustomerBook

V = TypeVar("V")

#: records kept in memory before a batch is written (one transaction each)
BATCH = 2048
#: rows of a generation of a table (its part of the index): with eight tables growing
#: together in a 2 MiB cache, an insert cost 2.7 us flat to 200,000 rows a table at
#: 8,192, and grew 2.7 to 2.9 us at 32,768, 3.0 to 5.2 us with one index for all
GEN_ROWS = 8192
#: rows of a table's first generation; each next one twice as many, up to `GEN_ROWS`
FIRST_GEN_ROWS = 2048
#: SQLite's page cache for the whole file, in KiB
CACHE_KIB = 2048
#: the gateway's remembered answers, each a plain value `marshal` writes as it is
ANSWERS: Codec[Answer] = Codec(lambda answer: (answer,), lambda _key, fields: fields[0])


class SqliteRecords(Generic[V]):
    """One table's finished records in a table of the shared temporary database:
    (seq, gen, key, record), seq the row id so scans come out in order. A record is a
    dataclass of plain values (strings, numbers, tuples of them), written as the
    tuple of its fields by `marshal` and built again by its class: five times
    cheaper than pickling a slotted dataclass, which mattered (about 8% of a run's
    CPU, pickled). A kind whose fields are not all plain values, or that holds its own
    key, says how to write it with a `Codec`.

    Written in generations: the table's index is on (gen, key), and each generation
    takes a fixed number of rows (`GEN_ROWS`; the first ones fewer, `FIRST_GEN_ROWS`
    doubling, so a small table stays small). Keys arrive in no order, and an insert
    into one index over every key, once it outgrew the page cache, read and wrote a
    page it no longer held, dearer as the day went on (3.4 to 5.8 us an insert from
    100,000 to 800,000 rows); an insert now lands in its generation's part of the
    index, small enough to stay in the cache, at the same cost all day.

    Each generation has its own `KeyFilter` of the keys written into it, sized once
    for its rows: a look-up asks the pending batch (a dict), then each generation
    whose filter says "maybe", newest first, with one query of that generation's part
    of the index. A key is held by one generation at most: `put` refuses a key any
    generation holds, as the single unique index did (a record taken back by `take`
    and put again goes to the newest generation)."""

    def __init__(
        self,
        db: sqlite3.Connection,
        table: str,
        kind: type[V] | None,
        codec: Codec[V] | None = None,
    ) -> None:
        self._db = db
        self._table = table
        self._kind: Any = kind
        self._codec = codec
        if codec is not None:
            self._as_tuple = codec.pack
        elif kind is not None:
            self._as_tuple = _fields_getter(tuple(f.name for f in fields(kind)))  # type: ignore[arg-type]
        else:
            raise TypeError(f"{table}: a store of values that are not records needs a codec")
        db.execute(
            f"CREATE TABLE {table} (seq INTEGER PRIMARY KEY, gen INTEGER NOT NULL, "
            "key TEXT NOT NULL, record BLOB NOT NULL, UNIQUE (gen, key))"
        )
        self._get = f"SELECT record FROM {table} WHERE gen = ? AND key = ?"
        self._has = f"SELECT 1 FROM {table} WHERE gen = ? AND key = ?"
        self._delete = f"DELETE FROM {table} WHERE gen = ? AND key = ? RETURNING seq, record"
        #: records put since the last write, as they were given (not yet marshalled)
        self._pending: dict[str, tuple[int, V]] = {}
        #: the filter of each generation's keys, oldest first: the last one is written to
        self._gens: list[KeyFilter] = []
        #: rows the newest generation can still take
        self._room = 0
        #: records on disk (those pending are `len(self._pending)`)
        self._written = 0

    def put(self, seq: int, key: str, record: V) -> None:
        # one dict insert a record, once no generation holds the key (most keys are
        # new, and each filter says so): the generations are written once a batch
        pending = self._pending
        if key in pending or self._on_disk(key) >= 0:
            raise KeyError(f"{key} is already a record")
        pending[key] = (seq, record)
        if len(pending) >= BATCH:
            self._write()

    def _on_disk(self, key: object) -> int:
        """The generation that holds `key` on disk, -1 if none."""
        gens, has = self._gens, self._has
        gen = len(gens) - 1
        while gen >= 0:
            if gens[gen].may_hold(key) and self._db.execute(has, (gen, key)).fetchone():
                return gen
            gen -= 1
        return -1

    def flush(self) -> None:
        """Write the pending batch now, and commit what `take` deleted since the last
        write (see `RecordSpill`)."""
        self._write()
        self._db.commit()

    def _write(self) -> None:
        pending = self._pending
        if not pending:
            return
        dumps, as_tuple, gens = marshal.dumps, self._as_tuple, self._gens
        keys = list(pending)
        rows: list[tuple[int, int, str, bytes]] = []
        done = 0
        while done < len(keys):
            if self._room == 0:  # the newest generation is full: a new one
                self._room = min(GEN_ROWS, FIRST_GEN_ROWS << len(gens))
                gens.append(KeyFilter(self._room))
            part = keys[done : done + self._room]
            gen = len(gens) - 1
            gens[gen].add_all(part)  # on disk once written: its filter says "maybe"
            for key in part:
                seq, record = pending[key]
                rows.append((seq, gen, key, dumps(as_tuple(record))))
            self._room -= len(part)
            done += len(part)
        with self._db:
            self._db.executemany(
                f"INSERT INTO {self._table} (seq, gen, key, record) VALUES (?, ?, ?, ?)", rows
            )
        self._written += len(pending)
        pending.clear()

    def get(self, key: str) -> V | None:
        held = self._pending.get(key)
        if held is not None:
            return held[1]
        gens, query = self._gens, self._get
        gen = len(gens) - 1
        while gen >= 0:
            if gens[gen].may_hold(key):
                row = self._db.execute(query, (gen, key)).fetchone()
                if row is not None:
                    return self._loads(key, row[0])
            gen -= 1
        return None

    def take(self, key: str) -> tuple[int, V] | None:
        held = self._pending.pop(key, None)
        if held is not None:
            return held
        gens, query = self._gens, self._delete
        gen = len(gens) - 1
        while gen >= 0:
            if gens[gen].may_hold(key):
                # one statement, and no commit of its own: committing a delete wrote
                # out every page the batches since the last write had dirtied (the
                # next batch's write, or `flush`, commits it)
                rows = self._db.execute(query, (gen, key)).fetchall()
                if rows:
                    self._written -= 1
                    return int(rows[0][0]), self._loads(key, rows[0][1])
            gen -= 1
        return None

    def __contains__(self, key: object) -> bool:
        return key in self._pending or self._on_disk(key) >= 0

    def __len__(self) -> int:
        return self._written + len(self._pending)

    def generations(self) -> int:
        """Generations written so far (each its own part of the index, and a filter)."""
        return len(self._gens)

    def drop(self) -> None:
        """Forget every record and the table (a generation of the payment gateway's
        idempotency keys is over: `simulators/key_memory.py`); nothing reads it again."""
        self._pending.clear()
        self._written = 0
        self._gens = []
        self._room = 0
        self._db.execute(f"DROP TABLE IF EXISTS {self._table}")
        self._db.commit()

    def _loads(self, key: str, data: bytes) -> V:
        if self._codec is not None:
            return self._codec.unpack(key, marshal.loads(data))
        record: V = self._kind(*marshal.loads(data))
        return record

    def scan(self) -> Iterator[tuple[int, str, V]]:
        self._write()
        rows = self._db.execute(f"SELECT seq, key, record FROM {self._table} ORDER BY seq")
        for seq, key, record in rows:
            key = str(key)
            yield int(seq), key, self._loads(key, record)


def _fields_getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of a record's fields `names`, read in C (`attrgetter`; a getattr a
    field in Python cost about as much as the insert)."""
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple of it
        (name,) = names
        return lambda record: (getattr(record, name),)
    getter: Callable[[Any], tuple[Any, ...]] = attrgetter(*names)
    return getter


def open_spill() -> sqlite3.Connection:
    """A private temporary database (deleted when closed), tuned for a scratch file:
    no journal, no syncs."""
    db = sqlite3.connect("")
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return db


class RecordSpill:
    """The run's temporary database and its tables, so the run can `flush` them when
    the day is over.

    Why flush: `run --out` forks the read model's writer when the run ends
    (`scenarios/reports/read_model_process.py`), and it reads these records through
    the connection it inherits while this process judges the run through the same one.
    SQLite does not support a connection shared across `fork` that anyone writes to:
    a batch still pending in both processes would be written by each (a scan writes its
    table's pending batch first). Once every batch is on disk before the fork, and the
    day is over so nothing is finished any more, both processes only read the file,
    each through its own page cache."""

    def __init__(self) -> None:
        self._db = open_spill()
        self._stores: list[SqliteRecords[Any]] = []

    def store(self, kind: type[V], codec: Codec[V] | None = None) -> SqliteRecords[V]:
        """A new table for records of `kind` (written as `codec` says, if given)."""
        return self._new(kind, codec)

    def _new(self, kind: type[V] | None, codec: Codec[V] | None) -> SqliteRecords[V]:
        store = SqliteRecords(self._db, f"records_{len(self._stores)}", kind, codec)
        self._stores.append(store)
        return store

    def values(self, codec: Codec[V]) -> SqliteRecords[V]:
        """A new table for values that are not records of a kind, written as `codec`
        says (a generation of the gateway's idempotency answers)."""
        return self._new(None, codec)

    def flush(self) -> None:
        """Write every table's pending batch."""
        for store in self._stores:
            store.flush()


def spill_finished_records(estate: Estate) -> RecordSpill:
    """Seal the estate's record tables into one temporary database, before the day
    starts: from then on each finished record leaves memory."""
    spill = RecordSpill()
    estate.erp.documents.seal_into(spill.store(ErpDocument))
    # the indexes by reference over them: an entry for every document of the day
    estate.erp.by_ref.seal_into(spill.store(Numbers))
    estate.erp.sales_orders_by_external_ref.seal_into(spill.store(Numbers))
    estate.wms.releases.seal_into(spill.store(Release))
    estate.wms.returns.seal_into(spill.store(ExpectedReturn))
    if estate.carrier is not None:
        estate.carrier.parcels.seal_into(spill.store(Parcel))
        estate.carrier.by_order.seal_into(spill.store(Numbers))
    estate.pos.returns.seal_into(spill.store(TillReturn))
    estate.pos.pickups.seal_into(spill.store(PickupOrder))  # once collected or cancelled
    # the channels' orders, once each heard a final status (`SalesChannel.settle`)
    customers = estate.world.customers
    same_customer = customers.same_id if isinstance(customers, CustomerBook) else str
    for channel in (estate.storefront, *estate.marketplaces):
        channel.orders.seal_into(spill.store(ChannelOrder, channel_orders(same_customer)))
        # and their returns and the notices about them, by order and by return
        channel.returns_opened.seal_into(spill.store(Packed))
        channel.return_statuses.seal_into(spill.store(Packed))
    payment = estate.payment
    payment.authorizations.seal_into(spill.store(Authorization))
    # each generation of its idempotency keys, dropped when forgotten
    payment.keep_keys_in(lambda: spill.values(ANSWERS))
    for movements in (payment.captures, payment.refunds, payment.voids):
        movements.seal_into(spill.store(MoneyMovement))
    for marketplace in estate.marketplaces:
        desk = marketplace.settlement
        if desk is not None:
            for movements in (desk.charges, desk.refunds):
                movements.seal_into(spill.store(MoneyMovement))
    return spill
