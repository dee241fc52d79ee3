"""The hub's compact set of seen ids answers exactly as a set of strings would, however
late a duplicate comes and whatever the ids look like."""

from __future__ import annotations

import random

from hub.seen_ids import SeenIds


def test_it_answers_as_a_set_of_strings_over_a_long_day() -> None:
    rng = random.Random(18)
    seen, reference = SeenIds(), set[str]()
    issued: list[str] = []
    for n in range(20_000):
        if issued and rng.random() < 0.1:  # a duplicate, from any time earlier
            id_ = rng.choice(issued)
        else:
            id_ = f"S{rng.randrange(40):04d}-T{n:08d}"
            issued.append(id_)
        assert seen.first_time(id_) == (id_ not in reference)
        reference.add(id_)
    assert len(seen) == len(reference)
    assert all(id_ in seen for id_ in issued)
    assert f"S0001-T{20_001:08d}" not in seen


def test_leading_zeros_prefixes_and_odd_ids_are_told_apart() -> None:
    seen = SeenIds()
    ids = [
        "T007", "T07", "T7", "X7", "7", "07", "", "RT-", "RT-S1-T7", "S1-T7",
        "T" + "9" * 18, "T" + "9" * 19, "T" + "0" * 19, "T" + "9" * 30, "T9" + "9" * 30,
    ]  # fmt: skip
    assert [seen.first_time(id_) for id_ in ids] == [True] * len(ids)
    assert [seen.first_time(id_) for id_ in ids] == [False] * len(ids)
    assert "T0007" not in seen and "T007" in seen and 7 not in seen
    assert len(seen) == len(ids)


def test_numbers_past_32_bits_are_kept_exactly_after_smaller_ones() -> None:
    """A group's array holds 4 bytes a number while they fit, 8 once one does not."""
    seen = SeenIds()
    small = [f"T{n:012d}" for n in range(2**31 - 300, 2**31)]
    large = [f"T{n:012d}" for n in range(2**31, 2**31 + 300)]
    assert all(seen.first_time(id_) for id_ in small)
    assert all(seen.first_time(id_) for id_ in large)
    assert not any(seen.first_time(id_) for id_ in small + large)
    assert f"T{2**31 + 300:012d}" not in seen and f"T{2**32 + 5:012d}" not in seen
    assert len(seen) == 600


def test_numbers_out_of_order_are_kept_beside_those_appended() -> None:
    """Most numbers come in rising order and are appended; the others, from a backlog
    or a late redelivery, wait in the newest few until merged, and are found either way."""
    rng = random.Random(7)
    numbers = list(range(5_000))
    late = set(rng.sample(numbers, 700))
    order = [n for n in numbers if n not in late] + sorted(late, reverse=True)
    seen = SeenIds()
    for n in order:
        assert seen.first_time(f"S1-T{n:08d}")
    for n in rng.sample(numbers, 1_000):
        assert not seen.first_time(f"S1-T{n:08d}")
    assert len(seen) == 5_000 and "S1-T00005000" not in seen


def test_gaps_of_every_size_in_and_out_of_order_answer_as_a_set_would() -> None:
    """Numbers kept as gaps (one byte under 128, more past it, up to 63 bits), across
    many sealed blocks, with late ones merged in: every number kept, and every one
    between, below or past them, is answered as a set of strings answers it."""
    rng = random.Random(1717)
    number, numbers = 0, []
    for _ in range(3_000):
        number += rng.choice([1, 2, 55, 127, 128, 129, 300, 16_383, 16_384, 2**40])
        numbers.append(number)
    late = set(rng.sample(numbers, 600))
    order = [n for n in numbers if n not in late]
    for n in sorted(late, key=lambda _: rng.random()):  # scattered through the day
        order.insert(rng.randrange(len(order) // 2, len(order) + 1), n)
    seen, reference = SeenIds(), set[str]()
    for n in order:
        id_ = f"ST-0001-T{n:018d}"
        assert seen.first_time(id_) == (id_ not in reference)
        reference.add(id_)
        if rng.random() < 0.05:  # a redelivery of any id so far
            again = rng.choice(sorted(reference))
            assert not seen.first_time(again)
    assert len(seen) == len(reference) == len(numbers)
    probes = {p for n in numbers for p in (n - 1, n, n + 1)} | {0, numbers[-1] + 2**40}
    for p in sorted(probes):
        id_ = f"ST-0001-T{p:018d}"
        assert (id_ in seen) == (id_ in reference)
