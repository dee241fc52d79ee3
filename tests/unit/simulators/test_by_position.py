"""A value per stock position reads back by the tuple that names it, and holds no tuple
of its own: a position a stockroom moves or a channel reflects costs its entry only."""

from __future__ import annotations

import sys

from simulators.by_position import ByPosition
from simulators.stockroom import Stockroom


def _key(sku: str, location: str) -> tuple[str, str]:
    """An equal key, another tuple object (as a feed's row or a release's line makes)."""
    return ("".join([sku]), "".join([location]))


def test_values_read_back_by_an_equal_key_in_the_order_set() -> None:
    seqs: ByPosition[int] = ByPosition()
    assert seqs.get(("A", "S1"), 0) == 0
    assert seqs.find(("A", "S1")) is None
    seqs[_key("A", "S1")] = 1
    seqs[_key("B", "S2")] = 5
    seqs[_key("C", "S1")] = 2
    seqs[("A", "S1")] = 3
    assert seqs.get(("A", "S1"), 0) == 3
    assert seqs.find(("B", "S2")) == 5
    assert seqs.find(("B", "S1")) is None
    assert seqs.get(("A", "S9"), -1) == -1
    assert len(seqs) == 3
    assert dict(seqs.at("S1")) == {"A": 3, "C": 2}
    assert dict(seqs.at("S9")) == {}
    assert list(seqs.items()) == [(("A", "S1"), 3), (("C", "S1"), 2), (("B", "S2"), 5)]


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


def test_a_location_updated_in_place_is_what_the_positions_read() -> None:
    seqs: ByPosition[int] = ByPosition()
    at = seqs.at_for_update("S7")
    at["A"] = at.get("A", 0) + 1
    assert seqs.at_for_update("S7") is at
    assert seqs.get(("A", "S7"), 0) == 1 and len(seqs) == 1
    room = Stockroom(on_hand={("A", "S1"): 5})
    assert [room.move(_key("A", "S1"), -1) for _ in range(3)] == [1, 2, 3]
    assert room.seq.get(("A", "S1"), 0) == 3
