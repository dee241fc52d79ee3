"""A replenishment round that looks only at the positions moved since the last finds
every position below its reorder point that a walk of them all finds, in the same
order, and the walk of them all is kept where a sort could not give that order."""

from __future__ import annotations

import random
from collections.abc import Iterable

from simulators.restock import RestockRounds
from simulators.stockroom import Stockroom

Key = tuple[str, str]


def _targets(skus: int, locations: int) -> dict[Key, int]:
    return {(f"S{s:03d}", f"L{loc}"): 5 + s % 7 for loc in range(locations) for s in range(skus)}


def _below(
    stock: Stockroom, walk: Iterable[tuple[str, list[Key]]], targets: dict[Key, int]
) -> list:
    """What a round over `walk` tops up, in its order, topping it up as it goes."""
    found = []
    for location, keys in walk:
        for key in keys:
            have = stock.on_hand.get(key, 0)
            if have < targets[key]:
                stock.move(key, targets[key] - have)
                found.append((location, key))
    return found


def test_each_round_finds_what_a_walk_of_every_position_finds() -> None:
    targets = _targets(40, 5)
    ours = Stockroom(on_hand={key: max(0, target - 2) for key, target in targets.items()})
    walked = Stockroom(on_hand=dict(ours.on_hand))
    rounds = RestockRounds(ours, targets)
    every: dict[str, list[Key]] = {}
    for key in targets:
        every.setdefault(key[1], []).append(key)
    rng = random.Random(7)
    keys = list(targets)
    topped = 0
    for round_ in range(6):
        for _ in range(60):  # the day's sales between two rounds, a few on other positions
            key = rng.choice(keys) if rng.random() < 0.9 else ("X", "L1")
            quantity = -rng.randint(1, 3)
            ours.move(key, quantity)
            walked.move(key, quantity)
        looked = list(rounds.due())
        found = _below(ours, looked, targets)
        assert found == _below(walked, list(every.items()), targets)
        topped += len(found)
        assert ours.on_hand == walked.on_hand
        if round_ >= 2:  # the first tops up all, the second looks at those: then the moved
            assert sum(len(at) for _, at in looked) < len(targets)
    assert topped > 100


def test_the_first_round_looks_at_every_position() -> None:
    targets = _targets(3, 2)
    rounds = RestockRounds(Stockroom(on_hand={}), targets)
    assert [key for _, at in rounds.due() for key in at] == list(targets)
    assert list(rounds.due()) == []  # nothing moved since


def test_locations_listing_skus_in_orders_that_disagree_walk_every_position() -> None:
    targets = {("B", "L1"): 2, ("A", "L1"): 2, ("A", "L2"): 2, ("B", "L2"): 2}
    stock = Stockroom(on_hand=dict(targets))
    rounds = RestockRounds(stock, targets)
    assert stock.moved is None  # no tracking: nothing would read it
    for _ in range(2):
        assert [key for _, at in rounds.due() for key in at] == list(targets)


def test_a_second_replenisher_of_one_stockroom_walks_every_position() -> None:
    targets = _targets(3, 2)
    stock = Stockroom(on_hand=dict(targets))
    first = RestockRounds(stock, targets)
    second = RestockRounds(stock, targets)
    list(first.due())
    stock.move(("S001", "L0"), -1)
    assert [key for _, at in second.due() for key in at] == list(targets)
    assert [key for _, at in first.due() for key in at] == [("S001", "L0")]


def test_a_round_topping_up_as_it_walks_leaves_its_own_top_ups_out_of_the_next() -> None:
    # as the replenishers do: each location topped up as the round yields it
    targets = _targets(30, 4)
    ours = Stockroom(on_hand={key: target - 3 for key, target in targets.items()})
    walked = Stockroom(on_hand=dict(ours.on_hand))
    rounds = RestockRounds(ours, targets)
    every = list(RestockRounds(Stockroom(on_hand={}), targets).due())
    assert len(_below(ours, rounds.due(), targets)) == len(targets)
    _below(walked, every, targets)
    assert list(rounds.due()) == []  # every position topped up, none moved since
    rng = random.Random(3)
    keys = list(targets)
    for _ in range(5):
        sold = {rng.choice(keys) for _ in range(40)}
        for key in sold:
            ours.move(key, -2)
            walked.move(key, -2)
        looked: list[Key] = []
        found = []
        for location, at in rounds.due():
            looked += at
            found += _below(ours, [(location, at)], targets)
        assert found == _below(walked, every, targets)
        assert sorted(looked) == sorted(sold)  # the sales' positions, not the top-ups
        assert ours.on_hand == walked.on_hand
