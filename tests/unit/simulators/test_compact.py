"""The compact containers read back exactly what was put in, in the shapes the checker
has always read: a list of (sequence, time) pairs per key, a list of values per key."""

from __future__ import annotations

import pickle

from simulators.channel import ChannelOrder
from simulators.compact import OneOrMany, SeqTimesByKey


def test_pairs_read_back_as_a_list_of_int_float_tuples_in_order() -> None:
    pairs: SeqTimesByKey[tuple[str, str]] = SeqTimesByKey()
    pairs.append(("SKU-1", "DC-1"), 3, 2.0)
    pairs.append(("SKU-1", "ST-1"), 1, 2.5)
    pairs.append(("SKU-1", "DC-1"), 2**40 + 1, 600.25)
    assert pairs[("SKU-1", "DC-1")] == [(3, 2.0), (2**40 + 1, 600.25)]
    assert all(type(seq) is int for seq, _ in pairs[("SKU-1", "DC-1")])
    assert pairs.last_seq(("SKU-1", "DC-1")) == 2**40 + 1
    assert pairs.last_seq(("SKU-2", "DC-1")) is None
    assert pairs.get(("SKU-2", "DC-1"), []) == []
    assert list(pairs) == [("SKU-1", "DC-1"), ("SKU-1", "ST-1")]
    assert pairs == {
        ("SKU-1", "DC-1"): [(3, 2.0), (2**40 + 1, 600.25)],
        ("SKU-1", "ST-1"): [(1, 2.5)],
    }
    assert dict(pickle.loads(pickle.dumps(pairs))) == dict(pairs)


def test_one_value_reads_as_a_list_of_one_and_more_as_the_list_in_order() -> None:
    index: OneOrMany[str] = OneOrMany()
    index.add("INV-1", "INV00000001")
    index.add("SO-1", "SO00000001")
    index.add("SO-1", "SO00000002")
    index.add("SO-1", "SO00000003")
    assert index["INV-1"] == ["INV00000001"]
    assert index.get("SO-1") == ["SO00000001", "SO00000002", "SO00000003"]
    assert index.first("SO-1") == "SO00000001"
    assert index.first("nothing") is None
    assert index.get("nothing") is None
    assert index.get("nothing", []) == []
    assert "INV-1" in index and "nothing" not in index
    assert list(index.items()) == [
        ("INV-1", ["INV00000001"]),
        ("SO-1", ["SO00000001", "SO00000002", "SO00000003"]),
    ]
    del index["INV-1"]
    assert len(index) == 1
    assert dict(pickle.loads(pickle.dumps(index))) == dict(index)


def test_values_are_sorted_in_place_and_a_single_one_is_left_alone() -> None:
    index: OneOrMany[tuple[int, str]] = OneOrMany()
    index.add("W-1", (2, "b"))
    index.add("W-1", (1, "a"))
    index.add("W-2", (5, "e"))
    index.sort("W-1", by=lambda value: value[0])
    index.sort("W-2", by=lambda value: value[0])
    assert index["W-1"] == [(1, "a"), (2, "b")]
    assert index["W-2"] == [(5, "e")]


def test_a_channel_order_reads_back_its_status_notices_in_the_order_heard() -> None:
    """A channel order keeps its notices packed; `notices` reads them back as (hub
    version, status, received at), oldest first, as the checker compares them."""
    order = ChannelOrder("W-1", "web", "C-1", "north", 0.0, [("SKU-1", 1, 500, 100)])
    assert order.notices == ()
    order.hear(2, "accepted", 10.0)
    order.hear(1, "received", 12.5)
    assert order.notices == ((2, "accepted", 10.0), (1, "received", 12.5))
    assert max(order.notices)[1] == "accepted"
