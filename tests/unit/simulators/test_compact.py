"""The compact containers read back exactly what was put in, in the shapes the checker
has always read: a list of (sequence, time) pairs per key, a list of values per key."""

from __future__ import annotations

import pickle

import pytest

from simulators.channel import ChannelOrder
from simulators.compact import OneOrMany, SeqTimesByKey
from simulators.rising_series import RisingSeqTimesByKey


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


def test_rising_pairs_read_back_exactly_as_the_plain_series_would() -> None:
    rising: RisingSeqTimesByKey[tuple[str, str]] = RisingSeqTimesByKey()
    plain: SeqTimesByKey[tuple[str, str]] = SeqTimesByKey()
    noted = [
        (("SKU-1", "DC-1"), 3, 2.0),
        (("SKU-1", "ST-1"), 1, 2.0),  # the same instant for another key: one table entry
        (("SKU-1", "DC-1"), 4, 0.1 + 0.2),
        (("SKU-1", "DC-1"), 4 + 300, 1e9 / 3),  # steps past a byte
        (("SKU-1", "DC-1"), 2**40 + 1, 1e9 / 3),  # many bytes; a time seen before
        (("SKU-1", "ST-1"), 2, 7e10),
    ]
    for key, seq, at in noted:
        rising.append(key, seq, at)
        plain.append(key, seq, at)
    assert dict(rising) == dict(plain)
    assert list(rising) == list(plain) and len(rising) == 2
    assert all(type(seq) is int for seq, _ in rising[("SKU-1", "DC-1")])
    assert rising.last_seq(("SKU-1", "DC-1")) == 2**40 + 1
    assert rising.last_seq(("SKU-2", "DC-1")) is None
    assert rising.get(("SKU-2", "DC-1"), []) == []
    assert dict(pickle.loads(pickle.dumps(rising))) == dict(plain)


def test_a_pair_that_goes_back_is_refused() -> None:
    rising: RisingSeqTimesByKey[str] = RisingSeqTimesByKey()
    rising.append("A", 5, 1.0)
    with pytest.raises(ValueError):
        rising.append("A", 4, 2.0)


def test_a_sequence_sent_as_an_integral_float_is_kept_as_its_integer() -> None:
    # JSON Schema's "integer" accepts 3.0, so an external hub's feed can carry one to
    # the channel (the contract test's generated feeds did, and the varint refused it)
    rising: RisingSeqTimesByKey[str] = RisingSeqTimesByKey()
    plain: SeqTimesByKey[str] = SeqTimesByKey()
    for seq, at in ((3.0, 1.0), (200.0, 2.0), (2.0**40, 3.0)):
        rising.append("A", seq, at)  # type: ignore[arg-type]
        plain.append("A", seq, at)  # type: ignore[arg-type]
    assert rising["A"] == plain["A"] == [(3, 1.0), (200, 2.0), (2**40, 3.0)]
    assert all(type(seq) is int for seq, _ in rising["A"])
    assert rising.last_seq("A") == 2**40
