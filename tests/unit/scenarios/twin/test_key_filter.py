"""The spill's key filter never says "no" for a key it was given (a wrong "no" would
make a spilled record look absent), and says "no" for nearly every other key (each
"maybe" costs the run a query of its file, and a miss asks every generation's filter)."""

from __future__ import annotations

from scenarios.twin.key_filter import KeyFilter


def test_every_key_added_may_be_held_and_few_others_are() -> None:
    keys = KeyFilter(capacity=1000)
    for n in range(1000):
        keys.add(f"W-{n:07d}")
    assert all(keys.may_hold(f"W-{n:07d}") for n in range(1000))
    false_maybe = sum(keys.may_hold(f"X-{n:07d}") for n in range(20000))
    assert false_maybe < 20000 * 0.008  # about 0.24 % at sixteen bits and four probes


def test_keys_added_at_once_are_held_as_if_added_one_by_one() -> None:
    one_by_one, at_once = KeyFilter(capacity=100), KeyFilter(capacity=100)
    keys = [f"INV{n:08d}" for n in range(100)]
    for key in keys:
        one_by_one.add(key)
    at_once.add_all(iter(keys))
    assert at_once._bits == one_by_one._bits
    assert all(at_once.may_hold(key) for key in keys)


def test_a_filter_is_sized_once_for_its_keys() -> None:
    """Two bytes a key: a generation's filter is made for the rows it will take."""
    assert len(KeyFilter(capacity=8192)._bits) == 8192 * 2
    assert not KeyFilter(capacity=10).may_hold("anything")
