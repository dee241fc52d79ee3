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
from scenarios.twin.numbered_keys import NumberedKeys
from scenarios.twin.record_codec import Codec, channel_orders
from simulators.carrier import Parcel
from simulators.channel import ChannelOrder
from simulators.channel_returns import Packed
from simulators.compact import Numbers
from simulators.erp import ErpDocument
from simulators.payment import Answer, Authorization, MoneyMovement, Refusal
from simulators.pos import PickupOrder
from simulators.release import Release
from simulators.till_return import TillReturn
from simulators.wms import ExpectedReturn
from simulators.world import CustomerBook

V = TypeVar("V")

#: records kept in memory before a batch is written (one transaction each)
BATCH = 2048
#: records inserted by one statement (`_write`): written one a statement, each record
#: cost about 11,000 instructions in `executemany` (a step, a reset, the GIL released
#: and taken again around each), 8,500 at 16 a statement and 8,300 at 64 (callgrind,
#: black-friday's records at 0.05 inserted in batches as the run writes them)
ROWS = 64
_ROW_VALUES = 3 * ROWS
#: SQLite's page cache for the whole file, in KiB
CACHE_KIB = 2048
#: the integers SQLite holds (a larger one would be refused when bound: it is marshalled)
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
#: the filter of a table with nothing on disk: it holds no key (never added to)
NOTHING_ON_DISK = NumberedKeys()
#: the gateway's remembered answers, each a plain value `marshal` writes as it is
ANSWERS: Codec[Answer] = Codec(lambda answer: (answer,), lambda _key, fields: fields[0])


