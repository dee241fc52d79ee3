"""A record table reads back exactly what a dict kept in insertion order would, whether
its finished records stay in memory or leave it for a store, and whatever order records
are finished, brought back and finished again in."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from simulators.records import RecordLog, RecordTable


class DictStore:
    """A store that keeps finished records in a dict (the protocol's simplest fake);
    it hands back copies, as a store on disk does, so a test catches a record
    changed after it was finished."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[int, list[int]]] = {}

    def put(self, seq: int, key: str, record: list[int]) -> None:
        assert key not in self.kept
        self.kept[key] = (seq, list(record))

    def get(self, key: str) -> list[int] | None:
        held = self.kept.get(key)
        return None if held is None else list(held[1])

    def take(self, key: str) -> tuple[int, list[int]] | None:
        return self.kept.pop(key, None)

    def __contains__(self, key: object) -> bool:
        return key in self.kept

    def __len__(self) -> int:
        return len(self.kept)

    def scan(self) -> Iterator[tuple[int, str, list[int]]]:
        for key, (seq, record) in sorted(self.kept.items(), key=lambda kv: kv[1][0]):
            yield seq, key, list(record)


def _random_day(table: RecordTable[list[int]], seed: int) -> dict[str, list[int]]:
    """Add (some final at once), finish, change (through `for_update`) and finish again
    at random; returns the dict a plain backend would hold after the same day."""
    rng = random.Random(seed)
    reference: dict[str, list[int]] = {}
    open_keys: list[str] = []
    for n in range(400):
        action = rng.random()
        if action < 0.1:  # final when made: straight to the store
            key = f"DOC{n:05d}"
            table.add_final(key, [n])
            reference[key] = [n]
        elif action < 0.5 or not reference:
            key = f"DOC{n:05d}"
            table.add(key, [n])
            reference[key] = [n]
            open_keys.append(key)
        elif action < 0.8 and open_keys:
            table.finish(open_keys.pop(rng.randrange(len(open_keys))))
        else:
            key = rng.choice(list(reference))
            record = table.for_update(key)
            assert record is not None
            record.append(n)
            reference[key].append(n)
            if key not in open_keys:
                open_keys.append(key)
    return reference


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_table_sealed_into_a_store_reads_back_as_the_dict_of_the_same_day(seed: int) -> None:
    table: RecordTable[list[int]] = RecordTable()
    store = DictStore()
    table.seal_into(store)
    reference = _random_day(table, seed)
    assert list(table) == list(reference)
    assert list(table.values()) == list(reference.values())
    assert list(table.items()) == list(reference.items())
    assert len(table) == len(reference)
    assert all(table[key] == record for key, record in reference.items())
    assert all(key in table for key in reference) and "DOC99999" not in table
    assert table.get("DOC99999") is None
    assert len(store) > 0 and table.in_memory() < len(reference)


def test_without_a_store_finishing_keeps_the_record_in_memory() -> None:
    table: RecordTable[list[int]] = RecordTable()
    reference = _random_day(table, 4)
    assert dict(table.items()) == reference and list(table) == list(reference)
    assert table.in_memory() == len(reference)


def test_records_added_before_the_store_keep_their_place() -> None:
    table: RecordTable[list[int]] = RecordTable()
    table.add("A", [1])
    table.seal_into(DictStore())
    table.add("B", [2])
    table.finish("B")
    table.finish("A")
    table.add("C", [3])
    assert list(table.items()) == [("A", [1]), ("B", [2]), ("C", [3])]


def test_a_key_used_twice_is_refused() -> None:
    table: RecordTable[list[int]] = RecordTable()
    table.add("A", [1])
    with pytest.raises(KeyError):
        table.add("A", [2])
    with pytest.raises(KeyError):
        table.add_final("A", [2])


def test_a_record_added_final_goes_straight_to_the_store() -> None:
    table: RecordTable[list[int]] = RecordTable()
    store = DictStore()
    table.seal_into(store)
    table.add("A", [1])
    table.add_final("B", [2])
    assert table.in_memory() == 1 and "B" in store
    assert list(table.items()) == [("A", [1]), ("B", [2])]


def test_for_update_of_an_unknown_key_is_none() -> None:
    table: RecordTable[list[int]] = RecordTable()
    table.seal_into(DictStore())
    assert table.for_update("nope") is None
    with pytest.raises(KeyError):
        table["nope"]


@pytest.mark.parametrize("sealed_after", [0, 3, 10])
def test_a_log_reads_back_as_the_list_it_replaces(sealed_after: int) -> None:
    log: RecordLog[list[int]] = RecordLog()
    reference: list[list[int]] = []
    for n in range(10):
        if n == sealed_after:
            log.seal_into(DictStore())
        log.append([n])
        reference.append([n])
    assert list(log) == reference and len(log) == 10
    assert log[0] == [0] and log[-1] == [9] and log[3:] == reference[3:]
    with pytest.raises(IndexError):
        log[10]
