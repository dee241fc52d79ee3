"""The SQLite store keeps finished records on disk and gives them back by key and in
order: a table sealed into it reads back as the dict of the same day, across batch
writes, records brought back for update and finished again."""

from __future__ import annotations

import random
import tracemalloc

import pytest

from scenarios.twin import record_spill
from scenarios.twin.record_codec import channel_orders
from scenarios.twin.record_spill import SqliteRecords, open_spill
from simulators.carrier import Parcel
from simulators.channel import NO_TERMS, ChannelOrder
from simulators.compact import NumberIndex, Numbers
from simulators.erp import ErpDocument
from simulators.numbers import DOCUMENT_NUMBERS
from simulators.payment import Authorization, MoneyMovement
from simulators.pos import PickupOrder
from simulators.records import RecordTable
from simulators.release import Release
from simulators.till_return import TillReturn
from simulators.wms import ExpectedReturn


def _doc(n: int) -> ErpDocument:
    return ErpDocument(f"SO{n:08d}", "sales_order", f"W-{n}", n * 1.5, "DC-1", (("SKU-1", n),))


@pytest.mark.parametrize(
    "batch", [1, 7, record_spill.ROWS + 1, 2 * record_spill.ROWS + 22, record_spill.BATCH]
)
def test_a_sealed_table_reads_back_as_the_dict_of_the_same_day(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(record_spill, "BATCH", batch)
    rng = random.Random(batch)
    db = open_spill()
    table: RecordTable[ErpDocument] = RecordTable()
    table.seal_into(SqliteRecords(db, "docs", ErpDocument))
    reference: dict[str, ErpDocument] = {}
    for n in range(300):
        doc = _doc(n)
        table.add(doc.number, doc)
        reference[doc.number] = _doc(n)
        if rng.random() < 0.8:
            table.finish(doc.number)
        if n % 10 == 9:  # an earlier one changes again: back in memory, then final
            number = rng.choice(list(reference))
            again = table.for_update(number)
            assert again is not None
            again.status = reference[number].status = f"changed at {n}"
            table.finish(number)
    assert list(table.items()) == list(reference.items())
    assert list(table.values()) == list(reference.values())
    assert len(table) == len(reference)
    assert table["SO00000007"] == reference["SO00000007"]
    assert "SO00000007" in table and "SO99999999" not in table
    assert table.in_memory() < 100


@pytest.mark.parametrize("batch", [1, 5, record_spill.BATCH])
def test_a_sealed_number_index_reads_back_as_the_index_in_memory(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index by reference sealed mid-day answers every read as one never sealed:
    the same numbers under each key in the order added (a duplicate's second number
    after its first), the keys in the order first added, a key set again keeping its
    place, a deleted key gone."""
    monkeypatch.setattr(record_spill, "BATCH", batch)
    rng = random.Random(batch)
    sealed, reference = NumberIndex(DOCUMENT_NUMBERS), NumberIndex(DOCUMENT_NUMBERS)
    for n in range(200):
        if n == 40:
            sealed.seal_into(SqliteRecords(open_spill(), "by_ref", Numbers))
        key = f"W-{rng.randrange(120)}"  # about a third are duplicates
        number = DOCUMENT_NUMBERS.format(rng.choice(("SO", "INV")), n) if n % 17 else f"odd-{n}"
        sealed.add(key, number)
        reference.add(key, number)
    for index in (sealed, reference):
        index["W-3"] = ["CM00000001", "CM00000002"]
        index["new"] = ["SO00000009"]
        del index["W-5"]
    with pytest.raises(KeyError):
        del sealed["W-5"]
    assert list(sealed.items()) == list(reference.items())
    assert list(sealed) == list(reference) and len(sealed) == len(reference)
    assert list(sealed.values()) == list(reference.values())
    for key in ("W-3", "W-7", "W-5", "new", "nothing"):
        assert sealed.get(key) == reference.get(key)
        assert sealed.first(key) == reference.first(key)
        assert (key in sealed) == (key in reference)
    assert sealed.get("nothing", []) == [] and sealed._held == {}
    with pytest.raises(KeyError):
        sealed["nothing"]


def test_a_record_of_one_int_or_str_is_written_bare_and_reads_back_equal() -> None:
    """An index entry of one number or one string goes to SQLite as that value, not
    marshalled; a tuple, a bool and an int SQLite cannot hold are marshalled still, and
    every one reads back equal, by key, taken and scanned."""
    db = open_spill()
    store: SqliteRecords[Numbers] = SqliteRecords(db, "by_ref", Numbers)
    held: list[int | str | tuple[int | str, ...]] = [8, "X-1", (3, "Y"), 1 << 70, -(1 << 63)]
    entries = {f"K{n}": Numbers(value) for n, value in enumerate(held)}
    entries["K5"] = Numbers(True)  # a bool is not bound as an int
    for n, (key, entry) in enumerate(entries.items()):
        store.put(n, key, entry)
    store.flush()
    stored = dict(db.execute("SELECT key, typeof(record) FROM by_ref").fetchall())
    assert stored == {
        "K0": "integer",
        "K1": "text",
        "K2": "blob",
        "K3": "blob",
        "K4": "integer",
        "K5": "blob",
    }
    for key, entry in entries.items():
        assert store.get(key) == entry and type(store.get(key).held) is type(entry.held)  # type: ignore[union-attr]
    assert [(key, entry) for _, key, entry in store.scan()] == list(entries.items())
    assert store.take("K0") == (0, Numbers(8)) and store.take("K1") == (1, Numbers("X-1"))
    assert "K0" not in store and len(store) == 4


def test_a_key_put_twice_is_refused() -> None:
    store: SqliteRecords[ErpDocument] = SqliteRecords(open_spill(), "docs", ErpDocument)
    store.put(0, "A", _doc(0))
    with pytest.raises(KeyError):
        store.put(1, "A", _doc(1))


def test_a_table_counts_its_records_pending_and_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The count follows puts and takes whether the record was still pending or on disk
    (it is kept once a batch, not once a record)."""
    monkeypatch.setattr(record_spill, "BATCH", 4)
    store: SqliteRecords[ErpDocument] = SqliteRecords(open_spill(), "docs", ErpDocument)
    for n in range(6):  # four written, two pending
        store.put(n, _doc(n).number, _doc(n))
    assert len(store) == 6
    assert store.take(_doc(1).number) == (1, _doc(1))  # from disk
    assert store.take(_doc(5).number) == (5, _doc(5))  # pending
    assert store.take(_doc(5).number) is None and len(store) == 4
    store.flush()
    assert len(store) == 4
    assert [seq for seq, _, _ in store.scan()] == [0, 2, 3, 4]


def test_a_scan_gives_records_in_the_order_of_their_numbers_not_their_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A table is keyed by its keys (one B-tree, WITHOUT ROWID): a scan must still come
    out by number when the keys sort otherwise and the records were put out of order,
    over several batches."""
    monkeypatch.setattr(record_spill, "BATCH", 3)
    store: SqliteRecords[ErpDocument] = SqliteRecords(open_spill(), "docs", ErpDocument)
    numbers = list(range(10))
    random.Random(7).shuffle(numbers)
    for seq in numbers:  # the key sorts backwards against the number, "Z9" first
        store.put(seq, f"{chr(ord('Z') - seq)}{9 - seq}", _doc(seq))
    store.flush()
    assert [(seq, key) for seq, key, _ in store.scan()] == [
        (seq, f"{chr(ord('Z') - seq)}{9 - seq}") for seq in range(10)
    ]
    assert [doc for _, _, doc in store.scan()] == [_doc(seq) for seq in range(10)]


def test_a_run_keeps_few_finished_records_in_memory() -> None:
    """The batch runner seals the ERP's documents and the gateway's records: at the
    end of a small day most are on disk (open sales orders and authorisations never
    captured are what is held), and the checker reads every one."""
    from scenarios.spec.loader import load_scenario
    from scenarios.twin.runtime import run

    result = run(load_scenario("steady-day", ["scenario.scale=0.02"]))
    releases = result.estate.wms.releases
    assert len(releases) > 20 and releases.in_memory() < len(releases) / 4
    documents = result.estate.erp.documents
    assert len(documents) > 100
    by_ref = result.estate.erp.by_ref  # every entry on disk, none in memory
    assert len(by_ref) > 100 and not by_ref._held and by_ref._sealed is not None
    assert sum(len(numbers) for numbers in by_ref.values()) == len(documents)
    assert documents.in_memory() < len(documents) / 10
    assert sum(1 for _ in documents.values()) == len(documents)
    payment = result.estate.payment
    assert (
        len(payment.captures) > 20
        and payment.authorizations.in_memory() < len(payment.authorizations) / 2
    )
    assert [m.amount for m in payment.captures][:3] == [
        payment.captures[n].amount for n in range(3)
    ]
    for channel in (result.estate.storefront, *result.estate.marketplaces):
        # an order leaves memory once it heard it shipped, was collected or cancelled
        orders = channel.orders
        assert len(orders) > 10 and orders.in_memory() < len(orders) / 4
    pickups = result.estate.pos.pickups  # collected or cancelled: on disk
    assert len(pickups) > 5 and pickups.in_memory() < len(pickups) / 2
    counter = result.estate.pos.returns  # final as taken: none is held in memory
    assert len(counter) > 5 and len(list(counter)) == len(counter) and not counter._kept
    assert counter[-1] == list(counter)[-1]


def test_each_kind_of_record_sealed_reads_back_equal() -> None:
    """Every record type the runner seals is plain enough to write field by field."""
    db = open_spill()
    samples = [
        _doc(3),
        Parcel("SHP1", "W-1", "DC-1", "north", "south", 2, 1.25, 90000.5),
        Authorization("auth_1", "W-1", 1999, 0.5, 3600.5, 1999, 0, True, 7.125),
        MoneyMovement("cap_1", "auth_1", "W-1", 1999, 12.0625),
        Release(
            "W-1",
            "DC-1",
            [("SKU-1", 2)],
            0.5,
            "shipped",
            None,
            [("SKU-1", 1)],
            [("SKU-1", 1)],
            7.25,
            7.25,
            "SHP1",
            2,
            (),
        ),
        Release("W-2", "DC-1", [("SKU-1", 2)], 0.5, "cancelled", changed_at=3.0),
        ExpectedReturn("RMA-W-1", "W-1", "DC-1", [("SKU-1", 1)], "inspected", "damaged", 9.5),
        TillReturn(
            "RT-ST-1-T00000002",
            "ST-1",
            "W-1",
            "web",
            "resellable",
            9.5,
            (("SKU-1", 1, 999, 200),),
            0,
        ),
        PickupOrder("CC-0000003", "ST-1", [("SKU-1", 2)], "collected", [("SKU-1", 2)], 9.5),
    ]
    for n, record in enumerate(samples):
        store = SqliteRecords(db, f"t{n}", type(record))
        store.put(0, "k", record)
        assert next(store.scan())[2] == record and store.get("k") == record


def test_a_channel_order_reads_back_equal_named_by_its_key() -> None:
    """A channel's order is written without its ref and with its terms as a dict: read
    back it is equal, its ref the very string the scan names it by, and a plain
    order's terms the shared `NO_TERMS`."""
    plain = ChannelOrder("W-1", "web", "C-1", "north", 0.5, (("SKU-1", 2, 999, 200),))
    plain.hear(1, "accepted", 1.25)
    plain.hear(2, "shipped", 7.5)
    cut = ChannelOrder(
        "MP-1",
        "marketplace",
        "C-2",
        "south",
        2.0,
        (("SKU-1", 1, 899, 180), ("SKU-2", 3, 100, 20)),
        cancel_requested_at=3.0,
        cancel_reason="changed my mind",
        acked_at=2.5,
        sends=2,
        terms={"SKU-1": (999, "spring")},
    )
    store = SqliteRecords(open_spill(), "orders", ChannelOrder, channel_orders())
    alike = ChannelOrder("W-2", "web", "C-3", "north", 0.75, (("SKU-1", 2, 999, 200),))
    alike.hear(1, "accepted", 2.0)
    alike.hear(2, "shipped", 8.0)
    for seq, order in enumerate((plain, cut, alike)):
        store.put(seq, order.ref, order)
    store.flush()
    read = [(key, record) for _, key, record in store.scan()]
    assert [record for _, record in read] == [plain, cut, alike]
    assert all(record.ref is key for key, record in read)
    assert read[0][1].terms is NO_TERMS and read[0][1].notices == plain.notices
    # orders alike share their lines and notices read back, as the channel's own do
    assert read[2][1].lines is read[0][1].lines and read[2][1].told is read[0][1].told
    assert read[2][1].region is read[0][1].region

    taken = store.take("MP-1")
    assert taken is not None and taken[1] == cut and "MP-1" not in store


def test_once_flushed_reading_writes_nothing_so_a_forked_reader_may_share_the_file() -> None:
    spill = record_spill.RecordSpill()
    table: RecordTable[ErpDocument] = RecordTable()
    table.seal_into(spill.store(ErpDocument))
    for n in range(10):  # fewer than a batch: all pending until flushed
        table.add(_doc(n).number, _doc(n))
        table.finish(_doc(n).number)
    db = spill._db
    before = db.total_changes
    spill.flush()
    assert db.total_changes == before + 10
    assert [doc.number for doc in table.values()] == [_doc(n).number for n in range(10)]
    assert table[_doc(3).number] == _doc(3) and _doc(4).number in table
    assert db.total_changes == before + 10  # the reads above wrote nothing


@pytest.mark.parametrize("read", ["values", "items", "keys"])
def test_reading_a_sealed_table_streams_it_rather_than_reading_it_all_first(read: str) -> None:
    """A table of 20,000 sealed records, traced at the 15,000th read: what the read holds
    is a record or a batch, not the table. Compiled (mypyc), a generator expression that
    returned the records was built as a whole list: 6.7 MiB held here, 3 KiB from the
    sources (docs/architecture.md, Memory); `test_compiled_generators.py` refuses such an
    expression in the compiled modules, this measures what it would cost."""
    table: RecordTable[ErpDocument] = RecordTable()
    table.seal_into(SqliteRecords(open_spill(), "docs", ErpDocument))
    for n in range(20_000):
        doc = _doc(n)
        table.add(doc.number, doc)
        table.finish(doc.number)
    view = {"values": table.values, "items": table.items, "keys": table.keys}[read]()
    tracemalloc.start()
    try:
        for count, _ in enumerate(view, start=1):
            if count == 15_000:
                held, _peak = tracemalloc.get_traced_memory()
                break
    finally:
        tracemalloc.stop()
    assert count == 15_000
    assert held < 512 * 2**10, f"{held / 2**10:.0f} KiB held at the 15,000th of 20,000"
