"""A spill table is written in generations, each its own part of the index (gen, key)
with its own key filter: every record is found again whichever generation (or the
pending batch) holds it, a key is held once across all of them, scans come out in
number order, and a forked reader of the flushed file reads what the writer does."""

from __future__ import annotations

import os
import random
import sqlite3

import pytest

from scenarios.twin import record_spill
from scenarios.twin.record_spill import SqliteRecords, open_spill
from simulators.erp import ErpDocument


def _doc(n: int) -> ErpDocument:
    return ErpDocument(f"SO{n:08d}", "sales_order", f"W-{n}", n * 1.5, "DC-1", (("SKU-1", n),))


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 5 and generations of 4, 8, then 16 rows: a batch straddles them."""
    monkeypatch.setattr(record_spill, "BATCH", 5)
    monkeypatch.setattr(record_spill, "FIRST_GEN_ROWS", 4)
    monkeypatch.setattr(record_spill, "GEN_ROWS", 16)


def _filled(count: int) -> tuple[SqliteRecords[ErpDocument], sqlite3.Connection, list[int]]:
    """`count` documents put in a shuffled order (keys arrive in no order), numbered in
    the order they were put."""
    db = open_spill()
    store: SqliteRecords[ErpDocument] = SqliteRecords(db, "docs", ErpDocument)
    order = list(range(count))
    random.Random(7).shuffle(order)
    for seq, n in enumerate(order):
        store.put(seq, _doc(n).number, _doc(n))
    return store, db, order


def _rows_by_gen(db: sqlite3.Connection) -> dict[int, int]:
    return dict(db.execute("SELECT gen, count(*) FROM docs GROUP BY gen").fetchall())


@pytest.mark.usefixtures("small")
def test_generations_take_their_rows_and_no_more() -> None:
    store, db, _ = _filled(203)  # 200 written in 40 batches, 3 pending
    assert len(store) == 203 and store.generations() == 14  # 4 + 8 + 16 * 12 = 204
    assert _rows_by_gen(db) == {0: 4, 1: 8, **{g: 16 for g in range(2, 13)}, 13: 12}


@pytest.mark.usefixtures("small")
def test_every_record_is_found_in_whichever_generation_holds_it() -> None:
    store, _, order = _filled(203)
    for n in order:  # in every generation and the pending batch
        key = _doc(n).number
        assert key in store and store.get(key) == _doc(n)
    for n in range(203, 400):
        key = _doc(n).number
        assert key not in store and store.get(key) is None and store.take(key) is None


@pytest.mark.usefixtures("small")
def test_a_miss_asks_the_file_rarely() -> None:
    """Each generation's filter answers "no" for a key it was not given: 200 misses
    over 14 generations make a handful of queries, not 2,800."""
    store, db, _ = _filled(203)
    asked: list[str] = []
    db.set_trace_callback(asked.append)
    for n in range(1000, 1200):
        assert store.get(_doc(n).number) is None
    assert len(asked) < 20


@pytest.mark.usefixtures("small")
def test_a_key_is_held_once_across_generations() -> None:
    store, _, order = _filled(203)
    for n in (order[0], order[10], order[150], order[201]):  # gens 0, 1, 10; pending
        with pytest.raises(KeyError, match="already a record"):
            store.put(999, _doc(n).number, _doc(n))
    assert len(store) == 203


@pytest.mark.usefixtures("small")
def test_take_removes_from_the_generation_that_holds_it_and_a_record_put_again_is_found() -> None:
    store, db, order = _filled(203)
    taken = {seq: order[seq] for seq in (0, 3, 9, 100, 199, 202)}  # gens 0, 0, 1, 7, 13; pending
    for seq, n in taken.items():
        assert store.take(_doc(n).number) == (seq, _doc(n))
        assert store.take(_doc(n).number) is None and _doc(n).number not in store
    assert len(store) == 197
    assert sum(_rows_by_gen(db).values()) == 195  # one of the six was still pending
    for seq, n in taken.items():  # finished again: each into the newest generation
        store.put(seq, _doc(n).number, _doc(n))
    store.flush()
    for n in order:
        assert store.get(_doc(n).number) == _doc(n)
    assert [seq for seq, _, _ in store.scan()] == list(range(203))
    assert [key for _, key, _ in store.scan()] == [_doc(n).number for n in order]


@pytest.mark.usefixtures("small")
def test_a_dropped_table_is_gone_and_holds_nothing() -> None:
    store, db, order = _filled(50)
    store.drop()
    assert len(store) == 0 and store.generations() == 0
    assert _doc(order[0]).number not in store and store.get(_doc(order[49]).number) is None
    tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == []


@pytest.mark.usefixtures("small")
def test_a_forked_reader_reads_every_generation_as_the_writer_does() -> None:
    """`run --out` forks the read model's writer once the spill is flushed: through
    the connection and the filters it inherits, the child finds the same records."""
    store, _, order = _filled(203)
    store.flush()
    expected = [n for n in order if n % 3 == 0]
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's own process
        os.close(read)
        found = [n for n in range(400) if store.get(_doc(n).number) == _doc(n) and n % 3 == 0]
        scanned = [key for _, key, _ in store.scan()]
        ok = sorted(found) == sorted(expected) and scanned == [_doc(n).number for n in order]
        os.write(write, b"1" if ok else b"0")
        os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.waitpid(child, 0)
    os.close(read)
    assert answer == b"1"
    assert store.get(_doc(order[5]).number) == _doc(order[5])
