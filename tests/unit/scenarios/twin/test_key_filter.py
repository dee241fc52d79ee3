"""The spill's key filter never says "no" for a key it was given (a wrong "no" would
make a spilled record look absent), and says "no" for nearly every other key (each
"maybe" costs the run a query of its file)."""

from __future__ import annotations

import pytest

from scenarios.twin import key_filter, record_spill
from scenarios.twin.key_filter import KeyFilter
from scenarios.twin.record_spill import SqliteRecords, open_spill
from simulators.erp import ErpDocument


def test_every_key_added_may_be_held_and_few_others_are() -> None:
    keys = KeyFilter(capacity=1000)
    for n in range(1000):
        keys.add(f"W-{n:07d}")
    assert all(keys.may_hold(f"W-{n:07d}") for n in range(1000))
    false_maybe = sum(keys.may_hold(f"X-{n:07d}") for n in range(20000))
    assert false_maybe < 20000 * 0.04  # about 1.7 % at ten bits and three probes a key
    assert not keys.full()
    keys.add("one more")
    assert keys.full()


def test_keys_added_at_once_are_held_as_if_added_one_by_one() -> None:
    one_by_one, at_once = KeyFilter(capacity=100), KeyFilter(capacity=100)
    keys = [f"INV{n:08d}" for n in range(101)]
    for key in keys:
        one_by_one.add(key)
    at_once.add_all(iter(keys))
    assert at_once._bits == one_by_one._bits
    assert all(at_once.may_hold(key) for key in keys)
    assert at_once.full() and one_by_one.full()


def test_a_rebuilt_filter_holds_what_it_was_given_and_room_for_more() -> None:
    keys = KeyFilter(capacity=10)
    for n in range(11):
        keys.add(str(n))
    fresh = keys.rebuilt((str(n) for n in range(5, 11)), 6)
    assert all(fresh.may_hold(str(n)) for n in range(5, 11))
    assert not fresh.full()
    assert fresh._capacity == int(key_filter.GROWTH * 10)
    for n in range(11, 11 + fresh._capacity - 6):  # `GROWTH` times the room, less the 6
        fresh.add(str(n))
    assert not fresh.full()
    fresh.add("one more")
    assert fresh.full()


def test_a_spill_table_finds_every_record_across_filter_rebuilds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Records put while the table's filter grows (rebuilt from the keys on disk and
    pending) are all found again, taken ones are gone, and keys never put are not. The
    keys end in a letter, so the filter is a Bloom filter (`numbered_keys.py`)."""
    monkeypatch.setattr(key_filter, "FIRST_CAPACITY", 8)
    monkeypatch.setattr(record_spill, "BATCH", 5)
    store: SqliteRecords[ErpDocument] = SqliteRecords(open_spill(), "docs", ErpDocument)
    docs = [
        ErpDocument(f"SO{n:08d}a", "sales_order", f"W-{n}", n * 1.5, "DC-1", (("S", n),))
        for n in range(200)
    ]
    assert store.get("SO99999999a") is None  # nothing on disk: no filter made
    assert store._keys is None
    for n, doc in enumerate(docs[:5]):
        store.put(n, doc.number, doc)
    assert store.get("SO99999999a") is None  # asked: the filter is made, of 5 keys
    assert store._keys is not None and isinstance(store._keys._bloom, KeyFilter)
    for n, doc in enumerate(docs[5:], 5):
        store.put(n, doc.number, doc)
    assert store._keys is not None and isinstance(store._keys._bloom, KeyFilter)
    assert store._keys._bloom._capacity >= 128  # rebuilt four times, from the keys on disk
    taken = store.take(docs[7].number)
    assert taken == (7, docs[7])
    assert store.take(docs[7].number) is None and docs[7].number not in store
    for doc in docs[:7] + docs[8:]:
        assert doc.number in store and store.get(doc.number) == doc
    for n in range(200, 400):
        assert f"SO{n:08d}a" not in store and store.get(f"SO{n:08d}a") is None
        assert store.take(f"SO{n:08d}a") is None
    assert len(store) == 199
    assert [seq for seq, _, _ in store.scan()] == [n for n in range(200) if n != 7]


def test_a_table_never_asked_has_no_filter_until_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A table the run only writes (a log of money movements, the parcels) holds no
    filter; the first look-up makes one from every key on disk, and it answers as one
    kept from the start would."""
    monkeypatch.setattr(record_spill, "BATCH", 7)
    store: SqliteRecords[ErpDocument] = SqliteRecords(open_spill(), "docs", ErpDocument)
    docs = [
        ErpDocument(f"SO{n:08d}", "sales_order", f"W-{n}", n * 1.5, "DC-1", (("S", n),))
        for n in range(100)
    ]
    for n, doc in enumerate(docs):
        store.put(n, doc.number, doc)
    assert store._keys is None
    assert store.get(docs[99].number) == docs[99]  # still pending: no filter needed
    assert store._keys is None
    assert store.get(docs[3].number) == docs[3]
    assert store._keys is not None
    assert all(store._keys.may_hold(doc.number) for doc in docs[:98])
    assert "SO00000100" not in store and all(doc.number in store for doc in docs)
