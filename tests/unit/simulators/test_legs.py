"""An order's parts by its reference (simulators/legs.py): the same parts, in the same
order, as an index of every order's leg numbers gave, with no entry for an order
released whole as part 1 (the release table's key says so)."""

from __future__ import annotations

import pytest

from simulators.legs import Legs
from simulators.records import RecordTable
from simulators.release import release_key


def _released(table: RecordTable[str], legs: Legs[str], ref: str, leg: int, **kw: bool) -> None:
    table.add(release_key(ref, leg), f"{ref} part {leg}")
    legs.add(ref, leg, **kw)


def test_an_order_released_whole_is_read_from_the_table_and_holds_no_entry() -> None:
    table: RecordTable[str] = RecordTable()
    legs = Legs(table, release_key)
    assert "W-1" not in legs and not legs.has("W-1", 1) and legs.get("W-1") is None
    with pytest.raises(KeyError):
        legs["W-1"]
    _released(table, legs, "W-1", 1)
    assert "W-1" in legs and legs.has("W-1", 1) and not legs.has("W-1", 2)
    assert legs["W-1"] == ["W-1 part 1"] and legs.get("W-1", []) == ["W-1 part 1"]
    assert not legs._legs and list(legs.in_parts()) == []  # nothing kept for it


@pytest.mark.parametrize(
    ("order", "in_leg_order", "expected"),
    [
        ((1, 2), False, [1, 2]),
        ((1, 3, 2), False, [1, 3, 2]),
        ((1, 3, 2), True, [1, 2, 3]),
        ((2, 1), False, [2, 1]),
        ((2, 1), True, [1, 2]),
        ((2,), False, [2]),
        ((3, 2), False, [3, 2]),
    ],
)
def test_a_split_order_reads_its_parts_in_the_order_told_or_in_leg_order(
    order: tuple[int, ...], in_leg_order: bool, expected: list[int]
) -> None:
    table: RecordTable[str] = RecordTable()
    legs = Legs(table, release_key)
    for leg in order:
        _released(table, legs, "W-7", leg, in_leg_order=in_leg_order)
    assert legs["W-7"] == [f"W-7 part {leg}" for leg in expected]
    assert all(legs.has("W-7", leg) for leg in order)
    assert legs.has("W-7", 1) == (1 in order) and not legs.has("W-7", 9)
    assert "W-7" in legs
    assert list(legs.in_parts()) == ([] if list(order) == [1] else [("W-7", legs["W-7"])])
