"""The idempotent consumer's window: ids are remembered for `window_s` and then let go,
so what it holds follows the messages of the last hours, not the day's, and a peak's
table is given back once the peak has left the window."""

from __future__ import annotations

import random

import pytest

from hub.consumer import IdempotentConsumer

WINDOW_S = 100.0


def test_a_message_is_a_duplicate_within_the_window_and_new_after_it() -> None:
    consumer = IdempotentConsumer(True, WINDOW_S)
    assert consumer.first_time("web", 7, 0.0)
    assert not consumer.first_time("web", 7, 50.0)
    assert consumer.first_time("wms", 7, 50.0), "another source's id 7 is another message"
    consumer.first_time("web", 8, 101.0)  # the window of the first 7 ended at 100
    assert consumer.first_time("web", 7, 102.0)
    assert consumer.duplicates == 1


def test_without_idempotency_a_duplicate_is_counted_and_let_through() -> None:
    consumer = IdempotentConsumer(False, WINDOW_S)
    assert consumer.first_time("web", 7, 0.0)
    assert consumer.first_time("web", 7, 1.0)
    assert consumer.duplicates == 1


def test_a_forgotten_message_is_let_through_again() -> None:
    consumer = IdempotentConsumer(True, WINDOW_S)
    consumer.first_time("web", 7, 0.0)
    consumer.forget("web", 7)
    assert consumer.first_time("web", 7, 1.0)
    consumer.forget("pos", 1)  # a source never heard from: nothing to forget


def test_what_it_holds_follows_the_window_and_a_peak_is_given_back() -> None:
    consumer = IdempotentConsumer(True, WINDOW_S)
    for message_id in range(500_000):  # a peak: half a million ids in one instant
        consumer.first_time("web", message_id, 0.0)
    peak_bits = len(consumer._places[0].bits)
    assert peak_bits < 500_000 // 8 + 2 * 4096, "a bit an id, not a set entry"
    # a quiet hour later: one message a second, the peak long out of the window
    for second in range(1, 400):
        consumer.first_time("web", 600_000 + second, WINDOW_S + second)
    assert len(consumer) == WINDOW_S + 1, "only the last window's ids are remembered"
    assert len(consumer._places[0].bits) <= 2 * 4096
    assert not consumer._held_times, "the peak's chunks of the window are given back"
    assert len(consumer._out_times) + len(consumer._in_times) <= 2 * 1024
    assert not consumer.first_time("web", 600_399, 500.0)
    assert consumer.first_time("web", 10, 500.0), "a peak id past its window is new again"


def test_ids_out_of_the_band_are_held_as_well() -> None:
    """An id far below or above the ids held, or beyond 64 bits, is a message like any
    other: remembered for the window, a duplicate within it, forgotten after."""
    consumer = IdempotentConsumer(True, WINDOW_S)
    odd = [5_000_000, 2**70, -(2**63), -3, 10**12, 1, 2**63 - 1]
    assert consumer.first_time("web", 4_000_000, 0.0)
    for at, message_id in enumerate(odd, start=1):
        assert consumer.first_time("web", message_id, float(at)), message_id
    for message_id in [4_000_000, *odd]:
        assert not consumer.first_time("web", message_id, 50.0), message_id
    assert consumer.first_time("pos", 2**70, 50.0), "another source's is another"
    consumer.forget("web", 2**70)
    assert consumer.first_time("web", 2**70, 60.0)
    consumer.first_time("web", 4_000_001, 180.0)  # the first ones' windows ended
    for message_id in [4_000_000, *odd]:
        assert consumer.first_time("web", message_id, 181.0), message_id
    assert len(consumer) == len(odd) + 2, "the ids of 180 and 181 (pos's has left)"


def test_more_sources_than_a_window_entry_numbers_are_held_as_well() -> None:
    """A source's place beyond what a packed window entry holds goes the odd way, and is
    remembered and forgotten like any other."""
    consumer = IdempotentConsumer(True, WINDOW_S)
    sources = [f"partner-{n}" for n in range(300)]
    for at, source in enumerate(sources):
        assert consumer.first_time(source, 7, at * 0.1)
    for source in sources:
        assert not consumer.first_time(source, 7, 40.0), source
    assert len(consumer) == len(sources)
    consumer.first_time("web", 1, 131.0)  # every partner's window ended by 130
    assert len(consumer) == 1
    for source in sources:
        assert consumer.first_time(source, 7, 132.0), source


class _Reference:
    """The consumer as it was, a set of ids a source and its window as a queue: what
    the bits must answer exactly."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self.seen: dict[str, set[int]] = {}
        self.queue: list[tuple[float, str, int]] = []

    def first_time(self, source: str, message_id: int, now: float) -> bool:
        seen = self.seen.setdefault(source, set())
        if message_id in seen:
            return False
        seen.add(message_id)
        self.queue.append((now + self.window_s, source, message_id))
        while self.queue and self.queue[0][0] < now:
            _, old_source, old_id = self.queue.pop(0)
            self.seen[old_source].discard(old_id)
        return True

    def forget(self, source: str, message_id: int) -> None:
        self.seen.get(source, set()).discard(message_id)


@pytest.mark.parametrize(("seed", "back"), [(1, 0.0), (2, 0.0), (3, 0.0), (4, 0.02)])
def test_random_traffic_is_answered_as_by_sets(seed: int, back: float) -> None:
    """Ids from one counter over three sources, delivered late, again and replayed,
    some from long ago or numbered otherwise, over many windows (and so many chunks of
    the window); with `back`, that share of the messages is stamped up to a minute
    earlier than the one before (a clock that is not monotonic: the window is still
    let go oldest first, up to the first whose window has not ended)."""
    rng = random.Random(seed)
    consumer = IdempotentConsumer(True, WINDOW_S)
    reference = _Reference(WINDOW_S)
    sent: list[tuple[str, int]] = []
    counter = 0
    now = 0.0
    for _ in range(60_000):
        now += rng.expovariate(40.0) * (30 if rng.random() < 0.001 else 1)
        roll = rng.random()
        if roll < 0.7 or not sent:
            counter += rng.randint(1, 6)
            message = (rng.choice(["web", "pos", "wms"]), counter)
            sent.append(message)
        elif roll < 0.95:  # again, some time later
            message = sent[-rng.randint(1, min(len(sent), 8_000))]
        elif roll < 0.98:
            message = (rng.choice(["web", "pos"]), rng.choice([-5, 2**64 + 3, 10**9, 7]))
        else:
            message = sent[-rng.randint(1, len(sent))]
            consumer.forget(*message)
            reference.forget(*message)
        stamp = now - rng.uniform(0.0, 60.0) if rng.random() < back else now
        answer = reference.first_time(*message, stamp)
        assert consumer.first_time(*message, stamp) == answer
    assert len(consumer) == sum(len(ids) for ids in reference.seen.values())
