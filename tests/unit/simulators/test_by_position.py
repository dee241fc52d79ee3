"""A value per stock position reads back by the tuple that names it, and holds no tuple
of its own nor a dict entry: a position a stockroom moves or a channel reflects costs a
value in an array at a slot the estate gives it once."""

from __future__ import annotations

import sys

import pytest

from simulators.by_position import ByPosition
from simulators.position_slots import NARROW_SLOTS, PositionSlots
from simulators.stockroom import Stockroom


def _key(sku: str, location: str) -> tuple[str, str]:
    """An equal key, another tuple object (as a feed's row or a release's line makes)."""
    return ("".join([sku]), "".join([location]))


def test_values_read_back_by_an_equal_key() -> None:
    seqs: ByPosition[int] = ByPosition()
    assert seqs.get(("A", "S1"), 0) == 0
    assert seqs.find(("A", "S1")) is None
    seqs[_key("A", "S1")] = 1
    seqs[_key("B", "S2")] = 5
    seqs[_key("C", "S1")] = 2
    seqs[("A", "S1")] = 3
    assert seqs.get(("A", "S1"), 0) == 3
    assert seqs.find(("B", "S2")) == 5
    assert seqs.find(("B", "S1")) is None  # a SKU known, not at this location
    assert seqs.find(("Z", "S1")) is None  # a SKU never seen
    assert seqs.get(("A", "S9"), -1) == -1
    assert len(seqs) == 3
    assert seqs.values_at("S1", ["C", "B", "A", "Z"], 0) == [2, 0, 3, 0]
    assert seqs.values_at("S9", ["A"], -1) == [-1]
    assert list(seqs.items()) == [(("A", "S1"), 3), (("C", "S1"), 2), (("B", "S2"), 5)]


def test_tables_sharing_slots_keep_their_own_values_at_one_slot() -> None:
    slots = PositionSlots()
    moved: ByPosition[int] = ByPosition()
    seen: ByPosition[int] = ByPosition()
    times: ByPosition[float] = ByPosition("d")
    for table in (moved, seen, times):
        table.share(slots)
    assert [moved.increment("A", "DC1") for _ in range(3)] == [1, 2, 3]
    seen[("B", "DC1")] = 7
    times[("A", "DC1")] = 12.5
    assert seen.find(("A", "DC1")) is None and moved.find(("B", "DC1")) is None
    assert (moved.get(("A", "DC1"), 0), seen.get(("B", "DC1"), 0)) == (3, 7)
    assert times.get(("A", "DC1"), 0.0) == 12.5 and times.find(("B", "DC1")) is None
    assert slots.slot(slots.location("DC1"), "A") == 1  # given once, by the first table
    assert slots.slot(slots.location("DC1"), "B") == 2
    assert slots.location("DC1").count == 2


def test_a_table_that_holds_values_cannot_change_its_slots() -> None:
    seqs: ByPosition[int] = ByPosition()
    seqs[("A", "S1")] = 1
    with pytest.raises(ValueError):
        seqs.share(PositionSlots())


def test_a_value_too_large_for_four_bytes_widens_the_location() -> None:
    seqs: ByPosition[int] = ByPosition()
    seqs[("A", "S1")] = 2**31 - 1
    seqs[("B", "S1")] = 2**40
    assert (seqs.get(("A", "S1"), 0), seqs.get(("B", "S1"), 0)) == (2**31 - 1, 2**40)
    assert seqs.increment("B", "S1") == 2**40 + 1


def test_what_no_array_holds_is_kept_as_sent_not_raised() -> None:
    """A channel's feed from outside may name a sequence past 64 bits, or a whole number
    as `12.0` (JSON Schema's integer): the contract's fuzzing sent both, and the array
    refused them inside the twin's face (OverflowError, TypeError), which stopped it."""
    seqs: ByPosition[int] = ByPosition()
    seqs[("A", "S1")] = 3
    seqs[("B", "S1")] = 2**65
    seqs[("C", "S1")] = 12.0  # type: ignore[assignment]
    seqs[("D", "S1")] = -(2**70)
    seqs[("E", "S2")] = 7
    assert seqs.find(("B", "S1")) == 2**65 and seqs.find(("C", "S1")) == 12
    assert seqs.get(("A", "S1"), 0) == 3 and seqs.find(("D", "S1")) == -(2**70)
    seqs[("A", "S1")] = 4  # the location's column, a list now, still set in place
    assert dict(seqs.items()) == {
        ("A", "S1"): 4,
        ("B", "S1"): 2**65,
        ("C", "S1"): 12,
        ("D", "S1"): -(2**70),
        ("E", "S2"): 7,
    }
    assert seqs.values_at("S1", ["A", "Z", "C"], 0) == [4, 0, 12]


def test_a_location_with_more_positions_than_two_bytes_number_widens_its_map() -> None:
    slots = PositionSlots()
    at = slots.location("DC1")
    given = [slots.slot(at, f"S{n}") for n in range(NARROW_SLOTS + 2)]
    assert given == list(range(1, NARROW_SLOTS + 3))
    assert at.by_number.typecode == "I"
    assert slots.slot(at, "S0") == 1 and slots.slot(at, f"S{NARROW_SLOTS + 1}") == NARROW_SLOTS + 2


def test_a_moved_position_keeps_no_key_tuple_of_its_own() -> None:
    room = Stockroom(on_hand={("A", "S1"): 5})
    key = _key("A", "S1")
    held_before = sys.getrefcount(key)
    room.move(key, -1)
    room.move(key, 2)
    assert sys.getrefcount(key) == held_before
    assert room.seq.get(("A", "S1"), 0) == 2


def test_movement_times_are_kept_only_for_a_reader_that_asks() -> None:
    now = [0.0]
    plain = Stockroom(on_hand={("A", "S1"): 5}, clock=lambda: now[0])
    timed = Stockroom(on_hand={("A", "S1"): 5}, clock=lambda: now[0], keep_move_times=True)
    for room in (plain, timed):
        now[0] = 12.5
        room.move(("A", "S1"), -1)
        now[0] = 30.0
        room.move(("A", "S1"), -1)
    assert len(plain.last_moved_at) == 0
    assert timed.last_moved_at.get(("A", "S1"), 0.0) == 30.0
    assert plain.seq.get(("A", "S1"), 0) == timed.seq.get(("A", "S1"), 0) == 2


def test_a_movement_counts_up_its_position_alone() -> None:
    room = Stockroom(on_hand={("A", "S1"): 5, ("B", "S1"): 2})
    assert [room.move(_key("A", "S1"), -1) for _ in range(3)] == [1, 2, 3]
    assert room.move(("B", "S1"), 1) == 1
    assert room.seq.get(("A", "S1"), 0) == 3
    assert room.snapshot_table("S1")[3] == (3, 1)
