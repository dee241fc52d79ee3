"""The leaky bucket per client (graph/throttle.py), on a clock the test moves."""

from __future__ import annotations

from graph.throttle import LeakyBuckets


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_takes_what_it_holds_and_refills_at_its_rate() -> None:
    clock = Clock()
    buckets = LeakyBuckets(100, 10, clock)
    taken, status = buckets.take("a", 80)
    assert taken and status.currently_available == 20
    taken, status = buckets.take("a", 30)
    assert not taken and status.currently_available == 20  # refused: nothing taken
    assert status.retry_after_s(30) == 1 and status.wait_s(30) == 1.0
    assert buckets.take("b", 100)[0]  # every client has its own bucket
    clock.now = 1.0
    taken, status = buckets.take("a", 30)
    assert taken and status.currently_available == 0
    clock.now = 100.0
    assert buckets.status("a").currently_available == 100  # never above the maximum
    assert status.to_json() == {
        "maximumAvailable": 100.0,
        "currentlyAvailable": 0.0,
        "restoreRate": 10.0,
    }


def test_what_a_query_did_not_use_goes_back() -> None:
    buckets = LeakyBuckets(100, 10, Clock())
    buckets.take("a", 90)
    assert buckets.give_back("a", 85).currently_available == 95


def test_full_buckets_are_forgotten_so_many_clients_cannot_grow_the_map() -> None:
    clock = Clock()
    buckets = LeakyBuckets(100, 10, clock, prune_above=10)
    for client in range(50):
        buckets.take(f"address:{client}", 5)
    assert len(buckets) == 50  # none has refilled yet: each is still owed
    clock.now = 1.0  # every bucket has refilled
    buckets.take("late", 5)
    assert len(buckets) == 1
    buckets.give_back("late", 5)
    assert len(buckets) == 0