class SqliteRecords(Generic[V]):
    """One table's finished records in a table of the shared temporary database:
    (key, seq, record), one B-tree keyed by the key (WITHOUT ROWID), so a record put
    or taken back touches one tree, not a table and an index on the key; a scan sorts
    by seq (SQLite's sorter, bounded by the page cache's size; a run scans its tables
    when the day is over, for the checker). A record is a
    dataclass of plain values (strings, numbers, tuples of them), written as the
    tuple of its fields by `marshal` and built again by its class: five times
    cheaper than pickling a slotted dataclass, which mattered (about 8% of a run's
    CPU, pickled); a record of one field that is an int or a str is written as that
    value, unmarshalled (`_bare`). A kind whose fields are not all plain values, or
    that holds its own key, says how to write it with a `Codec`.

    A filter of the keys written answers most look-ups of a key the table does not
    hold without asking SQLite: a bitmap of their numbers when each is a prefix and a
    number (`scenarios/twin/numbered_keys.py`, nearly every table), else a Bloom filter
    (`scenarios/twin/key_filter.py`); the pending batch, a dict, answers for itself.
    The filter is made at the first look-up that needs it, from the keys on disk then:
    many tables are never asked during the run (the ERP's documents, the carrier's
    parcels, every `RecordLog`, whose positions are all there), and a filter made from
    the start held two to four bytes for each of their keys all day, a third of the
    filters' memory at peak-weekend's end; a table with nothing on disk yet needs none
    (a first Bloom filter was 20 KiB, and black-friday asked nine such tables)."""

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
        #: the one field's getter, for a kind of one field (None otherwise)
        self._one: Callable[[Any], Any] | None = None
        if codec is not None:
            self._as_tuple = codec.pack
        elif kind is not None:
            names = tuple(f.name for f in fields(kind))  # type: ignore[arg-type]
            self._as_tuple = _fields_getter(names)
            if len(names) == 1:
                self._one = attrgetter(names[0])
        else:
            raise TypeError(f"{table}: a store of values that are not records needs a codec")
        #: made when first needed (`_filter`)
        self._keys: NumberedKeys | None = None
        db.execute(
            f"CREATE TABLE {table} (key TEXT PRIMARY KEY, seq INTEGER NOT NULL, "
            "record BLOB NOT NULL) WITHOUT ROWID"
        )
        insert = f"INSERT INTO {table} (seq, key, record) VALUES "
        self._insert_one = insert + "(?, ?, ?)"
        self._insert_rows = insert + ", ".join(["(?, ?, ?)"] * ROWS)
        #: records put since the last write, as they were given (not yet marshalled)
        self._pending: dict[str, tuple[int, V]] = {}
        #: records on disk (those pending are `len(self._pending)`)
        self._written = 0

    def put(self, seq: int, key: str, record: V) -> None:
        # one dict insert a record: the count and the key filter are brought up to
        # date once a batch, when it is written (a look-up reads the pending batch
        # before the filter, so the filter need hold only the keys on disk)
        pending = self._pending
        if key in pending:
            raise KeyError(f"{key} is already a record")
        pending[key] = (seq, record)
        if len(pending) >= BATCH:
            self._write()

    def _all_keys(self) -> Iterator[str]:
        """Every key the table holds, pending or written (for a new filter)."""
        yield from self._pending
        yield from self._keys_on_disk()

    def _keys_on_disk(self) -> Iterator[str]:
        for (key,) in self._db.execute(f"SELECT key FROM {self._table}"):
            yield str(key)

    def flush(self) -> None:
        """Write the pending batch now, and commit what `take` deleted since the last
        write (see `RecordSpill`)."""
        self._write()
        self._db.commit()

    def _write(self) -> None:
        pending = self._pending
        if not pending:
            return
        dumps, as_tuple = marshal.dumps, self._as_tuple
        # each record bound as a bytearray, not the bytes `marshal` gives: the sqlite3
        # module binds a str, int, float or bytearray as it is, but anything else,
        # bytes included (`_need_adapt`), is offered to its adapters first, and in
        # CPython 3.11 asking the protocol type for `__adapt__` formats an
        # AttributeError and drops it: some 2,900 instructions a record (callgrind),
        # far more than the copy (240,000 records of an ERP document's shape
        # marshalled and inserted: 2.06 us each as bytes, 1.70 as bytearrays)
        one = self._one
        values: list[int | str | bytearray] = []
        add = values.append
        for key, (seq, record) in pending.items():
            add(seq)
            add(key)
            add(bytearray(dumps(as_tuple(record))) if one is None else _bare(one(record)))
        # ROWS records a statement, then the rest one a statement: each statement
        # executed is a step, a reset and the GIL released and taken again around each
        with self._db:
            whole = len(values) - len(values) % _ROW_VALUES
            if whole:
                self._db.executemany(
                    self._insert_rows,
                    [values[at : at + _ROW_VALUES] for at in range(0, whole, _ROW_VALUES)],
                )
            if whole < len(values):
                self._db.executemany(
                    self._insert_one, [values[at : at + 3] for at in range(whole, len(values), 3)]
                )
        self._written += len(pending)
        keys = self._keys
        if keys is not None:
            keys.add_all(pending)  # now on disk: the filter must say "maybe" for them
        pending.clear()
        if keys is not None and keys.full():
            self._keys = keys.rebuilt(self._all_keys(), self._written)

    def _filter(self) -> NumberedKeys:
        """The filter of the keys on disk, made from them at the first call: bitmaps
        of their numbers, and a Bloom filter of the keys that are not a prefix and a
        number (`numbered_keys.py`). With none on disk, a filter that holds nothing:
        the table's own is made at the first call after its first batch is written."""
        keys = self._keys
        if keys is None:
            if not self._written:
                return NOTHING_ON_DISK
            self._keys = keys = NumberedKeys()
            keys.add_all(self._keys_on_disk())
            if keys.full():
                self._keys = keys = keys.rebuilt(self._keys_on_disk(), self._written)
        return keys

    def get(self, key: str) -> V | None:
        held = self._pending.get(key)
        if held is not None:
            return held[1]
        if not self._filter().may_hold(key):
            return None
        row = self._db.execute(f"SELECT record FROM {self._table} WHERE key = ?", (key,)).fetchone()
        return None if row is None else self._loads(key, row[0])

    def take(self, key: str) -> tuple[int, V] | None:
        held = self._pending.pop(key, None)
        if held is None:
            if not self._filter().may_hold(key):
                return None
            # one statement, and no commit of its own: committing a delete wrote out
            # every page the batches since the last write had dirtied (the next
            # batch's write, or `flush`, commits it)
            rows = self._db.execute(
                f"DELETE FROM {self._table} WHERE key = ? RETURNING seq, record", (key,)
            ).fetchall()
            if not rows:
                return None
            held = (int(rows[0][0]), self._loads(key, rows[0][1]))
            self._written -= 1
        return held

    def __contains__(self, key: object) -> bool:
        if key in self._pending:
            return True
        if not self._filter().may_hold(key):
            return False
        row = self._db.execute(f"SELECT 1 FROM {self._table} WHERE key = ?", (key,)).fetchone()
        return row is not None

    def __len__(self) -> int:
        return self._written + len(self._pending)

    def drop(self) -> None:
        """Forget every record and the table (a generation of the payment gateway's
        idempotency keys is over: `simulators/key_memory.py`); nothing reads it again."""
        self._pending.clear()
        self._written = 0
        self._keys = None
        self._db.execute(f"DROP TABLE IF EXISTS {self._table}")
        self._db.commit()

    def _loads(self, key: str, data: bytes | int | str) -> V:
        if not isinstance(data, bytes):  # a record of one field, bound as it is (`_bare`)
            bare: V = self._kind(data)
            return bare
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
        if self._codec is not None:
            self._codec.after_scan()


def _bare(value: Any) -> int | str | bytearray:
    """What is written for a record of one field (an index's `Numbers`, nearly all a
    single number): an int or a str as it is, which SQLite stores as an INTEGER or TEXT
    value in the BLOB column (a BLOB column converts nothing) and gives back as it was
    given; anything else marshalled, as the tuple of the record's fields. `marshal` cost
    about 2,400 instructions for a tuple of one int, made into a bytearray (its table of
    objects already written is made and freed on every call; callgrind, 100,000 of
    them), and a sealed index's entries were two fifths of the records black-friday
    spilled at 0.05."""
    kind = type(value)
    if (kind is int and _INT64_MIN <= value <= _INT64_MAX) or kind is str:
        bare: int | str = value
        return bare
    return bytearray(marshal.dumps((value,)))


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
    # a statement cache (`cached_statements`, 128 by default) large enough for each
    # table's statements, so none is prepared again after being pushed out: about 28
    # tables of up to six statements each (two kinds of insert, get, take, `in`, scan)
    db = sqlite3.connect("", cached_statements=256)
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
    payment.refusals.seal_into(spill.store(Refusal))
    for marketplace in estate.marketplaces:
        desk = marketplace.settlement
        if desk is not None:
            for movements in (desk.charges, desk.refunds):
                movements.seal_into(spill.store(MoneyMovement))
    return spill
