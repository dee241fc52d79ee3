"""The idempotent consumer's window: ids are remembered for `window_s` and then let go,
so what it holds follows the messages of the last hours, not the day's, and a peak's
table is given back once the peak has left the window."""

from __future__ import annotations

import sys

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


def test_what_it_holds_follows_the_window_and_a_peak_table_is_given_back() -> None:
    consumer = IdempotentConsumer(True, WINDOW_S)
    for message_id in range(50_000):  # a peak: fifty thousand ids in one instant
        consumer.first_time("web", message_id, 0.0)
    peak_table = sys.getsizeof(consumer._seen["web"])
    # a quiet hour later: one message a second, the peak long out of the window
    for second in range(1, 400):
        consumer.first_time("web", 100_000 + second, WINDOW_S + second)
    assert len(consumer) == WINDOW_S + 1, "only the last window's ids are remembered"
    assert sys.getsizeof(consumer._seen["web"]) < peak_table / 50
    assert not consumer.first_time("web", 100_399, 500.0)
    assert consumer.first_time("web", 10, 500.0), "a peak id past its window is new again"


def test_the_set_and_the_window_hold_one_int_object_an_id() -> None:
    """Compiled, an `int` parameter is unboxed: put in the set and in the window's list
    as it is, each would get an int object of its own (32 bytes more an id in the
    window, tens of MiB at a peak hour). Run with RETAILTWIN_BUILD=COMPILED to hold the
    compiled build to it."""
    consumer = IdempotentConsumer(True, WINDOW_S)
    message_id = 2**40 + 7  # no cached small int: a new object each time it is made
    consumer.first_time("web", message_id, 0.0)
    (in_set,) = consumer._seen["web"]
    (in_window,) = consumer._ids
    assert in_set is in_window
