"""The tills' return ids by number answer exactly as the dicts they replace."""

from __future__ import annotations

import random

import pytest

from scenarios.checking.ref_slots import RefTimes
from scenarios.checking.till_refs import BothTimes, TillTimes
from simulators.till_numbers import return_id as till_ref


def test_times_by_number_answer_as_a_dict() -> None:
    times = TillTimes()
    expected: dict[str, float] = {}
    for number in range(1, 400, 3):
        ref = till_ref(f"ST-{number % 7:04d}", number)
        times.set(ref, number / 10)
        expected[ref] = number / 10
    assert list(times) == list(expected)
    assert dict(times.items()) == expected
    assert len(times) == len(expected)
    assert times["RT-ST-0001-T00000001"] == 0.1
    # the number held, another store's: not the same return
    assert "RT-ST-0002-T00000001" not in times
    assert times.get("RT-ST-0002-T00000001") is None
    assert "RT-ST-0001-T00000002" not in times
    assert "RT-ST-0001-T00000001" in times
    assert object() not in times
    with pytest.raises(KeyError):
        times["RT-ST-0099-T00000001"]


@pytest.mark.parametrize(
    "odd",
    [
        "RT-ST-0003-T00000002",  # below the last number
        "RT-ST-0001-T00000007",  # the last one set again
        "refund-by-hand",  # not a till's id at all
    ],
)
def test_an_id_that_does_not_fit_turns_the_table_into_the_dict(odd: str) -> None:
    times = TillTimes()
    expected: dict[str, float] = {}
    for at, ref in enumerate(
        ["RT-ST-0001-T00000003", "RT-ST-0002-T00000005", "RT-ST-0001-T00000007", odd]
    ):
        times.set(ref, float(at))
        expected[ref] = float(at)
    times.set("RT-ST-0002-T00000009", 9.0)
    expected["RT-ST-0002-T00000009"] = 9.0
    assert list(times.items()) == list(expected.items())
    assert odd in times and times[odd] == expected[odd]
    assert len(times) == len(expected)


def test_random_returns_as_the_dicts_they_replace() -> None:
    rng = random.Random(7)
    received = RefTimes()
    counters = TillTimes()
    at_till = TillTimes()
    want_received: dict[str, float] = {}
    want_at_till: dict[str, float] = {}
    for number in range(1, 60):
        ref = f"RMA-W-{number * 5:07d}"
        received.set(ref, float(number))
        want_received[ref] = float(number)
    number = 0
    for _ in range(300):
        number += rng.randint(1, 40)
        ref = till_ref(f"ST-{rng.randint(1, 220):04d}", number)
        at = rng.uniform(0.0, 345_600.0)
        counters.set(ref, at)
        want_received[ref] = at
        if rng.random() < 0.6:
            at_till.set(ref, at)
            want_at_till[ref] = at
    both = BothTimes(received, counters)
    assert list(both.items()) == list(want_received.items())
    assert len(both) == len(want_received)
    assert list(at_till.items()) == list(want_at_till.items())
    assert set(at_till) == set(want_at_till)
    for ref in want_received:
        assert both[ref] == want_received[ref]
        assert (ref in at_till) == (ref in want_at_till)
    assert "RMA-W-0000001" not in both
    with pytest.raises(KeyError):
        both["RT-ST-0001-T99999999"]
