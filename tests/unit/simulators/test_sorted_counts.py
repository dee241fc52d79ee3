"""Counts by key held in two sorted arrays answer as the dict they replace: the same
count for every key, the same (key, count) pairs, in key order."""

from __future__ import annotations

import random

from simulators.sorted_counts import SortedCounts


def test_answers_as_a_dict_of_counts_over_random_keys() -> None:
    rng = random.Random(18)
    for _ in range(50):
        counts, expected = SortedCounts(), dict[int, int]()
        for _ in range(rng.randrange(400)):
            key = rng.choice([rng.randrange(50), rng.randrange(2**40), -rng.randrange(9)])
            n = rng.randrange(1, 4)
            counts.add(key, n)
            expected[key] = expected.get(key, 0) + n
        assert list(counts.items()) == sorted(expected.items())
        assert len(counts) == len(expected)
        for key in [*expected, -10, 51, 2**41]:
            assert counts.get(key) == expected.get(key, 0)


def test_a_key_counted_again_adds_to_its_count_in_place() -> None:
    counts = SortedCounts()
    for key in (7, 3, 7, 11, 3, 7):
        counts.add(key)
    counts.add(5, 0)  # a key counted no times is still a key met
    assert list(counts.items()) == [(3, 2), (5, 0), (7, 3), (11, 1)]
    assert counts.get(4, -1) == -1
