"""The ERP ledger's positions at rest: SKUs sorted with their sequences beside them,
found and set as a dict would."""

from __future__ import annotations

import random

import pytest

from hub.model.resting_positions import RestingPositions


def test_put_and_index_agree_with_a_dict_and_keep_the_skus_sorted() -> None:
    rng = random.Random(5)
    rest, reference = RestingPositions(), dict[str, int]()
    for _ in range(3_000):
        sku = f"SKU-{rng.randrange(400):05d}"
        if rng.random() < 0.6:
            seq = rng.randrange(100_000)
            rest.put(sku, seq)
            reference[sku] = seq
        i = rest.index(sku)
        assert (i >= 0) == (sku in reference)
        if i >= 0:
            assert rest.skus[i] == sku and rest.seqs[i] == reference[sku]
    assert rest.skus == sorted(reference)
    assert dict(rest.items()) == reference and len(rest) == len(reference)


def test_an_absent_sku_is_not_found_before_after_or_between() -> None:
    rest = RestingPositions()
    assert rest.index("B") == -1
    rest.put("B", 3)
    rest.put("D", 0)
    assert [rest.index(sku) for sku in ("A", "B", "C", "D", "E")] == [-1, 0, -1, 1, -1]
    rest.put("B", 4)  # set, not added
    assert list(rest.items()) == [("B", 4), ("D", 0)]


def test_a_sequence_four_bytes_cannot_hold_is_refused_not_wrapped() -> None:
    rest = RestingPositions()
    with pytest.raises(OverflowError):
        rest.put("A", 2**32)
