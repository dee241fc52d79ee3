"""A stockroom's positions read the same whichever tuple object names them: `move`,
`sellable` and the snapshot look each key up as one object (compiled, a boxed tuple),
equal to, not the same as, the key the dicts were built with."""

from __future__ import annotations

from simulators.stockroom import Stockroom


def _room() -> Stockroom:
    return Stockroom(on_hand={("A", "S1"): 5, ("B", "S1"): 2, ("A", "S2"): 7})


def test_a_movement_counts_against_the_position_named_by_an_equal_key() -> None:
    room = _room()
    sku, store = "".join(["A"]), "".join(["S", "1"])  # equal strings, other objects
    assert room.move((sku, store), -2, 1) == 1
    assert room.move(("A", "S1"), 3) == 2
    assert room.on_hand == {("A", "S1"): 6, ("B", "S1"): 2, ("A", "S2"): 7}
    assert room.quarantined == {("A", "S1"): 1}
    assert dict(room.seq.items()) == {("A", "S1"): 2}
    assert room.allocate(("A", "S1"), 10) == 5
    assert room.sellable(("A", "S1")) == 0
    room.deallocate(("A", "S1"), 2)
    assert room.sellable(("A", "S1")) == 2


def test_a_new_position_joins_its_location_s_snapshot_once() -> None:
    room = _room()
    room.move(("C", "S1"), 4)
    room.move(("C", "S1"), -1)
    room.move(("B", "S1"), 1, 1)
    assert room.snapshot_table("S1") == (("A", "B", "C"), (5, 3, 3), (0, 1, 0), (0, 1, 2))
    assert room.snapshot_table("S9") == ((), (), (), ())
    assert room.wms_report(("C", "S1"), 1.5) == {
        "item": "C",
        "onHand": 3,
        "quarantined": 0,
        "seq": 2,
        "ts": 1.5,
    }
    assert room.pos_report(("B", "S1"), 2.0) == {
        "sku": "B",
        "on_hand": 3,
        "quarantined": 1,
        "seq": 1,
        "ts": 2.0,
    }


def test_a_position_with_nothing_set_aside_holds_no_allocation_entry() -> None:
    """Released in full, a position leaves `allocated` and reads 0 set aside, as the
    entry at 0 read; released in part, it keeps the rest."""
    room = _room()
    assert room.allocate(("A", "S1"), 3) == 3
    assert room.allocate(("A", "S2"), 4) == 4
    room.deallocate(("A", "S1"), 1)
    assert room.allocated == {("A", "S1"): 2, ("A", "S2"): 4}
    room.deallocate(("A", "S1"), 2)
    assert room.allocated == {("A", "S2"): 4}
    assert room.sellable(("A", "S1")) == 5
    assert room.allocated.get(("A", "S1"), 0) == 0
    room.deallocate(("B", "S1"), 0)  # nothing set aside, nothing released
    assert room.allocated == {("A", "S2"): 4}
    assert room.allocate(("A", "S1"), 9) == 5
    assert room.sellable(("A", "S1")) == 0
