"""The checker's numbers per order ref, kept in arrays by the ref's number: they read
back as the dicts they replace would, for a channel's refs and for any other string."""

from __future__ import annotations

import math
import random

import pytest

from scenarios.checking.ref_slots import CHUNK, DENSE_FROM, RefLists, RefMoves, RefSlots, RefTimes
from simulators.order_refs import format_ref, parse_ref


def test_a_ref_parses_back_only_as_format_made_it() -> None:
    assert format_ref("W", 42) == "W-0000042"
    assert parse_ref("W-0000042") == ("W", 42)
    assert parse_ref("MP-AMAZON-0000007") == ("MP-AMAZON", 7)
    assert parse_ref("-0000001") == ("", 1)
    for other in ("W-42", "W-00000042", "W0000042", "W-00000x2", "W-000004²", "RMA-W-0000001-2"):
        parsed = parse_ref(other)
        assert parsed is None or format_ref(*parsed) == other


def test_slots_read_back_what_was_set_and_none_for_the_rest() -> None:
    slots: RefSlots[float] = RefSlots("d", -math.inf)
    kept = {"W-0000001": 5.0, "CC-0000002": 0.0, "W-0900000": 7.5, "B2B/PO-17": 3.25}
    for ref, value in kept.items():
        slots.set(ref, value)
    slots.set("W-0000001", 4.0)
    kept["W-0000001"] = 4.0
    for ref, value in kept.items():
        assert slots.get(ref) == value
    for ref in ("W-0000002", "CC-0000001", "W-0000001 ", "B2B/PO-18", f"W-{CHUNK * 50:07d}"):
        assert slots.get(ref) is None


def test_sparse_slots_set_in_any_order_hold_only_what_was_set() -> None:
    # the returns' ids: one order in twelve, set in no order (a return of an early
    # order may come after one of a later), some set again
    numbers = list(range(1, CHUNK * 3, 12))
    random.Random(7).shuffle(numbers)
    slots: RefSlots[float] = RefSlots("d", -math.inf)
    for number in numbers:
        slots.set(format_ref("RMA-W", number), number / 2)
    for number in numbers[::5]:
        slots.set(format_ref("RMA-W", number), -number / 4)
    again = set(numbers[::5])
    for number in range(CHUNK * 3 + 13):
        expected = number / 2 if number % 12 == 1 and number < CHUNK * 3 else None
        if number in again:
            expected = -number / 4
        assert slots.get(format_ref("RMA-W", number)) == expected
    # 8 bytes a value kept (and an array's spare room), not 8 a slot
    held = sum(len(values) for values in slots._values.values())
    assert held == len(numbers)
    assert sum(values.buffer_info()[1] for values in slots._values.values()) <= 9 * held


def test_a_chunk_past_one_slot_in_dense_from_keeps_every_slot_and_reads_the_same() -> None:
    slots: RefSlots[int] = RefSlots("q", -(2**63))
    numbers = list(range(CHUNK - 1, 0, -3))  # from the top down: each goes in front
    for number in numbers:
        slots.set(format_ref("W", number), number * 10)
    (values,) = slots._values.values()
    assert len(values) == CHUNK and not slots._bits  # dense, its bits dropped
    slots.set(format_ref("W", numbers[4]), 7)
    for number in range(CHUNK):
        expected = (7 if number == numbers[4] else number * 10) if number in numbers else None
        assert slots.get(format_ref("W", number)) == expected
    few: RefSlots[int] = RefSlots("q", -(2**63))
    for number in range(CHUNK // DENSE_FROM):
        few.set(format_ref("W", number), number)
    assert len(few._values[("W", 0)]) == CHUNK // DENSE_FROM  # not past it: still sparse


def test_the_empty_marker_cannot_be_kept() -> None:
    slots: RefSlots[int] = RefSlots("q", -(2**63))
    with pytest.raises(ValueError):
        slots.set("W-0000001", -(2**63))


def test_lists_read_as_the_dict_of_lists_in_the_order_first_added() -> None:
    added = [
        ("W-0000003", 100),
        ("MP-AMAZON-0000001", 250),
        ("odd ref", 7),
        ("W-0000003", 40),
        ("CC-0000001", 0),
        ("W-0000001", -5),
        ("odd ref", 8),
    ]
    lists, expected = RefLists(), dict[str, list[int]]()
    for ref, amount in added:
        lists.add(ref, amount)
        expected.setdefault(ref, []).append(amount)
    assert list(lists) == list(expected)
    assert dict(lists.items()) == expected
    assert list(lists.values()) == list(expected.values())
    assert len(lists) == len(expected)
    assert "W-0000002" not in lists and 3 not in lists and "W-0000001" in lists
    assert lists.get("W-0000002", []) == []
    with pytest.raises(KeyError):
        lists["W-0000002"]


def test_moves_read_as_the_dict_of_lists_of_pairs_in_the_order_first_added() -> None:
    added = [
        ("RMA-W-0000003", 100, 5.0),
        ("MPR-MP-AMAZON-0000001", 250, 0.0),
        ("RMA-W-0000003-2", 7, 9.5),
        ("RMA-W-0000003", 40, 6.25),
        ("RT-S001-T00000042", 0, 1.0),
        ("RMA-W-0000001", -5, 7.0),
        ("RMA-W-0000003-2", 8, 9.75),
    ]
    moves, expected = RefMoves(), dict[str, list[tuple[int, float]]]()
    for ref, amount, at in added:
        moves.add(ref, amount, at)
        expected.setdefault(ref, []).append((amount, at))
    assert list(moves) == list(expected)
    assert dict(moves.items()) == expected
    assert list(moves.values()) == list(expected.values())
    assert len(moves) == len(expected)
    assert "RMA-W-0000002" not in moves and 3 not in moves and "RMA-W-0000001" in moves
    assert moves.get("RMA-W-0000002") is None
    with pytest.raises(KeyError):
        moves["RMA-W-0000002"]


def test_times_set_again_keep_their_first_place_as_a_dict_does() -> None:
    times, expected = RefTimes(), dict[str, float]()
    for ref, at in [
        ("RMA-W-0000002", 3.0),
        ("RT-S001-T00000001", 4.5),
        ("MPR-M-0000009", 0.0),
        ("RMA-W-0000002", 8.0),
        ("RT-S001-T00000001", 2.0),
    ]:
        times.set(ref, at)
        expected[ref] = at
    assert list(times.items()) == list(expected.items())
    assert len(times) == 3 and times["RMA-W-0000002"] == 8.0
    assert "RMA-W-0000001" not in times and None not in times
    with pytest.raises(KeyError):
        times["MPR-M-0000008"]
