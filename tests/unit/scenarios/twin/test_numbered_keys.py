"""A spill table keyed by numbered references filters its look-ups with a bitmap of the
numbers: never "no" for a key it holds, "no" for every number it was not given, and a
Bloom filter for keys that are not a prefix and a number its bitmaps hold."""

from __future__ import annotations

import random

import pytest

from scenarios.twin import key_filter, numbered_keys, record_spill
from scenarios.twin.numbered_keys import MAX_DIGITS, NumberedKeys, split
from scenarios.twin.record_spill import SqliteRecords, open_spill
from simulators.erp import ErpDocument


def test_every_number_added_may_be_held_and_no_other_is() -> None:
    rng = random.Random(3)
    added = {f"W-{n:07d}" for n in rng.sample(range(1, 50_000), 5_000)}
    added |= {f"SS-ST-{s:04d}-{n:05d}" for s in range(30) for n in range(1, 200, 3)}
    keys = NumberedKeys()
    keys.add_all(sorted(added))
    assert not keys.full()
    assert all(keys.may_hold(key) for key in added)
    others = [f"W-{n:07d}" for n in range(1, 60_000)] + [f"MP-{n:07d}" for n in range(99)]
    assert [key for key in others if keys.may_hold(key)] == sorted(
        key for key in added if key.startswith("W-")
    )
    assert not keys.may_hold("SS-ST-0003-00002") and keys.may_hold("SS-ST-0003-00004")
    assert keys.size() <= 50_000 // 8 + 30 * (200 // 8 + 1)  # a bit a number up to the top
    assert keys.may_hold(7)  # not a string: the table is asked


def test_keys_apart_but_for_leading_zeros_share_a_bit() -> None:
    keys = NumberedKeys()
    keys.add("W-0000042")
    assert keys.may_hold("W-0000042") and keys.may_hold("W-42")  # "maybe": allowed


@pytest.mark.parametrize(
    "odd", ["cap:W-1:SHP2:auth_", "W-1234567890", "W-0000900", "SO-x"], ids=str
)
def test_a_key_without_a_number_its_bitmap_holds_goes_to_the_bloom_filter(odd: str) -> None:
    """No trailing number, one of too many digits, or one far past the prefix's other
    numbers: found by the Bloom filter, also once the bitmap has grown over it."""
    keys = NumberedKeys()
    keys.add_all(["W-0000001", "W-0000003", odd])
    assert keys.may_hold(odd) and keys.may_hold("W-0000001") and keys.may_hold("W-0000003")
    assert keys._bloom is not None and keys._bloom.may_hold(odd)
    keys.add_all(f"W-{n:07d}" for n in range(4, 1000))  # the bitmap grows over 900
    assert keys.may_hold(odd) and keys.may_hold("W-0000100") and keys.may_hold("W-0000999")
    assert not keys.full()


def test_a_store_numbered_by_the_estate_counter_is_sparse_and_bloom_filtered() -> None:
    """Each store's credit memos take numbers from one counter for the estate: a bitmap
    per store would hold a byte or more a key, so the numbers past the first few go to
    the Bloom filter; the dense prefixes keep their bitmaps."""
    keys = NumberedKeys()
    memos = [f"CM-RT-ST-{n % 50:04d}-T{n:08d}" for n in range(0, 200_000, 37)]
    orders = [f"W-{n:07d}" for n in range(1, 20_000)]
    keys.add_all([*orders, *memos])
    assert all(keys.may_hold(key) for key in [*orders, *memos])
    assert keys.size() < 20_000 // 8 + 50 * 200 + 2 * len(memos)
    assert not keys.may_hold("W-0000000")  # in the bitmap: "no"
    # past it: the Bloom filter's answer, "maybe" for about one in sixty at most
    assert sum(keys.may_hold(f"W-{n:07d}") for n in range(20_000, 40_000)) < 400


def test_a_first_number_anywhere_starts_the_bitmap_there() -> None:
    """A table's keys read back newest first (a rebuild reads the pending batch first)
    still make one bitmap a prefix, grown down to the older numbers."""
    keys = NumberedKeys()
    keys.add_all(f"W-{n:07d}" for n in range(50_000, 40_000, -1))
    assert keys._bloom is None and keys.size() <= 10_000 // 8 + 2
    assert keys.may_hold("W-0045000") and not keys.may_hold("W-0039999")


def test_too_many_prefixes_send_the_rest_to_the_bloom_filter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(numbered_keys, "MAX_PREFIXES", 3)
    keys = NumberedKeys()
    keys.add_all([f"cap:{n}:auth_1" for n in range(3)])
    assert keys._bloom is None
    keys.add("cap:3:auth_1")
    assert keys._bloom is not None and keys.may_hold("cap:3:auth_1")
    assert not keys.may_hold("cap:0:auth_2")


def test_a_full_bloom_filter_makes_the_filter_full_and_rebuilt_larger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(key_filter, "FIRST_CAPACITY", 8)
    keys = NumberedKeys()
    odd = [f"x{n}y" for n in range(9)]
    keys.add_all(odd)
    assert keys.full()
    fresh = keys.rebuilt(odd, len(odd))
    assert not fresh.full() and all(fresh.may_hold(key) for key in odd)
    assert fresh._bloom is not None and fresh._bloom._capacity >= 13


def test_a_spill_table_of_numbered_keys_finds_every_record_and_misses_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bitmap is made at the first look-up with something on disk, is added to
    with each batch, and a key that is not a prefix and a number goes to its Bloom
    filter."""
    monkeypatch.setattr(record_spill, "BATCH", 5)
    store: SqliteRecords[ErpDocument] = SqliteRecords(open_spill(), "docs", ErpDocument)
    docs = [
        ErpDocument(f"SO{n:08d}", "sales_order", f"W-{n}", n * 1.5, "DC-1", (("S", n),))
        for n in range(60)
    ]
    assert store.get("SO00000001") is None and store._keys is None
    for n, doc in enumerate(docs[:50]):
        store.put(n, doc.number, doc)
    assert store.get("SO00000077") is None
    assert isinstance(store._keys, NumberedKeys) and store._keys._bloom is None
    assert all(store.get(doc.number) == doc for doc in docs[:50])
    assert store.take(docs[7].number) == (7, docs[7]) and docs[7].number not in store
    odd = ErpDocument("SO-x", "sales_order", "W-x", 1.0, "DC-1", ())
    store.put(50, odd.number, odd)
    for n, doc in enumerate(docs[50:], 51):
        store.put(n, doc.number, doc)
    assert store._keys._bloom is not None  # a key without a number came
    assert store.get("SO-x") == odd
    assert all(doc.number in store for doc in docs if doc is not docs[7])
    assert "SO00000077" not in store and len(store) == 60


def test_a_key_splits_at_its_last_run_of_digits_as_rstrip_and_int_split_it() -> None:
    def by_rstrip(key: str) -> tuple[str, int]:
        prefix = key.rstrip("0123456789")
        digits = len(key) - len(prefix)
        return prefix, int(key[len(prefix) :]) if 0 < digits <= MAX_DIGITS else -1

    keys = ["W-0000123", "SS-ST-0011-00062", "auth_000000031", "abc", "", "7", "000000000"]
    keys += ["x1234567890", "x123456789", "9" * 12, "A-12x", "ref-\u0663\u0664", "q-\u06635"]
    keys += [f"cap:W-{n:07d}:SHP{n:08d}:auth_{n:09d}" for n in (0, 1, 99, 123456)]
    for key in keys:
        assert split(key) == by_rstrip(key), key
